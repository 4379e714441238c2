#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Feature probes of the target kernel tree: prints -DHAVE_* flags for
# compat/compat.h. Each probe greps one declaration in the headers we build
# against; version numbers are never tested here.
#
# usage: probe.sh SRCTREE [OBJTREE]

src=$1
obj=${2:-$1}

hdr() {
	for d in "$obj/include" "$src/include" "$src/arch/x86/include"; do
		[ -f "$d/$1" ] && { echo "$d/$1"; return; }
	done
	echo /dev/null
}

# probe HEADER EXTENDED-REGEX MACRO
probe() {
	grep -qsE "$2" "$(hdr "$1")" && printf ' -D%s' "$3"
}

# 6.3 made bus_type.uevent take a const struct device.
probe linux/device/bus.h '\(\*uevent\)\(const struct device' HAVE_BUS_UEVENT_CONST_DEV
# 6.11 made bus_type.match take a const struct device_driver.
probe linux/device/bus.h '\(\*match\)\(struct device \*dev, const struct device_driver' HAVE_BUS_MATCH_CONST_DRV
# 6.4 made bus_register() take a const struct bus_type.
probe linux/device/bus.h 'bus_register\(const struct bus_type' HAVE_CONST_BUS_TYPE
# 6.11 made platform_driver.remove return void (remove_new, from 6.1, is
# going away).
probe linux/platform_device.h 'void \(\*remove\)\(struct platform_device' HAVE_PLATFORM_REMOVE_VOID
# The kernel's Hyper-V guest support (the native backend builds on it).
probe generated/autoconf.h '#define CONFIG_HYPERV(_MODULE)? 1' HAVE_HYPERV_GUEST
# 6.9 replaced the inline hv_{get,set}_register with exported
# hv_{get,set}_msr.
probe asm/mshyperv.h 'u64 hv_get_msr\(unsigned int reg\)' HAVE_HV_GET_MSR
echo
