#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of the KUnit tier: loads every test module of the suite and
# copies each suite's KTAP results to the second serial port.
set -eu
for ko in /lib/modules/"$(uname -r)"/extra/*_test.ko; do
	modprobe "$(basename "$ko" .ko)"
done
for r in /sys/kernel/debug/kunit/*/results; do
	cat "$r" >/dev/ttyS1
done
