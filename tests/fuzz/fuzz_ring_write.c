// SPDX-License-Identifier: GPL-2.0
/*
 * The ring writer against a hostile reader, and both ends against each
 * other. Operations: single and batched writes of random sizes, an honest
 * reader taking packets, the reader masking interrupts or asking for
 * pending_send_sz semantics, and a hostile reader moving the read index
 * anywhere. As long as nobody was hostile, every packet read back must be
 * exactly the packet written, in order, and the signals must follow the
 * rules; once the reader was hostile, the writer must only fail cleanly.
 */
#include "fuzz_common.h"

#define MAXQ 1024

static u64 pktbuf[VSC_RING_MAX_PACKET / 8];
static u8 payload[70000];

struct expect {
	u32 len;
	u8 seed;
};

static struct expect q[MAXQ];
static unsigned int qhead, qtail;

static void fill(u8 *p, u32 len, u8 seed)
{
	u32 i;

	for (i = 0; i < len; i++)
		p[i] = (u8)(seed + i * 13);
}

static int write_one(struct vsc_ring *w, u32 len, u8 seed, bool batch)
{
	struct vsc_packet_desc d;
	struct vsc_ring_buf b[3];
	u32 half = len / 2;
	int ret;

	if (vsc_ring_desc_fill(&d, VSC_PKT_DATA_INBAND, 0, seed, 16, len))
		return -EMSGSIZE;
	if (vsc_ring_pkt_space(16 + len) < w->size)
		fill(payload, len, seed);
	b[0] = (struct vsc_ring_buf){ &d, 16 };
	b[1] = (struct vsc_ring_buf){ payload, half };
	b[2] = (struct vsc_ring_buf){ payload + half, len - half };
	ret = batch ? vsc_ring_write_next(w, b, 3) : vsc_ring_write(w, b, 3);
	fuzz_check(ret == 0 || ret == -ENOSPC || ret == -EMSGSIZE ||
		   ret == -EIO);
	if (ret == -EIO)
		fuzz_check(vsc_ring_is_broken(w));
	if (!ret && qtail - qhead < MAXQ)
		q[qtail++ % MAXQ] = (struct expect){ len, seed };
	return ret;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct vsc_ring_control *ctl;
	struct vsc_ring r, w;
	bool hostile = false, batch = false;
	u32 rsize, len;
	u8 *area;
	int ret;

	if (size < 2)
		return 0;
	rsize = fuzz_ring_size(fuzz_u8(&in));
	ctl = aligned_alloc(4096, sizeof(*ctl));
	area = malloc(rsize);
	if (!ctl || !area)
		abort();
	memset(area, 0, rsize);
	vsc_ring_control_init(ctl, fuzz_u8(&in) & 1 ?
			      VSC_RING_FEAT_PENDING_SEND_SZ : 0);
	fuzz_check(!vsc_ring_init(&w, VSC_RING_WRITER, ctl, area, rsize, NULL));
	fuzz_check(!vsc_ring_init(&r, VSC_RING_READER, ctl, area, rsize, NULL));
	r.flags = VSC_RING_F_STRICT;
	qhead = 0;
	qtail = 0;

	while (in.left) {
		u8 op = fuzz_u8(&in);
		u64 sig;

		switch (op % 8) {
		case 0:		/* write a packet: payload length from input */
			len = fuzz_u16(&in);
			if (op & 0x80)
				len %= rsize;
			sig = w.stats.signals;
			ret = write_one(&w, len, op, batch);
			/* A write that found the ring empty and unmasked signals. */
			if (!ret && !batch && !hostile &&
			    qtail - qhead == 1 && !ctl->interrupt_mask)
				fuzz_check(w.stats.signals == sig + 1);
			break;
		case 1:		/* the honest reader takes packets */
			while (op >= 16) {
				op -= 16;
				ret = vsc_ring_read(&r, pktbuf, sizeof(pktbuf),
						    &len);
				if (hostile) {
					fuzz_check(ret == 0 || ret == -EAGAIN ||
						   ret == -EIO);
					continue;
				}
				if (ret == -EAGAIN) {
					fuzz_check(qhead == qtail || batch);
					break;
				}
				fuzz_check(ret == 0 && qhead != qtail);
				{
					struct expect e = q[qhead++ % MAXQ];
					u8 *pb = (u8 *)pktbuf;

					fuzz_check(len == ((16 + e.len + 7) & ~7U));
					fill(payload, e.len, e.seed);
					fuzz_check(!memcmp(pb + 16, payload,
							   e.len));
				}
			}
			break;
		case 2:
			if (op & 0x80)
				vsc_ring_mask_interrupts(&r);
			else
				vsc_ring_unmask_interrupts(&r);
			break;
		case 3:		/* a hostile reader moves the read index */
			ctl->read_index = cpu_to_le32(fuzz_u16(&in));
			hostile = true;
			break;
		case 4:
			if (batch) {
				ret = vsc_ring_write_end(&w);
				fuzz_check(ret == 0 || ret == -EIO);
				batch = false;
			} else {
				ret = vsc_ring_write_begin(&w);
				fuzz_check(ret == 0 || ret == -EIO);
				batch = !ret;
			}
			break;
		case 5:
			ret = vsc_ring_write_avail(&w);
			fuzz_check(ret == -EIO || (ret >= 0 && ret < (int)rsize));
			break;
		case 6:
			ret = vsc_ring_set_pending_send(&w, fuzz_u16(&in));
			fuzz_check(ret == 0 || ret == 1 || ret == -EMSGSIZE ||
				   ret == -EOPNOTSUPP || ret == -EIO);
			if (op & 0x80)
				vsc_ring_clear_pending_send(&w);
			break;
		case 7:		/* a hostile reader writes the write index */
			ctl->write_index = cpu_to_le32(fuzz_u16(&in) * 8);
			hostile = true;
			break;
		}
		if (!vsc_ring_is_broken(&w)) {
			fuzz_check(w.index < rsize && !(w.index & 7));
			fuzz_check(w.cursor < rsize && !(w.cursor & 7));
		}
		if (!hostile)
			fuzz_check(!vsc_ring_is_broken(&w) &&
				   !vsc_ring_is_broken(&r));
	}
	if (batch)
		vsc_ring_write_end(&w);
	free(area);
	free(ctl);
	return 0;
}
