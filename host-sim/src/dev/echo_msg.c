// SPDX-License-Identifier: GPL-2.0
/*
 * The echo protocol: every in-band packet comes back with the same
 * payload, as a completion with the same transaction id when the guest
 * asked for one, else in-band. The payload's pattern is checked on the
 * way: vsp-sim is the referee of what the guest sent.
 */
#include <string.h>

#include "echo_msg.h"
#include "ringlib.h"

#include <vsc/echo.h>

bool vsp_echo_dev_check(const uint8_t *data, uint32_t len, uint32_t *msg_len,
			bool *sink)
{
	struct vsc_echo_msg m;
	uint32_t n, seed, i;

	if (len < sizeof(m))
		return false;
	memcpy(&m, data, sizeof(m));
	*sink = le32_to_cpu(m.magic) == VSC_ECHO_MAGIC_SINK;
	if (le32_to_cpu(m.magic) != VSC_ECHO_MAGIC && !*sink)
		return false;
	n = le32_to_cpu(m.len);
	seed = le32_to_cpu(m.seed);
	/* The ring pads packets to 8 bytes: at most 7 bytes of padding. */
	if (n > len - sizeof(m) || len - sizeof(m) - n >= VSC_PKT_ALIGN)
		return false;
	for (i = 0; i < n; i++)
		if (data[sizeof(m) + i] != vsc_echo_byte(seed, i))
			return false;
	*msg_len = sizeof(m) + n;
	return true;
}

bool vsp_echo_dev_is_ctrl(const struct vsc_ring_pkt *pkt)
{
	uint32_t magic;

	if (pkt->type != VSC_PKT_DATA_INBAND || pkt->data_len < sizeof(magic))
		return false;
	memcpy(&magic, pkt->data, sizeof(magic));
	return le32_to_cpu(magic) == VSC_ECHO_MAGIC_CTRL;
}

void vsp_echo_dev_ctrl(const struct vsp_echo_cfg *cfg,
		       const struct vsc_ring_pkt *pkt, bool primary, bool busy,
		       struct vsp_echo_reply *r, uint32_t *grant)
{
	bool want = pkt->flags & VSC_PKT_FLAG_COMPLETION_REQUESTED;
	struct vsc_echo_ctrl c = { 0 };
	uint32_t status, n = 0;

	memset(r, 0, sizeof(*r));
	r->trans_id = pkt->trans_id;
	r->type = want && cfg->completion == VSP_ECHO_COMP_REQUESTED ?
		  VSC_PKT_COMPLETION : VSC_PKT_DATA_INBAND;
	/* The ring pads to 8 bytes: 16 is exact, anything else is junk. */
	if (pkt->data_len >= sizeof(c))
		memcpy(&c, pkt->data, sizeof(c));
	if (pkt->data_len != sizeof(c) ||
	    le32_to_cpu(c.op) != VSC_ECHO_OP_SUBCHANNELS || c.status)
		status = VSC_ECHO_ST_BAD_OP;
	else if (!primary)
		status = VSC_ECHO_ST_NOT_PRIMARY;
	else if (!c.arg || le32_to_cpu(c.arg) > VSC_ECHO_MAX_SUBCHANNELS)
		status = VSC_ECHO_ST_RANGE;
	else if (busy)
		status = VSC_ECHO_ST_BUSY;
	else
		status = VSC_ECHO_ST_OK;
	if (status == VSC_ECHO_ST_OK)
		n = le32_to_cpu(c.arg);
	c.magic = cpu_to_le32(VSC_ECHO_MAGIC_CTRL);
	c.arg = cpu_to_le32(n);
	c.status = cpu_to_le32(status);
	memcpy(r->hdr, &c, sizeof(c));
	r->data = r->hdr;
	r->len = sizeof(c);
	*grant = n;
}

enum vsp_echo_verdict vsp_echo_dev_handle(const struct vsp_echo_cfg *cfg,
					  const struct vsc_ring_pkt *pkt,
					  struct vsp_echo_reply *r)
{
	bool want = pkt->flags & VSC_PKT_FLAG_COMPLETION_REQUESTED;
	struct vsc_echo_msg h;
	uint32_t msg_len;
	bool ok, sink;

	memset(r, 0, sizeof(*r));
	if (pkt->type != VSC_PKT_DATA_INBAND)
		return VSP_ED_BAD_TYPE;
	r->trans_id = pkt->trans_id;
	r->type = want && cfg->completion == VSP_ECHO_COMP_REQUESTED ?
		  VSC_PKT_COMPLETION : VSC_PKT_DATA_INBAND;
	if (cfg->max_bytes && pkt->data_len > cfg->max_bytes)
		return VSP_ED_REFUSED;
	ok = vsp_echo_dev_check(pkt->data, pkt->data_len, &msg_len, &sink);
	r->data = pkt->data;
	r->len = ok ? msg_len : pkt->data_len;
	if (ok && sink) {
		memcpy(&h, pkt->data, sizeof(h));
		h.len = 0;
		memcpy(r->hdr, &h, sizeof(h));
		r->data = r->hdr;
		r->len = sizeof(h);
	}
	return ok ? VSP_ED_REPLY : VSP_ED_BAD_PATTERN;
}
