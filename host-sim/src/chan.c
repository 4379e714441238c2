// SPDX-License-Identifier: GPL-2.0
/*
 * The channel worker (see chan.h). The reader loop is the one ring.h
 * prescribes: mask, read a batch, end it, unmask and look again. Answers
 * go out in one write batch per read batch, so the signal decisions are
 * made once per batch, by the ring code; the worker only carries them
 * out. The guest's rings are hostile memory: a ring the guest corrupts is
 * a violation and the channel stops moving data until the guest closes it.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <vsc/echo.h>

#include "chan.h"
#include "hostile.h"
#include "ringlib.h"


struct vsp_worker {
	pthread_t thr;
	int kick_fd, stop_fd;
	struct vsp_host *h;
	struct vsp_vmbus *vm;		/* only for vsp_vmbus_subreq() */
	struct vsp_chan *c;		/* relid fixed, target_vp atomic */
	struct vsp_echo_cfg cfg;
	uint32_t relid;
	struct vsc_ring in;		/* guest to host: we read */
	struct vsc_ring out;		/* host to guest: we write */
	uint8_t *rx, *tx;		/* bufsize bytes each */
	uint32_t bufsize;
	bool pend;			/* tx holds an answer to write */
	uint16_t tx_type;
	uint64_t tx_tid;
	uint32_t tx_len;
	bool waiting;			/* pending_send_sz is set */
	bool poll_room;			/* no pending_send_sz: poll for room */
	bool broken;
	uint32_t attack;		/* VSP_H_RING_* to do, or 0 */
	uint64_t answered;		/* answers written, for the attack */
	bool attack_index;		/* lie in an index after this batch */
	bool attacked;			/* lied: the channel moves no data */
	bool primary;			/* the device's primary channel */
	bool subs_asked;		/* CTRL SUBCHANNELS granted this open */
	uint32_t sub_grant;		/* to request once the answer is out */
	uint64_t gen;			/* the primary's opens count */
	/* Written by the worker, read by the control plane's status. */
	uint64_t wakeups, irqs, sig_lost, refused, bad, stalls;
	/* Control plane only. */
	uint64_t kicks;
};

static void on_ring_signal(struct vsc_ring *ring)
{
	struct vsp_worker *w = ring->priv;
	uint32_t vp = __atomic_load_n(&w->c->target_vp, __ATOMIC_ACQUIRE);

	/* --bug=skip-signal: answers arrive without an interrupt. */
	if ((w->h->bugs & VSP_BUG_SKIP_SIGNAL) && ring == &w->out)
		return;
	if (vsp_host_signal(w->h, vp, w->relid))
		w->sig_lost++;	/* no SIEFP now: the guest rescans on ready */
	else
		w->irqs++;
}

static void corrupt(struct vsp_worker *w, const struct vsc_ring *r)
{
	if (w->broken)
		return;
	w->broken = true;
	vsp_host_violation(w->h, VSP_V_RING_CORRUPT,
			   "relid %u: %s ring: %s; channel stopped",
			   w->relid, r == &w->in ? "guest-to-host" :
			   "host-to-guest", r->reason ? r->reason : "?");
}

static int put(struct vsp_worker *w, uint16_t type, uint64_t tid,
	       const void *data, uint32_t len)
{
	struct vsc_packet_desc desc;
	struct vsc_ring_buf b[2];
	int ret;

	ret = vsc_ring_desc_fill(&desc, type, 0, tid, sizeof(desc), len);
	if (ret)
		return ret;
	b[0].base = &desc;
	b[0].len = sizeof(desc);
	b[1].base = data;
	b[1].len = len;
	return vsc_ring_write_next(&w->out, b, 2);
}

/* The CTRL answer is out: now the control plane may offer. */
static void ask_subs(struct vsp_worker *w)
{
	if (!w->sub_grant)
		return;
	if (vsp_vmbus_subreq(w->vm, w->relid, w->gen, w->sub_grant))
		vsp_log("relid %u: sub-channel request queue full: %u dropped",
			w->relid, w->sub_grant);
	w->sub_grant = 0;
}

/* Writes the held answer. True when done; false: wait (or broken). */
static bool flush_pending(struct vsp_worker *w)
{
	int ret, end;

	for (;;) {
		ret = vsc_ring_write_begin(&w->out);
		if (ret) {
			corrupt(w, &w->out);
			return false;
		}
		ret = put(w, w->tx_type, w->tx_tid, w->tx, w->tx_len);
		end = vsc_ring_write_end(&w->out);
		if (end) {
			corrupt(w, &w->out);
			return false;
		}
		if (!ret || ret == -EMSGSIZE) {
			if (ret)
				w->refused++;
			w->pend = false;
			ask_subs(w);
			if (w->waiting)
				vsc_ring_clear_pending_send(&w->out);
			w->waiting = w->poll_room = false;
			return true;
		}
		if (ret != -ENOSPC) {
			corrupt(w, &w->out);
			return false;
		}
		w->stalls++;
		ret = vsc_ring_set_pending_send(&w->out, vsc_ring_pkt_space(
				sizeof(struct vsc_packet_desc) + w->tx_len));
		if (ret == 1)
			continue;
		if (ret == 0) {
			w->waiting = true;
			return false;
		}
		if (ret == -EOPNOTSUPP) {
			w->poll_room = true;
			return false;
		}
		corrupt(w, &w->out);
		return false;
	}
}

static void nap(struct vsp_worker *w, uint32_t us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };
	struct pollfd p = { .fd = w->stop_fd, .events = POLLIN };

	ppoll(&p, 1, &ts, NULL);
}

/* One packet, copied out of the ring into w->rx. */
static void handle(struct vsp_worker *w, uint32_t len)
{
	enum vsp_echo_verdict v;
	struct vsc_ring_pkt pkt;
	struct vsp_echo_reply r;
	uint32_t start;
	int ret;

	if (vsc_ring_pkt_parse(w->rx, len, VSC_RING_VIEW_HOST, &pkt)) {
		w->bad++;
		vsp_host_violation(w->h, VSP_V_PACKET_BAD,
				   "relid %u: packet of %u bytes does not parse",
				   w->relid, len);
		return;
	}
	if (vsp_echo_dev_is_ctrl(&pkt)) {
		uint32_t grant;

		vsp_echo_dev_ctrl(&w->cfg, &pkt, w->primary, w->subs_asked, &r,
				  &grant);
		if (grant) {
			w->subs_asked = true;
			w->sub_grant = grant;
		}
		v = VSP_ED_REPLY;
	} else {
		v = vsp_echo_dev_handle(&w->cfg, &pkt, &r);
	}
	if (v == VSP_ED_BAD_TYPE) {
		w->bad++;
		vsp_host_violation(w->h, VSP_V_PACKET_BAD,
				   "relid %u: echo takes in-band packets, not type %u",
				   w->relid, pkt.type);
		return;
	}
	if (v == VSP_ED_BAD_PATTERN) {
		w->bad++;
		vsp_host_violation(w->h, VSP_V_ECHO_PATTERN,
				   "relid %u: echo payload of %u bytes (trans_id %#llx) breaks the pattern",
				   w->relid, pkt.data_len,
				   (unsigned long long)pkt.trans_id);
	}
	if (v == VSP_ED_REFUSED)
		w->refused++;
	if (w->cfg.delay_us)
		nap(w, w->cfg.delay_us);
	/* --bug=corrupt-echo: every 97th payload comes back one byte off. */
	if ((w->h->bugs & VSP_BUG_CORRUPT_ECHO) && r.data == pkt.data &&
	    r.len > sizeof(struct vsc_echo_msg) && !(w->answered % 97))
		w->rx[(r.data - w->rx) + r.len - 1] ^= 0x5a;
	start = w->out.cursor;
	ret = put(w, r.type, r.trans_id, r.data, r.len);
	if (!ret && ++w->answered == VSP_HOSTILE_AFTER && w->attack) {
		vsp_log("hostile: relid %u: %s", w->relid,
			vsp_hostile_name(w->attack));
		if (vsp_hostile_ring_desc(w->attack, &w->out, start))
			w->attacked = true;
		else
			w->attack_index = true;
	}
	if (ret == -ENOSPC) {
		if (r.len)	/* a refused packet's answer has no payload */
			memcpy(w->tx, r.data, r.len);
		w->tx_len = r.len;
		w->tx_type = r.type;
		w->tx_tid = r.trans_id;
		w->pend = true;
		return;		/* the request waits for the answer */
	} else if (ret == -EMSGSIZE) {
		w->refused++;
	} else if (ret) {
		corrupt(w, &w->out);
	}
	ask_subs(w);
}

static void service(struct vsp_worker *w)
{
	uint32_t len;
	int ret, more;

	while (!w->broken && !w->attacked) {
		if (w->pend && !flush_pending(w))
			return;
		vsc_ring_mask_interrupts(&w->in);
		if (vsc_ring_read_begin(&w->in)) {
			corrupt(w, &w->in);
			return;
		}
		if (vsc_ring_write_begin(&w->out)) {
			vsc_ring_read_end(&w->in);
			corrupt(w, &w->out);
			return;
		}
		while (!w->pend && !w->broken && !w->attacked &&
		       !w->attack_index) {
			ret = vsc_ring_read_next(&w->in, w->rx, w->bufsize,
						 &len);
			if (ret == -EAGAIN)
				break;
			if (ret) {
				corrupt(w, &w->in);
				break;
			}
			handle(w, len);
		}
		if (vsc_ring_read_end(&w->in))
			corrupt(w, &w->in);
		if (vsc_ring_write_end(&w->out))
			corrupt(w, &w->out);
		if (w->attack_index) {
			vsp_hostile_ring_index(w->attack, &w->out, &w->in);
			w->attack_index = false;
			w->attacked = true;
		}
		if (w->attacked) {
			/* Make sure the guest looks (a spurious signal). */
			on_ring_signal(&w->out);
			return;
		}
		if (w->pend || w->broken)
			continue;
		more = vsc_ring_unmask_interrupts(&w->in);
		if (more < 0)
			corrupt(w, &w->in);
		if (more <= 0)
			return;
	}
}

static void *worker(void *arg)
{
	struct vsp_worker *w = arg;
	struct pollfd p[2] = {
		{ .fd = w->kick_fd, .events = POLLIN },
		{ .fd = w->stop_fd, .events = POLLIN },
	};
	uint64_t v;

	for (;;) {
		/* Without pending_send_sz a full guest ring is polled, 1 ms. */
		if (poll(p, 2, w->pend && w->poll_room ? 1 : -1) < 0 &&
		    errno != EINTR)
			break;
		if (p[1].revents)
			break;
		if (p[0].revents && read(w->kick_fd, &v, sizeof(v)) < 0 &&
		    errno != EAGAIN)
			break;
		w->wakeups++;
		service(w);
	}
	return NULL;
}

static void worker_free(struct vsp_worker *w)
{
	if (w->kick_fd >= 0)
		close(w->kick_fd);
	if (w->stop_fd >= 0)
		close(w->stop_fd);
	free(w->rx);
	free(w->tx);
	free(w);
}

int vsp_worker_attach(struct vsp_vmbus *vm, struct vsp_chan *c)
{
	uint8_t *up = c->map, *down = up + (size_t)c->down_pages * VSP_PAGE;
	uint32_t up_size = (c->down_pages - 1) * VSP_PAGE;
	uint32_t down_size = (c->map_pages - c->down_pages - 1) * VSP_PAGE;
	struct vsp_worker *w = calloc(1, sizeof(*w));

	if (!w)
		return -ENOMEM;
	w->h = vm->h;
	w->vm = vm;
	w->c = c;
	w->primary = !c->sub_index;
	/* vsp_vm_on_open() counts this open once the worker runs. */
	w->gen = c->opens + 1;
	w->cfg = vm->echo;
	w->relid = c->relid;
	w->kick_fd = w->stop_fd = -1;
	w->kick_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	w->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	/* No packet is larger than its ring; no answer than its packet. */
	w->bufsize = up_size < VSC_RING_MAX_PACKET ? up_size :
		     VSC_RING_MAX_PACKET;
	w->rx = malloc(w->bufsize);
	w->tx = malloc(w->bufsize);
	if (w->kick_fd < 0 || w->stop_fd < 0 || !w->rx || !w->tx) {
		worker_free(w);
		return -ENOMEM;
	}
	/* The guest formatted both control pages before the GPADL. */
	if (vsc_ring_init(&w->in, VSC_RING_READER, (void *)up, up + VSP_PAGE,
			  up_size, on_ring_signal) ||
	    vsc_ring_init(&w->out, VSC_RING_WRITER, (void *)down,
			  down + VSP_PAGE, down_size, on_ring_signal)) {
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
	if (c->relid == vm->h->hostile_relid)
		w->attack = vsp_hostile_ring_pick(vm->h->hostile, c->opens);
	c->w = w;
	return 0;
}

void vsp_worker_service(struct vsp_chan *c)
{
	if (c->w)
		service(c->w);
}

void vsp_worker_detach(struct vsp_chan *c)
{
	if (c->w)
		worker_free(c->w);
	c->w = NULL;
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

#define RD(x) ((unsigned long long)__atomic_load_n(&(x), __ATOMIC_RELAXED))

void vsp_worker_print(const struct vsp_worker *w, FILE *out)
{
	if (!w)
		return;
	/* The worker's counters are single words: a racy read is harmless. */
	fprintf(out, " in_packets %llu in_bytes %llu out_packets %llu out_bytes %llu signals_in %llu wakeups %llu signals_out %llu interrupts %llu host_waits %llu refused %llu bad %llu%s%s",
		RD(w->in.stats.packets), RD(w->in.stats.bytes),
		RD(w->out.stats.packets), RD(w->out.stats.bytes),
		RD(w->kicks), RD(w->wakeups),
		RD(w->in.stats.signals) + RD(w->out.stats.signals),
		RD(w->irqs), RD(w->stalls), RD(w->refused), RD(w->bad),
		__atomic_load_n(&w->broken, __ATOMIC_RELAXED) ? " broken" : "",
		__atomic_load_n(&w->attacked, __ATOMIC_RELAXED) ?
		" hostile" : "");
}

static int env_map(void *ctx, const uint64_t *offs, uint32_t n, void **base)
{
	struct vsp_chan_env *env = ctx;

	return vsp_ringmap(env->ram_fd, offs, n, base);
}

static void env_unmap(void *ctx, void *base, uint32_t n)
{
	(void)ctx;
	vsp_ringunmap(base, n);
}

static int env_start(void *ctx, struct vsp_vmbus *vm, struct vsp_chan *c)
{
	(void)ctx;
	return vsp_worker_start(vm, c);
}

static void env_stop(void *ctx, struct vsp_vmbus *vm, struct vsp_chan *c)
{
	(void)ctx;
	(void)vm;
	vsp_worker_stop(c);
}

static void env_kick(void *ctx, struct vsp_chan *c)
{
	(void)ctx;
	vsp_worker_kick(c);
}

static void env_notify(void *ctx)
{
	struct vsp_chan_env *env = ctx;
	uint64_t one = 1;

	/* EAGAIN: the count is saturated, the control plane wakes anyway. */
	if (env->req_fd >= 0)
		(void)!write(env->req_fd, &one, sizeof(one));
}

const struct vsp_vmbus_ops vsp_chan_ops = {
	.map = env_map,
	.unmap = env_unmap,
	.start = env_start,
	.stop = env_stop,
	.kick = env_kick,
	.notify = env_notify,
};
