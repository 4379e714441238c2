// SPDX-License-Identifier: GPL-2.0
/*
 * Deliberate faults for the harness's self-tests (tools/check.sh,
 * "platform"): a run that loads this module with one of them must fail,
 * as a run that panics does. Never loaded by a scenario.
 *
 * warn=1	a WARN at load time (a kernel report, and the W taint)
 * leak=1	a kmalloc()ed block whose only pointer is dropped at load time
 *		(kmemleak finds it on the debug kernel)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/module.h>
#include <linux/slab.h>

static bool warn;
module_param(warn, bool, 0444);
static bool leak;
module_param(leak, bool, 0444);

static int __init vsc_fault_init(void)
{
	void *p;

	WARN(warn, "vsc_fault: the deliberate WARN\n");
	if (leak) {
		p = kmalloc(128, GFP_KERNEL);
		if (!p)
			return -ENOMEM;
		memset(p, 0x5a, 128);
		pr_info("leaking 128 bytes on purpose\n");
		/* The pointer goes out of scope here: the block is lost. */
	}
	return 0;
}

static void __exit vsc_fault_exit(void)
{
}

module_init(vsc_fault_init);
module_exit(vsc_fault_exit);
MODULE_DESCRIPTION("Deliberate kernel faults for the VSC test harness");
MODULE_LICENSE("GPL");
