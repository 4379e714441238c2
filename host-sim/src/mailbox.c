// SPDX-License-Identifier: GPL-2.0
/*
 * The post mailbox. The host never trusts BAR2's cons: it keeps its own
 * and only writes the shared one. A slot is copied out before anything
 * in it is looked at, and released before it is parsed.
 */
#include <string.h>

#include <vsc/sim.h>

#include "mailbox.h"
#include "shared.h"

#define MB_PROD	(VSC_SIM_OFF_MAILBOX + offsetof(struct vsc_sim_mailbox, prod))
#define MB_CONS	(VSC_SIM_OFF_MAILBOX + offsetof(struct vsc_sim_mailbox, cons))

enum vsp_post_err vsp_post_parse(const struct vsc_hv_post_message *copy,
				 uint32_t vmbus_conn, struct vsp_post *out)
{
	uint32_t conn = le32_to_cpu(copy->connection_id);
	uint32_t type = le32_to_cpu(copy->message_type);
	uint32_t size = le32_to_cpu(copy->payload_size);
	uint32_t want;

	if (size > VSC_HV_MESSAGE_PAYLOAD)
		return VSP_POST_BAD_SIZE;
	if (conn == VSC_SIM_ECHO_CONNECTION_ID)
		want = VSC_SIM_MSGTYPE_ECHO;
	else if (conn == 1 || conn == 4 || (vmbus_conn && conn == vmbus_conn))
		want = VSC_HV_MSGTYPE_VMBUS;
	else
		return VSP_POST_BAD_CONN;
	if (type != want)
		return VSP_POST_BAD_TYPE;
	out->conn_id = conn;
	out->type = type;
	out->size = size;
	memcpy(out->payload, copy->payload, size);
	memset(out->payload + size, 0, VSC_HV_MESSAGE_PAYLOAD - size);
	return VSP_POST_OK;
}

const char *vsp_post_err_name(enum vsp_post_err err)
{
	switch (err) {
	case VSP_POST_OK:
		return "ok";
	case VSP_POST_BAD_SIZE:
		return "bad payload_size";
	case VSP_POST_BAD_CONN:
		return "bad connection_id";
	case VSP_POST_BAD_TYPE:
		return "bad message_type";
	}
	return "?";
}

enum vsp_mb_state vsp_mailbox_peek(void *bar2, uint32_t cons, uint32_t *avail,
				   uint32_t *prod)
{
	uint32_t p = sh_load32(bar2, MB_PROD);
	uint32_t n = p - cons;

	*prod = p;
	*avail = 0;
	if (n == 0)
		return VSP_MB_EMPTY;
	if (n > VSC_SIM_MAILBOX_SLOTS)
		return VSP_MB_CORRUPT;
	*avail = n;
	return VSP_MB_READY;
}

void vsp_mailbox_take(void *bar2, uint32_t cons,
		      struct vsc_hv_post_message *copy)
{
	size_t off = VSC_SIM_OFF_SLOTS +
		     (size_t)(cons % VSC_SIM_MAILBOX_SLOTS) * sizeof(*copy);

	memcpy(copy, (uint8_t *)bar2 + off, sizeof(*copy));
	/* The copy is complete before the guest may reuse the slot. */
	sh_store32(bar2, MB_CONS, cons + 1);
}

uint32_t vsp_mailbox_cons(void *bar2)
{
	return sh_load32(bar2, MB_CONS);
}

void vsp_mailbox_set_cons(void *bar2, uint32_t cons)
{
	sh_store32(bar2, MB_CONS, cons);
}
