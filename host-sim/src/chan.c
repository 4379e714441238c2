// SPDX-License-Identifier: GPL-2.0
/*
 * The channel worker (see chan.h). It moves packets and knows no device
 * protocol: each packet read goes to the channel's device class
 * (dev/dev.h), which answers through vsp_dev_reply() at once or later,
 * from complete(), when its completion source (dc.fd, polled with the
 * doorbell) says so. The reader loop is the one ring.h prescribes: mask,
 * read a batch, end it, unmask and look again; answers written meanwhile
 * form one write batch, so the signal decisions are made once per batch,
 * by the ring code; the worker only carries them out. The guest's rings
 * are hostile memory: a ring the guest corrupts is a violation and the
 * channel stops moving data until the guest closes it.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "chan_int.h"
#include "hostile.h"

void vsp_worker_on_signal(struct vsc_ring *ring)
{
	struct vsp_worker *w = ring->priv;
	uint32_t vp = __atomic_load_n(&w->c->target_vp, __ATOMIC_ACQUIRE);

	/* --bug=skip-signal: answers arrive without an interrupt. */
	if ((w->h->bugs & VSP_BUG_SKIP_SIGNAL) && ring == &w->out)
		return;
	/* --bug=no-send-wakeup: a guest waiting for room waits on. */
	if ((w->h->bugs & VSP_BUG_NO_SEND_WAKEUP) && ring == &w->in)
		return;
	if (vsp_host_signal(w->h, vp, w->relid)) {
		w->sig_lost++;	/* no SIEFP now: the guest rescans on ready */
		return;
	}
	w->irqs++;
	/* The reader's rule: our reads crossed the guest's pending_send_sz. */
	if (ring == &w->in) {
		w->send_wakeups++;
		__atomic_fetch_add(&w->vm->st.send_wakeups, 1,
				   __ATOMIC_RELAXED);
	}
}

void vsp_worker_corrupt(struct vsp_worker *w, const struct vsc_ring *r)
{
	if (w->broken)
		return;
	w->broken = true;
	vsp_host_violation(w->h, VSP_V_RING_CORRUPT,
			   "relid %u: %s ring: %s; channel stopped",
			   w->relid, r == &w->in ? "guest-to-host" :
			   "host-to-guest", r->reason ? r->reason : "?");
}

/* Blocked: true once the held answer fits, else wait (or broken). */
static bool room(struct vsp_worker *w)
{
	int ret = vsc_ring_write_avail(&w->out);

	if (ret >= 0 && (uint32_t)ret >= w->need)
		ret = 1;
	else if (ret >= 0)
		ret = vsc_ring_set_pending_send(&w->out, w->need);
	if (ret == 1) {
		if (w->waiting)
			vsc_ring_clear_pending_send(&w->out);
		w->blocked = w->waiting = w->poll_room = false;
		return true;
	}
	if (ret == 0) {
		w->waiting = true;
	} else if (ret == -EOPNOTSUPP) {
		w->poll_room = true;
	} else {
		vsp_worker_corrupt(w, &w->out);
	}
	return false;
}

/* The class answers what is ready, in a write batch of its own. */
static void complete(struct vsp_worker *w)
{
	if (!w->cls->complete || w->broken || w->attacked)
		return;
	if (vsc_ring_write_begin(&w->out)) {
		vsp_worker_corrupt(w, &w->out);
		return;
	}
	w->cls->complete(&w->dc);
	if (vsc_ring_write_end(&w->out))
		vsp_worker_corrupt(w, &w->out);
}

/* One packet, copied out of the ring into w->rx. */
static void handle(struct vsp_worker *w, uint32_t len)
{
	struct vsc_ring_pkt pkt;

	if (vsc_ring_pkt_parse(w->rx, len, VSC_RING_VIEW_HOST, &pkt)) {
		w->dc.bad++;
		vsp_host_violation(w->h, VSP_V_PACKET_BAD,
				   "relid %u: packet of %u bytes does not parse",
				   w->relid, len);
		return;
	}
	w->cls->packet(&w->dc, &pkt);
}

/* `ctl stall`: the guest-to-host ring is left alone until then. */
static bool stalled(struct vsp_worker *w)
{
	uint64_t until = __atomic_load_n(&w->stall_until, __ATOMIC_ACQUIRE);

	if (!until)
		return false;
	if (vsp_dev_now_ns() < until)
		return true;
	/* Over, unless the control plane set a new one meanwhile. */
	__atomic_compare_exchange_n(&w->stall_until, &until, 0, false,
				    __ATOMIC_RELAXED, __ATOMIC_RELAXED);
	w->ctl_stalls++;
	return false;
}

static void service(struct vsp_worker *w, bool fired)
{
	uint32_t len;
	int ret, more;

	if (fired || w->dc.busy)
		complete(w);
	while (!w->broken && !w->attacked) {
		if (w->blocked) {
			if (!room(w))
				return;
			complete(w);
			continue;
		}
		if (w->dc.busy || stalled(w))
			return;	/* the class's fd or the stall's end wakes us */
		vsc_ring_mask_interrupts(&w->in);
		if (vsc_ring_read_begin(&w->in)) {
			vsp_worker_corrupt(w, &w->in);
			return;
		}
		if (vsc_ring_write_begin(&w->out)) {
			vsc_ring_read_end(&w->in);
			vsp_worker_corrupt(w, &w->out);
			return;
		}
		while (!w->blocked && !w->dc.busy && !w->broken &&
		       !w->attacked && !w->attack_index) {
			ret = vsc_ring_read_next(&w->in, w->rx, w->bufsize,
						 &len);
			if (ret == -EAGAIN)
				break;
			if (ret) {
				vsp_worker_corrupt(w, &w->in);
				break;
			}
			handle(w, len);
		}
		if (vsc_ring_read_end(&w->in))
			vsp_worker_corrupt(w, &w->in);
		if (vsc_ring_write_end(&w->out))
			vsp_worker_corrupt(w, &w->out);
		if (w->attack_index) {
			vsp_hostile_ring_index(w->attack, &w->out, &w->in);
			w->attack_index = false;
			w->attacked = true;
		}
		if (w->attacked) {
			/* Make sure the guest looks (a spurious signal). */
			vsp_worker_on_signal(&w->out);
			return;
		}
		if (w->blocked || w->broken || w->dc.busy)
			continue;
		more = vsc_ring_unmask_interrupts(&w->in);
		if (more < 0)
			vsp_worker_corrupt(w, &w->in);
		if (more <= 0)
			return;
	}
}

/* Milliseconds until the worker must look without a wake-up, or -1. */
static int timeout_ms(struct vsp_worker *w)
{
	uint64_t until = __atomic_load_n(&w->stall_until, __ATOMIC_ACQUIRE);
	uint64_t now;
	int t = -1;

	/* Without pending_send_sz a full guest ring is polled, 1 ms. */
	if (w->blocked && w->poll_room)
		t = 1;
	if (until) {
		now = vsp_dev_now_ns();
		if (until <= now)
			return 0;
		if (until - now < 1000000000ULL * 60 &&
		    (t < 0 || (until - now) / 1000000 + 1 < (uint64_t)t))
			t = (until - now) / 1000000 + 1;
		else if (t < 0)
			t = 60000;
	}
	return t;
}

static void *worker(void *arg)
{
	struct vsp_worker *w = arg;
	struct pollfd p[3] = {
		{ .fd = w->kick_fd, .events = POLLIN },
		{ .fd = w->stop_fd, .events = POLLIN },
		{ .fd = w->dc.fd, .events = POLLIN },	/* -1: none */
	};
	uint64_t v;

	for (;;) {
		if (poll(p, 3, timeout_ms(w)) < 0 && errno != EINTR)
			break;
		if (p[1].revents)
			break;
		if (p[0].revents && read(w->kick_fd, &v, sizeof(v)) < 0 &&
		    errno != EAGAIN)
			break;
		w->wakeups++;
		service(w, p[2].revents);
	}
	return NULL;
}

static void worker_free(struct vsp_worker *w)
{
	if (w->opened && w->cls->close)
		w->cls->close(&w->dc);
	if (w->kick_fd >= 0)
		close(w->kick_fd);
	if (w->stop_fd >= 0)
		close(w->stop_fd);
	free(w->rx);
	free(w);
}

int vsp_worker_attach(struct vsp_vmbus *vm, struct vsp_chan *c)
{
	uint8_t *up = c->map, *down = up + (size_t)c->down_pages * VSP_PAGE;
	uint32_t up_size = (c->down_pages - 1) * VSP_PAGE;
	uint32_t down_size = (c->map_pages - c->down_pages - 1) * VSP_PAGE;
	struct vsp_worker *w;
	int ret;

	if (!vsp_dev_class(c->cls))
		return -EINVAL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->h = vm->h;
	w->vm = vm;
	w->c = c;
	w->cls = vsp_dev_class(c->cls);
	/* vsp_vm_on_open() counts this open once the worker runs. */
	w->gen = c->opens + 1;
	w->relid = c->relid;
	w->primary = c->sub_index ? c->primary : c->relid;
	w->dc.cfg = vsp_dev_cfg(vm, c->cls);
	w->dc.fd = -1;
	w->dc.relid = c->relid;
	w->dc.primary = !c->sub_index;
	w->dc.h = vm->h;
	w->dc.w = w;
	w->kick_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	w->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	/* No packet is larger than its ring. */
	w->bufsize = up_size < VSC_RING_MAX_PACKET ? up_size :
		     VSC_RING_MAX_PACKET;
	w->rx = malloc(w->bufsize);
	if (w->kick_fd < 0 || w->stop_fd < 0 || !w->rx) {
		worker_free(w);
		return -ENOMEM;
	}
	/* The guest formatted both control pages before the GPADL. */
	if (vsc_ring_init(&w->in, VSC_RING_READER, (void *)up, up + VSP_PAGE,
			  up_size, vsp_worker_on_signal) ||
	    vsc_ring_init(&w->out, VSC_RING_WRITER, (void *)down,
			  down + VSP_PAGE, down_size, vsp_worker_on_signal)) {
		vsp_host_violation(vm->h, VSP_V_OPEN_BAD,
				   "relid %u: ring control pages hold bad indices",
				   c->relid);
		worker_free(w);
		return -EIO;
	}
	w->in.priv = w;
	w->out.priv = w;
	if (vm->h->strict)
		w->in.flags |= VSC_RING_F_STRICT;
	ret = w->cls->open ? w->cls->open(&w->dc) : 0;
	if (ret) {
		vsp_log("relid %u: %s class cannot open: %s", c->relid,
			w->cls->name, strerror(-ret));
		worker_free(w);
		return ret;
	}
	w->opened = true;
	if (c->relid == vm->h->hostile_relid)
		w->attack = vsp_hostile_ring_pick(vm->h->hostile, c->opens);
	c->w = w;
	return 0;
}

void vsp_worker_service(struct vsp_chan *c)
{
	if (c->w)
		service(c->w, true);
}

void vsp_worker_detach(struct vsp_chan *c)
{
	if (c->w)
		worker_free(c->w);
	c->w = NULL;
}

struct vsp_dev_chan *vsp_worker_dev(struct vsp_chan *c)
{
	return c->w ? &c->w->dc : NULL;
}

int vsp_worker_start(struct vsp_vmbus *vm, struct vsp_chan *c)
{
	int ret = vsp_worker_attach(vm, c);

	if (ret)
		return ret;
	ret = pthread_create(&c->w->thr, NULL, worker, c->w);
	if (ret) {
		vsp_worker_detach(c);
		return -ret;
	}
	return 0;
}

static void log_final(const struct vsp_worker *w)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return;
	vsp_worker_print(w, f);
	fclose(f);
	vsp_log("relid %u stopped:%s", w->relid, text);
	free(text);
}

void vsp_worker_stop(struct vsp_chan *c)
{
	struct vsp_worker *w = c->w;
	uint64_t one = 1;

	if (!w)
		return;
	if (write(w->stop_fd, &one, sizeof(one)) != sizeof(one))
		vsp_log("relid %u: cannot stop the worker", w->relid);
	pthread_join(w->thr, NULL);
	log_final(w);
	worker_free(w);
	c->w = NULL;
}

void vsp_worker_kick(struct vsp_chan *c)
{
	uint64_t one = 1;

	if (!c->w)
		return;
	c->w->kicks++;
	/* EAGAIN: the count is saturated, the worker wakes anyway. */
	(void)!write(c->w->kick_fd, &one, sizeof(one));
}

void vsp_worker_stall(struct vsp_chan *c, uint32_t ms)
{
	if (!c->w)
		return;
	__atomic_store_n(&c->w->stall_until, ms ? vsp_dev_now_ns() +
			 (uint64_t)ms * 1000000 : 0, __ATOMIC_RELEASE);
	vsp_worker_kick(c);
}
