// SPDX-License-Identifier: GPL-2.0
/*
 * The null class: a device no driver takes (the hostile host's
 * offer-storm offers it). Should a guest open one anyway, every packet is
 * taken and nothing is answered.
 */
#include <errno.h>
#include <stdlib.h>

#include "dev.h"
#include "ringlib.h"

struct null_chan {
	uint64_t sunk;
};

static int null_open(struct vsp_dev_chan *dc)
{
	dc->priv = calloc(1, sizeof(struct null_chan));
	return dc->priv ? 0 : -ENOMEM;
}

static void null_packet(struct vsp_dev_chan *dc, struct vsc_ring_pkt *pkt)
{
	struct null_chan *nc = dc->priv;

	(void)pkt;
	nc->sunk++;
}

static void null_close(struct vsp_dev_chan *dc)
{
	free(dc->priv);
	dc->priv = NULL;
}

static void null_print(const struct vsp_dev_chan *dc, FILE *out)
{
	const struct null_chan *nc = dc->priv;

	fprintf(out, " sunk %llu", (unsigned long long)__atomic_load_n(
			&nc->sunk, __ATOMIC_RELAXED));
}

static void null_ctl(void *cfg, const char *args, FILE *out)
{
	(void)cfg;
	fprintf(out, "error null has no settings ('%.32s')\n", args);
}

const struct vsp_dev_class vsp_dev_null = {
	.name = "null",
	/* vsp-sim's own: 7673632d-6e75-6c6c-8000-000000000000, no driver's. */
	.guid = VSC_GUID(0x7673632d, 0x6e75, 0x6c6c, 0x80, 0, 0, 0, 0, 0, 0, 0),
	.ctl = null_ctl,
	.open = null_open,
	.packet = null_packet,
	.close = null_close,
	.print = null_print,
};
