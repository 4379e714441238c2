// SPDX-License-Identifier: GPL-2.0
/*
 * The ring reader against a hostile writer. Built twice: with
 * FUZZ_VIEW=VSC_RING_VIEW_GUEST (the guest reading what the host wrote)
 * and FUZZ_VIEW=VSC_RING_VIEW_HOST (vsp-sim reading what the guest wrote);
 * every packet read is handed to the parser of that view.
 *
 * Input: a 12-byte header (ring size, initial indices, flags, how many
 * trailing bytes are operations), the data area's initial contents, then
 * the operations: read batches with various buffer sizes, the writer
 * moving or corrupting its index, the bytes, pending_send_sz and the
 * reader's own index, and an honest writer adding valid packets.
 */
#include "fuzz_common.h"

#ifndef FUZZ_VIEW
#define FUZZ_VIEW VSC_RING_VIEW_GUEST
#endif

static const u32 bufsizes[] = { 16, 24, 64, 512, 4096, VSC_RING_MAX_PACKET };
static u64 pktbuf[VSC_RING_MAX_PACKET / 8];

static u32 dist(const struct vsc_ring *r, u32 from, u32 to)
{
	return to >= from ? to - from : r->size - from + to;
}

/* Checks the reader's private state after any call. */
static void check_reader(struct vsc_ring *r, int ret)
{
	fuzz_check(ret == 0 || ret == -EAGAIN || ret == -ENOBUFS ||
		   ret == -EIO);
	if (ret == -EIO)
		fuzz_check(vsc_ring_is_broken(r));
	if (vsc_ring_is_broken(r)) {
		fuzz_check(r->reason);
		return;
	}
	fuzz_check(r->index < r->size && !(r->index & 7));
	fuzz_check(r->peer < r->size && !(r->peer & 7));
	fuzz_check(r->cursor < r->size && !(r->cursor & 7));
	/* Never read past what the writer made visible. */
	fuzz_check(dist(r, r->index, r->cursor) <= dist(r, r->index, r->peer));
}

/*
 * The next packet in place: the body is in the data area, whole, or in
 * the bounce buffer; the packet is then put together in pktbuf for the
 * parser.
 */
static int read_inplace(struct vsc_ring *r, u32 buflen, u32 *len)
{
	struct vsc_packet_desc d;
	const u8 *body = NULL;
	int ret;

	ret = vsc_ring_read_next_inplace(r, &d, &body, pktbuf, buflen, len);
	if (ret)
		return ret;
	fuzz_check(*len >= 16 && !(*len & 7));
	if (body == (const u8 *)pktbuf) {
		fuzz_check(*len - 16 <= buflen);
		memmove((u8 *)pktbuf + 16, pktbuf, *len - 16);
	} else {
		fuzz_check(body >= r->data && body < r->data + r->size &&
			   *len - 16 <= (u32)(r->data + r->size - body));
		memcpy((u8 *)pktbuf + 16, body, *len - 16);
	}
	memcpy(pktbuf, &d, sizeof(d));
	return 0;
}

static void read_batch(struct vsc_ring *r, u32 buflen, unsigned int max,
		       bool inplace)
{
	unsigned int n = 0;
	u32 len = 0;
	int ret;

	ret = vsc_ring_read_begin(r);
	check_reader(r, ret);
	if (ret)
		return;
	while (n++ < max) {
		if (inplace)
			ret = read_inplace(r, buflen, &len);
		else
			ret = vsc_ring_read_next(r, pktbuf, buflen, &len);
		check_reader(r, ret);
		if (ret == -ENOBUFS)
			fuzz_check(len > buflen);
		if (ret)
			break;
		fuzz_check(len >= 16 && !(len & 7));
		if (!inplace)
			fuzz_check(len <= buflen);
		fuzz_parse(pktbuf, len, FUZZ_VIEW);
	}
	ret = vsc_ring_read_end(r);
	fuzz_check(ret == 0 || ret == -EIO);
	check_reader(r, ret);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct vsc_ring_control *ctl;
	struct vsc_ring r, w;
	u32 rsize, widx, ridx, flags, nops, ndata, pending;
	struct fuzz_in ops;
	u8 *area;
	int ret;

	if (size < 12)
		return 0;
	rsize = fuzz_ring_size(fuzz_u8(&in));
	widx = fuzz_u16(&in);
	ridx = fuzz_u16(&in);
	flags = fuzz_u8(&in);
	nops = fuzz_u16(&in);
	pending = fuzz_u32(&in);
	if (nops > in.left)
		nops = in.left;
	ndata = in.left - nops;
	ops.p = in.p + ndata;
	ops.left = nops;

	ctl = aligned_alloc(4096, sizeof(*ctl));
	area = malloc(rsize);
	if (!ctl || !area)
		abort();
	vsc_ring_control_init(ctl, flags & 1 ? VSC_RING_FEAT_PENDING_SEND_SZ : 0);
	memset(area, 0, rsize);
	memcpy(area, in.p, ndata < rsize ? ndata : rsize);
	/* Mostly valid starting indices; raw ones when flag bit 1 says so. */
	if (!(flags & 2)) {
		widx = (widx * 8) % rsize;
		ridx = (ridx * 8) % rsize;
	}
	ctl->write_index = cpu_to_le32(widx);
	ctl->read_index = cpu_to_le32(ridx);
	ctl->interrupt_mask = cpu_to_le32(flags >> 7);
	ctl->pending_send_sz = cpu_to_le32(pending);

	ret = vsc_ring_init(&r, VSC_RING_READER, ctl, area, rsize, NULL);
	fuzz_check(ret == 0 || ret == -EIO);
	r.flags = flags & 4 ? VSC_RING_F_STRICT : 0;
	vsc_ring_init(&w, VSC_RING_WRITER, ctl, area, rsize, NULL);

	while (ops.left) {
		u8 op = fuzz_u8(&ops);
		u32 v;

		switch (op % 10) {
		case 0:
			read_batch(&r, bufsizes[(op >> 4) % 6], 1 + (op >> 4),
				   (op >> 4) / 6 == 1);
			break;
		case 1:
			ret = vsc_ring_read(&r, pktbuf, bufsizes[(op >> 4) % 6],
					    &v);
			check_reader(&r, ret);
			if (!ret)
				fuzz_parse(pktbuf, v, FUZZ_VIEW);
			break;
		case 2:		/* the writer moves its index */
			v = fuzz_u16(&ops);
			if (!(op & 0x80))
				v = (le32_to_cpu(ctl->write_index) + v * 8) %
				    rsize;
			ctl->write_index = cpu_to_le32(v);
			break;
		case 3:
			vsc_ring_mask_interrupts(&r);
			break;
		case 4:
			ret = vsc_ring_unmask_interrupts(&r);
			fuzz_check(ret >= 0 || ret == -EIO);
			fuzz_check(ret < (int)rsize);
			break;
		case 5:
			ret = vsc_ring_read_avail(&r);
			fuzz_check(ret >= 0 || ret == -EIO);
			fuzz_check(ret < (int)rsize);
			break;
		case 6:		/* the writer changes bytes */
			v = fuzz_u16(&ops) % rsize;
			area[v] = fuzz_u8(&ops);
			break;
		case 7:
			ctl->pending_send_sz = cpu_to_le32(fuzz_u16(&ops));
			ctl->feature_bits = cpu_to_le32(op >> 7);
			break;
		case 8:		/* a hostile writer rewrites our index */
			ctl->read_index = cpu_to_le32(fuzz_u16(&ops));
			break;
		case 9: {	/* an honest writer adds a packet */
			u8 payload[600];
			u32 len = fuzz_u16(&ops) % sizeof(payload);

			memset(payload, op, len);
			ret = vsc_ring_send(&w, 6 + (op >> 4) % 6, 0, op, NULL,
					    0, payload, len);
			fuzz_check(ret == 0 || ret == -ENOSPC ||
				   ret == -EMSGSIZE || ret == -EIO);
			break;
		}
		}
	}
	read_batch(&r, VSC_RING_MAX_PACKET, 1000, false);
	if (vsc_ring_is_broken(&r)) {
		u32 len;

		fuzz_check(vsc_ring_read(&r, pktbuf, sizeof(pktbuf), &len) ==
			   -EIO);
	}
	free(area);
	free(ctl);
	return 0;
}
