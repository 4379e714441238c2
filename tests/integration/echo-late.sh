#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kernels: debug 6.12
# vm: --smp 2 --sim --echo --sim 1 --sim --echo-reorder --sim 8 --sim --echo-hold --sim 200
#
#   guest CPU 0,1                         vsp-sim
#   vsc_echo (relid 1) -- channel ------- echo device 1: every answer held
#                                         200 us while the worker reads on,
#                                         then sent in batches of 8, each
#                                         batch in reverse order
#
# Answers that come late and out of order, many in flight: the driver
# matches each answer by its request id, not by its place in the ring;
# contents are checked both ways.
set -eu
. /vsc/lib.sh

n=20000
vsc_debug_kernel && n=5000

vsc_wait_echo 1
d=$(ls -d /sys/bus/vsc_vmbus/devices/*)
echo "$n" >"$d/echo_run" || echo "an echo run failed"
cat "$d/echo_result"
vsc_echo_check "$d" "$n"
cat "$d"/channels/*/out_ring | grep -E 'packets|signals|full'
echo "echo-late: ok"
