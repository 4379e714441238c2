// SPDX-License-Identifier: GPL-2.0
/*
 * The echo class (include/vsc/echo.h; the protocol in echo_msg.c): every
 * in-band packet comes back, CTRL messages ask for sub-channels. Answers
 * go out at once, or are held (echo_hold.c) when `hold` or `reorder` is
 * set: a timerfd, the class's completion source, wakes the worker when
 * the next one is due, and the worker keeps reading the ring meanwhile.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <vsc/echo.h>

#include "dev.h"
#include "echo_hold.h"
#include "echo_msg.h"
#include "hostile.h"
#include "ringlib.h"

_Static_assert(sizeof(struct vsp_echo_cfg) <= VSP_DEV_CFG_BYTES,
	       "echo settings too large");

struct echo_chan {
	bool subs_asked;		/* CTRL SUBCHANNELS granted this open */
	bool armed;
	uint64_t echoes;		/* answers decided, for --bug corrupt-echo */
	uint64_t late;			/* answers that were held */
	struct vsp_echo_hold hq;
};

#define LD(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define ST(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

static void snapshot(const struct vsp_dev_chan *dc, struct vsp_echo_cfg *s)
{
	struct vsp_echo_cfg *cfg = dc->cfg;

	s->delay_us = LD(cfg->delay_us);
	s->max_bytes = LD(cfg->max_bytes);
	s->completion = LD(cfg->completion);
	s->reorder = LD(cfg->reorder);
	s->hold_us = LD(cfg->hold_us);
}

static void arm(struct vsp_dev_chan *dc, uint64_t at)
{
	struct echo_chan *ec = dc->priv;
	struct itimerspec t = { { 0, 0 }, { at / 1000000000,
					     at % 1000000000 } };

	if (!at && !ec->armed)
		return;
	ec->armed = at != 0;
	if (timerfd_settime(dc->fd, TFD_TIMER_ABSTIME, &t, NULL))
		vsp_log("relid %u: echo timer: %s", dc->relid, strerror(errno));
}

/*
 * Sends what is due, in queue order; arms the timer for what is not. A
 * short batch is released only when the timer fired (late), never in the
 * middle of the worker's read batch: a worker preempted between two
 * packets that came together does not split their batch.
 */
static void flush(struct vsp_dev_chan *dc, uint32_t reorder, bool late)
{
	struct echo_chan *ec = dc->priv;
	const struct vsp_echo_ans *a;
	uint64_t now = vsp_dev_now_ns();
	int ret = 0;

	if (late)
		vsp_echo_hold_release(&ec->hq, now, reorder);
	while ((a = vsp_echo_hold_peek(&ec->hq, now))) {
		ret = vsp_dev_reply(dc, a->type, a->trans_id, a->data, a->len);
		if (ret == -ENOSPC)
			break;
		if (!ret && a->grant)
			vsp_dev_subchannels(dc, a->grant);
		vsp_echo_hold_pop(&ec->hq);
		ec->late++;
	}
	/* Out of room: the worker calls again once the guest made some. */
	arm(dc, ret == -ENOSPC ? 0 : vsp_echo_hold_next(&ec->hq));
	dc->busy = vsp_echo_hold_full(&ec->hq);
}

static void answer(struct vsp_dev_chan *dc, const struct vsp_echo_cfg *cfg,
		   const struct vsp_echo_reply *r, uint32_t grant)
{
	struct echo_chan *ec = dc->priv;
	struct vsp_echo_ans a = { .trans_id = r->trans_id, .len = r->len,
				  .grant = grant, .type = r->type };
	int ret;

	if (!cfg->hold_us && cfg->reorder <= 1 && !ec->hq.n) {
		ret = vsp_dev_reply(dc, r->type, r->trans_id, r->data, r->len);
		if (!ret && grant)
			vsp_dev_subchannels(dc, grant);
		if (ret != -ENOSPC)
			return;
	}
	ret = vsp_echo_hold_push(&ec->hq, &a, r->data, vsp_dev_now_ns(),
				 cfg->reorder, cfg->hold_us);
	if (ret) {
		/* Cannot happen while busy is honoured; fail only this one. */
		dc->refused++;
		vsp_log("relid %u: echo answer %#llx dropped: %s", dc->relid,
			(unsigned long long)r->trans_id, strerror(-ret));
	}
	flush(dc, cfg->reorder, false);
}

static void echo_packet(struct vsp_dev_chan *dc, struct vsc_ring_pkt *pkt)
{
	struct echo_chan *ec = dc->priv;
	enum vsp_echo_verdict v;
	struct vsp_echo_reply r;
	struct vsp_echo_cfg cfg;
	uint32_t grant = 0;

	snapshot(dc, &cfg);
	if (vsp_echo_dev_is_ctrl(pkt)) {
		vsp_echo_dev_ctrl(&cfg, pkt, dc->primary, ec->subs_asked, &r,
				  &grant);
		if (grant)
			ec->subs_asked = true;
		v = VSP_ED_REPLY;
	} else {
		v = vsp_echo_dev_handle(&cfg, pkt, &r);
	}
	if (v == VSP_ED_BAD_TYPE) {
		dc->bad++;
		vsp_host_violation(dc->h, VSP_V_PACKET_BAD,
				   "relid %u: echo takes in-band packets, not type %u",
				   dc->relid, pkt->type);
		return;
	}
	if (v == VSP_ED_BAD_PATTERN) {
		dc->bad++;
		vsp_host_violation(dc->h, VSP_V_ECHO_PATTERN,
				   "relid %u: echo payload of %u bytes (trans_id %#llx) breaks the pattern",
				   dc->relid, pkt->data_len,
				   (unsigned long long)pkt->trans_id);
	}
	if (v == VSP_ED_REFUSED)
		dc->refused++;
	if (cfg.delay_us)
		vsp_dev_nap(dc, cfg.delay_us);
	/* --bug=corrupt-echo: every 97th payload comes back one byte off. */
	if ((dc->h->bugs & VSP_BUG_CORRUPT_ECHO) && r.data == pkt->data &&
	    r.len > sizeof(struct vsc_echo_msg) && !(ec->echoes % 97))
		((uint8_t *)pkt->data)[r.len - 1] ^= 0x5a;
	ec->echoes++;
	answer(dc, &cfg, &r, grant);
}

static void echo_complete(struct vsp_dev_chan *dc)
{
	uint64_t n;

	/* The timer's count; a timer that did not fire is fine too. */
	if (read(dc->fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		vsp_log("relid %u: echo timer: %s", dc->relid, strerror(errno));
	flush(dc, LD(((struct vsp_echo_cfg *)dc->cfg)->reorder), true);
}

static int echo_open(struct vsp_dev_chan *dc)
{
	struct echo_chan *ec = calloc(1, sizeof(*ec));

	if (!ec)
		return -ENOMEM;
	dc->fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (dc->fd < 0) {
		free(ec);
		return -errno;
	}
	dc->priv = ec;
	return 0;
}

static void echo_close(struct vsp_dev_chan *dc)
{
	struct echo_chan *ec = dc->priv;

	if (ec) {
		vsp_echo_hold_clear(&ec->hq);
		free(ec);
	}
	if (dc->fd >= 0)
		close(dc->fd);
	dc->fd = -1;
	dc->priv = NULL;
}

static void echo_print(const struct vsp_dev_chan *dc, FILE *out)
{
	const struct echo_chan *ec = dc->priv;

	/* Single words a worker writes: a racy read is harmless. */
	fprintf(out, " held %u late %llu reversed %llu",
		LD(ec->hq.n), (unsigned long long)LD(ec->late),
		(unsigned long long)LD(ec->hq.batches));
}

static void echo_cfg_init(void *p)
{
	struct vsp_echo_cfg *cfg = p;

	memset(cfg, 0, sizeof(*cfg));
	cfg->completion = VSP_ECHO_COMP_REQUESTED;
}

/* `ctl class echo reorder N|hold USEC|delay USEC|max BYTES`. */
static void echo_ctl(void *p, const char *args, FILE *out)
{
	struct vsp_echo_cfg *cfg = p;
	uint32_t v;

	if (!vsp_dev_parse_knob(args, "reorder", VSP_ECHO_MAX_REORDER, &v))
		ST(cfg->reorder, v);
	else if (!vsp_dev_parse_knob(args, "hold", VSP_ECHO_MAX_HOLD_US, &v))
		ST(cfg->hold_us, v);
	else if (!vsp_dev_parse_knob(args, "delay", VSP_ECHO_MAX_HOLD_US, &v))
		ST(cfg->delay_us, v);
	else if (!vsp_dev_parse_knob(args, "max", 0x7fffffff, &v))
		ST(cfg->max_bytes, v);
	else {
		fprintf(out, "error echo: '%.40s' (reorder 0..%u, hold USEC, delay USEC, max BYTES)\n",
			args, VSP_ECHO_MAX_REORDER);
		return;
	}
	fprintf(out, "ok\n");
}

const struct vsp_dev_class vsp_dev_echo = {
	.name = "echo",
	.guid = VSC_CLASS_ECHO,
	.cfg_init = echo_cfg_init,
	.ctl = echo_ctl,
	.open = echo_open,
	.packet = echo_packet,
	.complete = echo_complete,
	.close = echo_close,
	.print = echo_print,
};
