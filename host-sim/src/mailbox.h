/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The post mailbox in BAR2 (docs/sim-transport.md, "post_message"): taking
 * slots out of it, and parsing a slot copy into a typed post or a typed
 * error. Pure functions over a BAR2 buffer and over plain copies.
 */
#ifndef VSP_MAILBOX_H
#define VSP_MAILBOX_H

#include <stdint.h>

#include <vsc/hv.h>

/* A post, parsed and validated. */
struct vsp_post {
	uint32_t conn_id;
	uint32_t type;
	uint32_t size;			/* <= VSC_HV_MESSAGE_PAYLOAD */
	uint8_t payload[VSC_HV_MESSAGE_PAYLOAD];
};

enum vsp_post_err {
	VSP_POST_OK,
	VSP_POST_BAD_SIZE,	/* payload_size > 240 */
	VSP_POST_BAD_CONN,	/* not a connection id the host serves */
	VSP_POST_BAD_TYPE,	/* wrong message type for the connection */
};

/*
 * Parses a slot copy. Valid connection ids: VMBus's message ids 1 and 4,
 * vmbus_conn (the one the host returned in VERSION_RESPONSE; 0 for none)
 * and the echo id; VMBus ids carry message type 1, the echo id the echo
 * type. Reserved bits are ignored, as Hyper-V does.
 */
enum vsp_post_err vsp_post_parse(const struct vsc_hv_post_message *copy,
				 uint32_t vmbus_conn, struct vsp_post *out);

const char *vsp_post_err_name(enum vsp_post_err err);

enum vsp_mb_state {
	VSP_MB_EMPTY,
	VSP_MB_READY,		/* *avail slots are published */
	VSP_MB_CORRUPT,		/* prod is more than a ring ahead of cons */
};

/*
 * Reads prod once and compares it with the host's private cons. *prod is
 * set in every case (for the log).
 */
enum vsp_mb_state vsp_mailbox_peek(void *bar2, uint32_t cons, uint32_t *avail,
				   uint32_t *prod);

/* Copies slot cons % slots out of BAR2, then releases cons + 1. */
void vsp_mailbox_take(void *bar2, uint32_t cons,
		      struct vsc_hv_post_message *copy);

/* BAR2's cons as it is now (the host checks nobody else wrote it). */
uint32_t vsp_mailbox_cons(void *bar2);
void vsp_mailbox_set_cons(void *bar2, uint32_t cons);

#endif /* VSP_MAILBOX_H */
