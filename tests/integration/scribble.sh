#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kernels: debug 6.12
# vm: --lenient --append modprobe.blacklist=vsc_vmbus
#
#   guest: vsc_simtest corrupt=200 -- random bytes over BAR2 --> vsp-sim
#
# A guest that scribbles over the shared area (all but the SynIC page
# addresses) and rings the doorbell 200 times does not crash, hang or
# misdirect vsp-sim: vsc-vm fails the run if vsp-sim does not exit cleanly
# when the guest powers off.
set -eu
modprobe vsc_simtest rounds=100 corrupt=200
dmesg | grep -q 'scribbled over BAR2 200 times'
echo "scribble: ok"
