// SPDX-License-Identifier: GPL-2.0
/*
 * The storage class: a synthetic SCSI controller (storvsp) whose LUNs are
 * the disks given with --disk. The VSTOR server and the disk emulation
 * live in ../scsi/; this file wires them to a channel: each channel gets
 * its own io_uring, polled by the worker as the class's completion source,
 * so that disk I/O never runs on the worker and many requests are in
 * flight at once. Answers the guest's full inbound ring cannot take wait
 * here, in order, and the channel takes no packet until they are out.
 *
 * A channel closes (close, rescind, UNLOAD) only after every I/O started
 * on it has finished: nothing lands in guest memory after the guest was
 * told the channel is gone.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dev.h"
#include "gpa.h"
#include "hostile.h"
#include "log.h"
#include "ringlib.h"
#include "stor.h"

#define STOR_DEPTH	64	/* bios in the kernel at once, per channel */

struct stor_ans {
	struct stor_ans *next;
	uint64_t trans_id;
	uint32_t len;
	uint8_t data[];
};

struct stor_chan {
	struct vsp_vstor_chan vc;
	struct vsp_uring u;
	struct vsp_dev_chan *dc;
	struct stor_ans *head, **tail;	/* waiting for ring room */
	uint64_t srbs;			/* packets handled */
	uint32_t peak_srbs;		/* the most requests held at once */
	uint64_t waited;		/* answers that waited for room */
};

_Static_assert(sizeof(struct vsp_stor_cfg) <= VSP_DEV_CFG_BYTES,
	       "storage settings too large");

#define LD(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)

static void *stor_map(void *priv, uint64_t gpa, uint32_t len)
{
	struct vsp_stor_ctrl *c = priv;

	return vsp_ram_ptr(&c->h->ram, gpa, len);
}

/* Sends the waiting answers, oldest first; false if room ran out again. */
static bool stor_flush(struct stor_chan *sc)
{
	struct stor_ans *a;
	int ret;

	while ((a = sc->head)) {
		ret = vsp_dev_reply(sc->dc, VSC_PKT_COMPLETION, a->trans_id,
				    a->data, a->len);
		if (ret == -ENOSPC)
			return false;
		sc->head = a->next;
		if (!sc->head)
			sc->tail = &sc->head;
		free(a);
	}
	sc->dc->busy = false;
	return true;
}

static void stor_send(void *chan_priv, uint64_t trans_id, const void *pkt,
		      uint32_t len)
{
	struct stor_chan *sc = chan_priv;
	struct stor_ans *a;

	if (!sc->head) {
		int ret = vsp_dev_reply(sc->dc, VSC_PKT_COMPLETION, trans_id,
					pkt, len);

		if (ret != -ENOSPC)
			return;		/* sent, or the channel is broken */
	}
	a = malloc(sizeof(*a) + len);
	if (!a) {
		vsp_log("relid %u: no memory for an answer: dropped",
			sc->dc->relid);
		return;
	}
	a->next = NULL;
	a->trans_id = trans_id;
	a->len = len;
	memcpy(a->data, pkt, len);
	*sc->tail = a;
	sc->tail = &a->next;
	sc->waited++;
	sc->dc->busy = true;	/* no new request until these are out */
}

static int stor_subchannels(void *priv, uint16_t count)
{
	struct vsp_stor_ctrl *c = priv;

	if (!c->primary)
		return -ENOTCONN;
	vsp_dev_subchannels(c->primary, count);
	return 0;
}

static const struct vsp_vstor_ops stor_ops = {
	.map = stor_map,
	.send = stor_send,
	.subchannels = stor_subchannels,
};

static int stor_open(struct vsp_dev_chan *dc)
{
	struct vsp_stor_cfg *cfg = dc->cfg;
	struct vsp_stor_ctrl *c = cfg->ctrl;
	struct stor_chan *sc;
	int ret;

	if (!c)
		return -ENODEV;
	sc = calloc(1, sizeof(*sc));
	if (!sc)
		return -ENOMEM;
	ret = vsp_uring_init(&sc->u, STOR_DEPTH);
	if (ret) {
		free(sc);
		return ret;
	}
	sc->dc = dc;
	sc->tail = &sc->head;
	sc->vc.v = &c->v;
	sc->vc.q = &sc->u.q;
	sc->vc.priv = sc;
	sc->vc.primary = dc->primary;
	if (dc->primary)
		c->primary = dc;
	dc->priv = sc;
	dc->fd = vsp_uring_fd(&sc->u);
	return 0;
}

static void stor_packet(struct vsp_dev_chan *dc, struct vsc_ring_pkt *pkt)
{
	struct stor_chan *sc = dc->priv;
	struct vsp_stor_cfg *cfg = dc->cfg;
	uint32_t ms;
	int ret;

	sc->srbs++;
	/* A hung back end, once: this channel's worker blocks, ctl does not. */
	ms = __atomic_exchange_n(&cfg->stall_ms, 0, __ATOMIC_RELAXED);
	if (ms) {
		vsp_log("relid %u: storage: back end stalled for %u ms",
			dc->relid, ms);
		vsp_dev_nap(dc, ms * 1000);
	}
	ret = vsp_vstor_handle(&sc->vc, pkt);
	if (sc->vc.inflight > sc->peak_srbs)
		__atomic_store_n(&sc->peak_srbs, sc->vc.inflight, __ATOMIC_RELAXED);
	if (ret == VSP_VSTOR_REJECTED || ret == -EBADMSG) {
		dc->bad++;
		vsp_log("relid %u: storage: %s%s", dc->relid, cfg->ctrl->v.why,
			ret == -EBADMSG ? " (not answered)" : "");
	}
}

static void stor_complete(struct vsp_dev_chan *dc)
{
	struct stor_chan *sc = dc->priv;

	/* Room first: answers reaped now queue behind the waiting ones. */
	if (stor_flush(sc))
		vsp_uring_reap(&sc->u);
}

static void stor_close(struct vsp_dev_chan *dc)
{
	struct vsp_stor_cfg *cfg = dc->cfg;
	struct stor_chan *sc = dc->priv;
	struct stor_ans *a;

	/* Every I/O of this channel done before the channel is gone. */
	vsp_uring_drain(&sc->u);
	while ((a = sc->head)) {
		sc->head = a->next;
		free(a);
	}
	vsp_uring_exit(&sc->u);
	if (cfg->ctrl && cfg->ctrl->primary == dc)
		cfg->ctrl->primary = NULL;
	free(sc);
	dc->priv = NULL;
	dc->fd = -1;
}

static void stor_print(const struct vsp_dev_chan *dc, FILE *out)
{
	const struct stor_chan *sc = dc->priv;

	fprintf(out, " stor_srbs %llu stor_peak_srbs %u stor_peak_inflight %u stor_waited %llu",
		(unsigned long long)LD(sc->srbs), LD(sc->peak_srbs),
		LD(sc->u.peak), (unsigned long long)LD(sc->waited));
}

/* `ctl class storage stall MSEC`: the next request waits MSEC (<= 60 s). */
static void stor_ctl(void *cfg, const char *args, FILE *out)
{
	struct vsp_stor_cfg *c = cfg;
	uint32_t v;

	if (vsp_dev_parse_knob(args, "stall", 60000, &v)) {
		fprintf(out, "error storage: stall MSEC ('%.32s')\n", args);
		return;
	}
	__atomic_store_n(&c->stall_ms, v, __ATOMIC_RELAXED);
	fprintf(out, "ok storage stall %u\n", v);
}

/**
 * vsp_stor_setup() - the controller over the disks given on the command line
 * @cfg: the storage class's settings, where the controller goes
 * @h: the host, whose guest RAM the requests' pages are in
 * @specs: the disks, each at its own or the next free target and LUN
 * @n: how many
 *
 * Return: 0, or -errno after logging which disk failed.
 */
int vsp_stor_setup(struct vsp_stor_cfg *cfg, struct vsp_host *h,
		   const struct vsp_disk_spec *specs, unsigned int n)
{
	struct vsp_vstor_cfg vcfg = { .max_transfer = VSP_STOR_MAX_XFER };
	struct vsp_stor_ctrl *c;
	unsigned int i, t = 0, l = 0;
	int ret;

	c = calloc(1, sizeof(*c) + n * sizeof(c->d[0]));
	if (!c)
		return -ENOMEM;
	c->h = h;
	ret = vsp_vstor_init(&c->v, &vcfg, &stor_ops, c);
	for (i = 0; !ret && i < n; i++) {
		const struct vsp_disk_spec *s = &specs[i];

		ret = vsp_disk_open(s, VSP_STOR_MAX_XFER, &c->d[i].file,
				    &c->d[i].disk);
		if (ret) {
			vsp_log("--disk %s: %s", s->path, strerror(-ret));
			break;
		}
		c->n = i + 1;
		if (h->bugs & VSP_BUG_WRONG_RESIDUAL)
			c->d[i].disk.cfg.bugs |= VSP_DISK_BUG_WRONG_RESIDUAL;
		if (s->target >= 0) {
			t = (unsigned int)s->target;
			l = 0;
		}
		if (s->lun >= 0)
			l = (unsigned int)s->lun;
		/* Else the next free address: LUNs first, then targets. */
		while (s->lun < 0 && t < VSC_VSTOR_MAX_TARGETS && c->v.lun[t][l]) {
			if (++l == VSC_VSTOR_MAX_LUNS) {
				l = 0;
				t++;
			}
		}
		ret = t < VSC_VSTOR_MAX_TARGETS ?
		      vsp_vstor_add_lun(&c->v, t, l, &c->d[i].disk) : -ENOSPC;
		if (ret)
			vsp_log("--disk %s: target %u LUN %u: %s", s->path, t, l,
				strerror(-ret));
	}
	if (ret) {
		while (c->n)
			vsp_file_close(&c->d[--c->n].file);
		free(c);
		return ret;
	}
	cfg->ctrl = c;
	return 0;
}

/**
 * vsp_stor_teardown() - close the disks, once every channel is closed
 * @cfg: the storage class's settings
 */
void vsp_stor_teardown(struct vsp_stor_cfg *cfg)
{
	struct vsp_stor_ctrl *c = cfg->ctrl;

	if (!c)
		return;
	while (c->n)
		vsp_file_close(&c->d[--c->n].file);
	free(c);
	cfg->ctrl = NULL;
}

const struct vsp_dev_class vsp_dev_storage = {
	.name = "storage",
	.guid = VSC_CLASS_STORVSC,
	.ctl = stor_ctl,
	.open = stor_open,
	.packet = stor_packet,
	.complete = stor_complete,
	.close = stor_close,
	.print = stor_print,
};
