/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixture of the VMBus server tests: a host over a flat BAR2 and a RAM
 * memfd, with real channel workers, and the test guest (guest_vmbus.h)
 * that drives it. fix_alloc() makes the host; the test adds its devices
 * and sets its switches; fix_ready() has the guest register its SynIC
 * pages and announce itself.
 */
#ifndef VSP_TEST_VMBUS_FIX_H
#define VSP_TEST_VMBUS_FIX_H

#include <stdbool.h>
#include <stdint.h>

#include "chan.h"
#include "dev/echo_msg.h"
#include "guest_vmbus.h"

#define RAM_SIZE	(4ULL << 20)
#define PAGES		0x200000ULL	/* SynIC pages */
#define RINGS		0x100000ULL	/* channel rings, 64 KiB each */
#define NR_VPS		2
#define CONN		VSP_VMBUS_MSG_CONN_ID

struct fix {
	uint8_t *bar2, *ram;
	struct vsp_host *h;
	struct vsp_vmbus *vm;
	struct vsp_chan_env env;
	struct vg g;
	uint8_t msg[VSC_HV_MESSAGE_PAYLOAD];
	uint32_t len;
};

/* requests: an eventfd for the workers' requests (sub-channels), else none. */
struct fix *fix_alloc(bool strict, bool requests, const struct vsp_echo_cfg *cfg);
void fix_ready(struct fix *f);
void fix_free(struct fix *f);

#endif /* VSP_TEST_VMBUS_FIX_H */
