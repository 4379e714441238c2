/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VSTOR init sequence of vsc_storvsc as a pure state machine: BEGIN,
 * QUERY_PROTOCOL_VERSION (6.2, then 6.0, then 5.1), QUERY_PROPERTIES,
 * END. The glue sends each packet it is given, waits for the answer with a
 * timeout (naming vsc_stor_init_step() when it expires) and feeds the
 * answer back. Built in userspace for tests/unit/test_storvsc_proto.c.
 */
#ifndef _VSC_STORVSC_INIT_H
#define _VSC_STORVSC_INIT_H

#include "proto.h"

enum vsc_stor_init_state {
	VSC_STOR_INIT_BEGIN,
	VSC_STOR_INIT_VERSION,
	VSC_STOR_INIT_PROPERTIES,
	VSC_STOR_INIT_END,
	VSC_STOR_INIT_DONE,
	VSC_STOR_INIT_FAILED,
};

struct vsc_stor_init {
	enum vsc_stor_init_state state;
	u8 vi;				/* index in vsc_stor_versions[] */
	u16 version;			/* agreed, once past VERSION */
	u32 status;			/* the host's NTSTATUS when it failed */
	enum vsc_stor_init_state failed;	/* the step that failed */
	struct vsc_stor_props props;
};

/* Starts over; *@out is the first packet to send. */
void vsc_stor_init_start(struct vsc_stor_init *s, struct vsc_vstor_packet *out);

/*
 * Takes the host's answer (@len bytes at @buf, copied out of the ring) to
 * the packet last sent. Returns 1 with *@out the next packet to send, 0
 * when the sequence is done (s->version and s->props hold the result), or
 * a negative errno; vsc_stor_init_step() then names the failed step.
 */
int vsc_stor_init_next(struct vsc_stor_init *s, const void *buf, u32 len,
		       struct vsc_vstor_packet *out);

/* The step waiting for an answer, or the one that failed, for messages. */
const char *vsc_stor_init_step(const struct vsc_stor_init *s);

#endif /* _VSC_STORVSC_INIT_H */
