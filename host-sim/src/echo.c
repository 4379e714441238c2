// SPDX-License-Identifier: GPL-2.0
/*
 * The echo service (docs/sim-transport.md, "The echo service"): a post to
 * VSC_SIM_ECHO_CONNECTION_ID comes back on VP target_vp, same type and
 * payload, host_seq filled in, and optionally an event flag.
 */
#include <errno.h>
#include <string.h>

#include "host.h"

#define ECHO_SEQ_OFF	offsetof(struct vsc_sim_echo, host_seq)

int vsp_echo_parse(const struct vsp_post *p, unsigned int nr_vps,
		   struct vsp_echo_req *req)
{
	struct vsc_sim_echo e;

	if (p->size < sizeof(e))
		return -EINVAL;
	memcpy(&e, p->payload, sizeof(e));
	req->target_vp = le32_to_cpu(e.target_vp);
	req->signal_relid = le32_to_cpu(e.signal_relid);
	if (req->target_vp >= nr_vps ||
	    req->signal_relid >= VSC_HV_EVENT_FLAGS_COUNT)
		return -EINVAL;
	return 0;
}

enum vsp_echo_result vsp_echo_handle(struct vsp_host *h,
				     const struct vsp_post *p)
{
	struct vsp_echo_req req = { 0 };
	struct vsp_msg m;
	__le64 seq;
	int ret;

	if (vsp_echo_parse(p, h->nr_vps, &req)) {
		vsp_host_violation(h, VSP_V_ECHO_BAD,
				   "echo post: payload_size %u (needs %zu), target_vp %u (of %u), signal_relid %u",
				   p->size, sizeof(struct vsc_sim_echo),
				   req.target_vp, h->nr_vps, req.signal_relid);
		return VSP_ECHO_BAD;
	}
	m.type = p->type;
	m.size = p->size;
	m.sender = 0;
	memcpy(m.payload, p->payload, p->size);
	seq = cpu_to_le64(h->echo_seq + 1);
	memcpy(m.payload + ECHO_SEQ_OFF, &seq, sizeof(seq));
	ret = vsp_host_send(h, req.target_vp, &m);
	if (ret == -EAGAIN) {
		h->st.echo_stalls++;
		return VSP_ECHO_RETRY;
	}
	if (ret)
		return VSP_ECHO_BAD;
	h->echo_seq++;
	h->st.echo_replies++;
	if (req.signal_relid)
		vsp_host_signal(h, req.target_vp, req.signal_relid);
	return VSP_ECHO_DONE;
}
