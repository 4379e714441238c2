# SPDX-License-Identifier: GPL-2.0
#
# make              build the modules against KDIR (picked below when unset)
# make check        every CI tier; ends with "N passed, N failed"
# make check-full   the whole kernel matrix
# make run          boot a guest wired to vsp-sim
# make bench        side-by-side benchmarks
# make fuzz         long fuzzing runs
#
# Static checks: make W=1, make LLVM=1, make C=2 (sparse), make checkpatch.

# KDIR: the running kernel's build folder when it exists, else the newest
# installed Debian linux-headers-*-amd64 tree.
ifeq ($(origin KDIR),undefined)
KDIR := $(wildcard /lib/modules/$(shell uname -r)/build)
ifeq ($(KDIR),)
KDIR := $(lastword $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V))
endif
endif

CACHE ?= $(or $(VSC_CACHE),/var/cache/vsc)
export VSC_CACHE := $(CACHE)

.PHONY: all modules clean check check-full checkpatch deps unit run bench fuzz dkms-test

all: modules

modules:
	@test -n "$(KDIR)" || { echo "no kernel build tree: install linux-headers or set KDIR"; exit 1; }
	@echo "vsc: building against KDIR=$(KDIR)"
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	@test -z "$(KDIR)" || $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tests/unit clean

checkpatch:
	tools/checkpatch.sh

unit:
	$(MAKE) -C tests/unit run

check:
	tools/check.sh

check-full:
	VSC_CHECK_FULL=1 tools/check.sh

fuzz:
	$(MAKE) -C tests/fuzz long
	$(MAKE) -C host-sim fuzz-long

bench:
	$(MAKE) -C tests/bench ring
	tests/bench/echo/run.sh

deps:
	tools/deps.sh

# Interactive on a terminal; otherwise a short demonstration that powers off.
# On a new machine it first installs the packages; vsc-vm builds the rest
# (the debug kernel, vsp-sim, the modules, the initramfs) when missing.
# The disk (build/vm/disk.img, 1 GiB, sparse) stays from run to run.
RUN_VM := tools/vsc-vm --kernel debug --smp 2 --mem 1024 --sim --echo --sim 2 \
	--disk $(CURDIR)/build/vm/disk.img
run: deps
	@mkdir -p build/vm && test -e build/vm/disk.img || truncate -s 1G build/vm/disk.img
	@if [ -t 0 ]; then $(RUN_VM); \
	else $(RUN_VM) --log build/vm/demo.log tools/vm/demo.sh && \
		sed -n '/running the script/,/script exited/p' build/vm/demo.log; fi
