/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsing of the channel messages the host sends (SINT 2 payloads): pure
 * functions over a private copy of the message, built into vsc_vmbus.ko
 * and into the userspace unit tests and fuzzers.
 */
#ifndef _VSC_VMBUS_MSG_H
#define _VSC_VMBUS_MSG_H

#include "ring_os.h"
#include <vsc/vmbus.h>

/**
 * struct vsc_vmbus_hmsg - a host message, checked and in CPU byte order
 * @type: VSC_VMBUS_MSG_*
 * @relid: child relid, for the types that carry one (checked 1..2047)
 * @gpadl: GPADL handle (GPADL_CREATED, GPADL_TORNDOWN)
 * @status: status or creation_status (0: success)
 * @openid: OPENCHANNEL_RESULT's openid
 * @version_supported: VERSION_RESPONSE: the host accepts the version
 * @connection_state: VERSION_RESPONSE
 * @msg_conn_id: VERSION_RESPONSE (5.0+): connection id for later messages
 * @offer: OFFERCHANNEL: the message itself (copied; fields still LE)
 */
struct vsc_vmbus_hmsg {
	u32 type;
	u32 relid;
	u32 gpadl;
	u32 status;
	u32 openid;
	u8 version_supported;
	u8 connection_state;
	u32 msg_conn_id;
	struct vsc_vmbus_offer_channel offer;
};

int vsc_vmbus_msg_parse(const void *buf, u32 len, struct vsc_vmbus_hmsg *out);
const char *vsc_vmbus_msg_name(u32 type);

#endif /* _VSC_VMBUS_MSG_H */
