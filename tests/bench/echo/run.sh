#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Echo channel benchmark: round-trip latency (one packet in flight, echoed)
# and one-way throughput (32 in flight, sunk by the host) at 64 B and
# 4 KiB, in interrupt mode (today's figures), and the one-way streams again
# with vsc_echo's module parameters polled=1, xmit_more=1 and both, all in
# one guest boot. vsc_echo is reloaded with the case's parameters before
# each case, and the guest marks each case's start and end on the console;
# a host script takes vsp-sim's counters (ctl status: doorbells,
# interrupts) at each mark, so each case gets its own deltas. Stock 6.12
# kernel (no KASAN), 2 vCPUs, TCG or KVM as vsc-vm finds. Writes
# bench/results/echo.{json,md}.
set -euo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
out=$top/bench/results
work=$top/build/bench-echo
rm -rf "$work"
mkdir -p "$out" "$work"
kernel=${BENCH_KERNEL:-6.12}

# case: name mode size count window sink (mode: module parameters)
cases=(
	"rtt-64 irq 64 3000 1 0"
	"rtt-4k irq 4096 3000 1 0"
	"oneway-64 irq 64 50000 32 1"
	"oneway-4k irq 4096 50000 32 1"
	"oneway-64 polled 64 50000 32 1"
	"oneway-4k polled 4096 50000 32 1"
	"oneway-64 xmit_more 64 50000 32 1"
	"oneway-4k xmit_more 4096 50000 32 1"
	"oneway-64 polled+xmit_more 64 50000 32 1"
	"oneway-4k polled+xmit_more 4096 50000 32 1"
)

params() {
	case $1 in
	irq) echo "" ;;
	polled) echo "polled=1" ;;
	xmit_more) echo "xmit_more=1" ;;
	polled+xmit_more) echo "polled=1 xmit_more=1" ;;
	esac
}

# The guest: per case, reload vsc_echo, mark, run, mark.
{
	echo 'set -e'
	echo 'mark() { echo "VSC-BENCH-MARK $1" >/dev/console; sleep 1; }'
	echo '. /vsc/lib.sh'
	# rmmod until mdev has no load of its own pending, then load with $2.
	echo 'load() {'
	echo '	for _ in 1 2 3; do rmmod vsc_echo 2>/dev/null || true; vsc_modprobe_settle; [ -e /sys/module/vsc_echo ] || break; done'
	echo '	modprobe vsc_echo $2'
	echo '	echo "VSC-BENCH $1: vsc_echo $2 polled=$(cat /sys/module/vsc_echo/parameters/polled) xmit_more=$(cat /sys/module/vsc_echo/parameters/xmit_more)" >/dev/console'
	echo '	for _ in $(seq 100); do d=$(ls -d /sys/bus/vsc_vmbus/devices/* | head -n 1); [ -e "$d/echo_bench" ] && return 0; sleep 0.1; done'
	echo '	return 1'
	echo '}'
	echo 'for _ in $(seq 50); do [ -e /sys/bus/vsc_vmbus/drivers/vsc_echo ] && break; sleep 0.2; done'
	i=0
	for c in "${cases[@]}"; do
		read -r name mode size count window sink <<<"$c"
		echo "load $i '$(params "$mode")'"
		echo "mark $((2 * i))"
		echo "echo '$size $count $window $sink' >\"\$d/echo_bench\""
		echo "r=\$(cat \"\$d/echo_bench\")"
		echo "mark $((2 * i + 1))"
		echo "echo \"BENCH $i \$r\" >/dev/ttyS1"
		i=$((i + 1))
	done
	echo "mark end"
} >"$work/guest.sh"

# The host: a snapshot of vsp-sim's counters at each mark.
cat >"$work/host.sh" <<EOS
set -u
seen=0
while :; do
	n=\$(grep -ac '^VSC-BENCH-MARK' "\$VSC_CONSOLE" 2>/dev/null || true)
	while [ "\${n:-0}" -gt "\$seen" ]; do
		seen=\$((seen + 1))
		m=\$(grep -a '^VSC-BENCH-MARK' "\$VSC_CONSOLE" | sed -n "\${seen}p" | tr -d '\r' | awk '{ print \$2 }')
		[ "\$m" = end ] && exit 0
		"\$VSC_SIM" ctl "\$VSC_SIM_CTL" status >"$work/snap.\$m"
	done
	sleep 0.05
done
EOS

"$top/tools/vsc-vm" --kernel "$kernel" --smp 2 --polite --sim --echo --sim 1 \
	--timeout 1500 --host "$work/host.sh" --log "$work/console" \
	"$work/guest.sh" >"$work/vm.log" 2>&1 ||
	{ echo "echo bench: the guest failed; see $work/vm.log" >&2; tail -n 20 "$work/vm.log" >&2; exit 1; }

counter() { # counter SNAPSHOT: doorbells irqs
	awk '$1 == "doorbell_rings" { d = $2 } $1 ~ /^vp[0-9]+_irqs$/ { n += $2 }
	     END { print d + 0, n + 0 }' "$1"
}

json="["
md="| case | mode | size | in flight | packets | time | per packet | MB/s | packets/s vs irq | doorbells/pkt | interrupts/pkt |
|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
declare -A base_pps
i=0
for c in "${cases[@]}"; do
	read -r name mode size count window sink <<<"$c"
	read -r _ _ _ pkts _ ns < <(grep -a "^BENCH $i " "$work/console.ttyS1" | tr -d '\r')
	read -r d0 i0 < <(counter "$work/snap.$((2 * i))")
	read -r d1 i1 < <(counter "$work/snap.$((2 * i + 1))")
	per_ns=$((ns / pkts))
	mbps=$(awk -v b=$((size * pkts)) -v ns="$ns" 'BEGIN { printf "%.1f", b / ns * 1000 }')
	pps=$(awk -v p="$pkts" -v ns="$ns" 'BEGIN { printf "%.0f", p / ns * 1e9 }')
	dpp=$(awk -v d=$((d1 - d0)) -v p="$pkts" 'BEGIN { printf "%.3f", d / p }')
	ipp=$(awk -v d=$((i1 - i0)) -v p="$pkts" 'BEGIN { printf "%.3f", d / p }')
	[ "$mode" = irq ] && base_pps[$name]=$pps
	ratio=$(awk -v a="$pps" -v b="${base_pps[$name]}" 'BEGIN { printf "%.2f", a / b }')
	json+="{\"case\": \"$name\", \"mode\": \"$mode\", \"size\": $size, \"window\": $window,"
	json+=" \"packets\": $pkts, \"ns\": $ns, \"ns_per_packet\": $per_ns,"
	json+=" \"mb_per_s\": $mbps, \"packets_per_s\": $pps, \"pps_ratio_to_irq\": $ratio,"
	json+=" \"doorbells_per_packet\": $dpp, \"interrupts_per_packet\": $ipp},"
	md+="
| $name | $mode | $size | $window | $pkts | $((ns / 1000000)) ms | $((per_ns / 1000)) us | $mbps | $ratio | $dpp | $ipp |"
	echo "$name $mode: $pkts packets, $((per_ns / 1000)) us each, $mbps MB/s, x$ratio of irq, doorbells/pkt $dpp, interrupts/pkt $ipp"
	i=$((i + 1))
done
echo "${json%,}]" >"$out/echo.json"
accel=$(cat "${VSC_CACHE:-/var/cache/vsc}/kvm-probe" 2>/dev/null || echo tcg)
{
	echo "# Echo channel benchmark"
	echo
	echo "\`make bench\` ($kernel guest, 2 vCPUs, $accel, one boot for all cases, vsp-sim"
	echo "--polite). vsc_echo is reloaded with the case's module parameters (mode:"
	echo "irq = none, today's interrupt mode; polled=1; xmit_more=1; both) before"
	echo "each case. Doorbells (guest to host) and interrupts (host to guest) are"
	echo "vsp-sim's counters, taken at marks just before and after each case"
	echo "(about a second of idle either side is included). \"packets/s vs irq\":"
	echo "the case's packets/s over the interrupt-mode case of the same name, same"
	echo "boot. One run on a shared 2-core machine under TCG: expect run-to-run"
	echo "noise of tens of percent in the timings; the per-packet counts are"
	echo "steadier."
	echo
	echo "$md"
} >"$out/echo.md"
