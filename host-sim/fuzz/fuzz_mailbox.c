// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: a mailbox slot as the guest may leave it, taken out
 * of a BAR2 buffer and parsed (vsp_post_parse), then, for echo posts, the
 * echo payload (vsp_echo_parse). Checks the parser's promises.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <vsc/sim.h>

#include "host.h"
#include "mailbox.h"

static uint8_t bar2[VSC_SIM_BAR2_SIZE];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vsc_hv_post_message copy;
	struct vsp_echo_req req;
	struct vsp_post post;
	enum vsp_post_err err;
	uint32_t vmbus_conn = 0, cons = 0, avail, prod, i;
	unsigned int nr_vps = 1;

	if (size >= 9) {
		memcpy(&vmbus_conn, data, 4);
		memcpy(&cons, data + 4, 4);
		nr_vps = 1 + data[8] % VSC_SIM_MAX_VPS;
		data += 9;
		size -= 9;
	}
	memset(bar2, 0, sizeof(bar2));
	memcpy(bar2 + VSC_SIM_OFF_MAILBOX, data, size < 128 ? size : 128);
	if (size > 128)
		memcpy(bar2 + VSC_SIM_OFF_SLOTS, data + 128,
		       size - 128 < VSC_SIM_BAR2_SIZE - VSC_SIM_OFF_SLOTS ?
		       size - 128 : VSC_SIM_BAR2_SIZE - VSC_SIM_OFF_SLOTS);
	if (vsp_mailbox_peek(bar2, cons, &avail, &prod) != VSP_MB_READY)
		avail = 1;	/* parse one slot anyway */
	if (avail > VSC_SIM_MAILBOX_SLOTS)
		abort();
	for (i = 0; i < avail; i++, cons++) {
		vsp_mailbox_take(bar2, cons, &copy);
		if (vsp_mailbox_cons(bar2) != cons + 1)
			abort();
		err = vsp_post_parse(&copy, vmbus_conn, &post);
		if (err != VSP_POST_OK)
			continue;
		if (post.size > VSC_HV_MESSAGE_PAYLOAD)
			abort();
		if (post.conn_id != 1 && post.conn_id != 4 &&
		    post.conn_id != vmbus_conn &&
		    post.conn_id != VSC_SIM_ECHO_CONNECTION_ID)
			abort();
		if (memcmp(post.payload, copy.payload, post.size))
			abort();
		if (post.conn_id == VSC_SIM_ECHO_CONNECTION_ID &&
		    !vsp_echo_parse(&post, nr_vps, &req) &&
		    (req.target_vp >= nr_vps ||
		     req.signal_relid >= VSC_HV_EVENT_FLAGS_COUNT))
			abort();
	}
	return 0;
}
