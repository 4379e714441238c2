// SPDX-License-Identifier: GPL-2.0
/*
 * What the channel worker offers device classes (dev/dev.h): answers
 * into the guest's inbound ring, sub-channel requests, naps and the
 * clock. A class calls these on the worker's thread, from its packet()
 * and complete() callbacks, inside the worker's write batch.
 */
#include <errno.h>
#include <poll.h>
#include <time.h>

#include "chan_int.h"
#include "hostile.h"

uint64_t vsp_dev_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int vsp_worker_send(struct vsp_worker *w, const struct vsc_ring_buf *b,
		    unsigned int n, uint32_t len)
{
	bool own = !w->out.in_batch;
	uint32_t start;
	int ret, end = 0;

	if (w->broken || w->attacked)
		return -EIO;
	if (w->blocked)
		return -ENOSPC;	/* nothing passes an answer that waits */
	if (own && vsc_ring_write_begin(&w->out)) {
		vsp_worker_corrupt(w, &w->out);
		return -EIO;
	}
	start = w->out.cursor;
	ret = vsc_ring_write_next(&w->out, b, n);
	if (own)
		end = vsc_ring_write_end(&w->out);
	if (end) {
		vsp_worker_corrupt(w, &w->out);
		return -EIO;
	}
	if (!ret && ++w->answered == VSP_HOSTILE_AFTER && w->attack) {
		vsp_log("hostile: relid %u: %s", w->relid,
			vsp_hostile_name(w->attack));
		if (vsp_hostile_ring_desc(w->attack, &w->out, start))
			w->attacked = true;
		else
			w->attack_index = true;
	}
	if (ret == -ENOSPC) {
		w->blocked = true;
		w->need = vsc_ring_pkt_space(len);
		w->stalls++;
		return -ENOSPC;
	}
	if (ret == -EMSGSIZE) {
		w->dc.refused++;
		return 0;
	}
	if (ret) {
		vsp_worker_corrupt(w, &w->out);
		return -EIO;
	}
	return 0;
}

int vsp_dev_reply(struct vsp_dev_chan *dc, uint16_t type, uint64_t trans_id,
		  const void *data, uint32_t len)
{
	struct vsc_packet_desc desc;
	struct vsc_ring_buf b[2];

	if (vsc_ring_desc_fill(&desc, type, 0, trans_id, sizeof(desc), len)) {
		dc->refused++;
		return 0;
	}
	b[0].base = &desc;
	b[0].len = sizeof(desc);
	b[1].base = data;
	b[1].len = len;
	return vsp_worker_send(dc->w, b, 2, sizeof(desc) + len);
}

void vsp_dev_subchannels(struct vsp_dev_chan *dc, uint32_t n)
{
	struct vsp_worker *w = dc->w;

	if (vsp_vmbus_subreq(w->vm, w->relid, w->gen, n))
		vsp_log("relid %u: sub-channel request queue full: %u dropped",
			w->relid, n);
}

void vsp_dev_nap(struct vsp_dev_chan *dc, uint32_t us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };
	struct pollfd p = { .fd = dc->w->stop_fd, .events = POLLIN };

	ppoll(&p, 1, &ts, NULL);
}
