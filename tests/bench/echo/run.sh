#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Echo channel benchmark: round-trip latency (one packet in flight, echoed)
# and one-way throughput (32 in flight, sunk by the host) at 64 B and
# 4 KiB, one guest boot per case so that vsp-sim's counters (doorbells,
# interrupts) belong to that case alone. Stock 6.12 kernel (no KASAN), 2
# vCPUs, TCG or KVM as vsc-vm finds. Writes bench/results/echo.{json,md}.
set -euo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
out=$top/bench/results
work=$top/build/bench-echo
mkdir -p "$out" "$work"
kernel=${BENCH_KERNEL:-6.12}

# case: name size count window sink
cases=(
	"rtt-64 64 3000 1 0"
	"rtt-4k 4096 3000 1 0"
	"oneway-64 64 50000 32 1"
	"oneway-4k 4096 50000 32 1"
)

json="["
md="| case | size | in flight | packets | time | per packet | MB/s | doorbells/pkt | interrupts/pkt |
|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for c in "${cases[@]}"; do
	read -r name size count window sink <<<"$c"
	cat >"$work/$name.sh" <<EOS
set -e
for _ in \$(seq 50); do [ -e /sys/bus/vsc_vmbus/drivers/vsc_echo ] && break; sleep 0.2; done
d=\$(ls -d /sys/bus/vsc_vmbus/devices/* | head -n 1)
echo "$size $count $window $sink" >"\$d/echo_bench"
echo "BENCH \$(cat "\$d/echo_bench")" >/dev/ttyS1
EOS
	"$top/tools/vsc-vm" --kernel "$kernel" --smp 2 --polite --sim --echo --sim 1 \
		--log "$work/$name.console" "$work/$name.sh" >"$work/$name.log" 2>&1
	read -r _ _ pkts _ ns < <(grep -a '^BENCH' "$work/$name.console.ttyS1" | tr -d '\r')
	doorbells=$(awk '$1 == "doorbell_rings" { print $2 }' "$work/$name.console.stats")
	irqs=$(awk '$1 ~ /^vp[0-9]+_irqs$/ { n += $2 } END { print n + 0 }' "$work/$name.console.stats")
	per_ns=$((ns / pkts))
	mbps=$(awk -v b=$((size * pkts)) -v ns="$ns" 'BEGIN { printf "%.1f", b / ns * 1000 }')
	dpp=$(awk -v d="$doorbells" -v p="$pkts" 'BEGIN { printf "%.3f", d / p }')
	ipp=$(awk -v d="$irqs" -v p="$pkts" 'BEGIN { printf "%.3f", d / p }')
	json+="{\"case\": \"$name\", \"size\": $size, \"window\": $window, \"packets\": $pkts,"
	json+=" \"ns\": $ns, \"ns_per_packet\": $per_ns, \"mb_per_s\": $mbps,"
	json+=" \"doorbells_per_packet\": $dpp, \"interrupts_per_packet\": $ipp},"
	md+="
| $name | $size | $window | $pkts | $((ns / 1000000)) ms | $((per_ns / 1000)) us | $mbps | $dpp | $ipp |"
	echo "$name: $pkts packets, $((per_ns / 1000)) us each, $mbps MB/s, doorbells/pkt $dpp, interrupts/pkt $ipp"
done
echo "${json%,}]" >"$out/echo.json"
accel=$(cat "${VSC_CACHE:-/var/cache/vsc}/kvm-probe" 2>/dev/null || echo tcg)
{
	echo "# Echo channel benchmark"
	echo
	echo "\`make bench\` ($kernel guest, 2 vCPUs, $accel, one boot per case; doorbells and"
	echo "interrupts as vsp-sim counted them, for the whole boot)."
	echo
	echo "$md"
} >"$out/echo.md"
