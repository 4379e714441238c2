// SPDX-License-Identifier: GPL-2.0
/*
 * The echo device class: every in-band packet comes back with the same
 * payload, as a completion with the same transaction id when the guest
 * asked for one, else in-band. The payload's pattern is checked on the
 * way: vsp-sim is the referee of what the guest sent.
 */
#include <string.h>

#include "echo_dev.h"
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
