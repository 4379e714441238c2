#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of the KUnit tier: loads every test module of the suite (each
# runs its suites at load) and copies the KTAP they printed, without the
# kernel's timestamps, to the second serial port.
set -eu
for ko in /lib/modules/"$(uname -r)"/extra/*_test.ko; do
	modprobe "$(basename "$ko" .ko)"
done
dmesg | sed 's/^\[[ 0-9.]*\] //' |
	grep -E '^ *(KTAP version|# Subtest:|[0-9]+\.\.[0-9]+|(not )?ok [0-9]+ |# )' >/dev/ttyS1
