// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the VMBus server's channel messages, as sequences of
 * posts through the whole doorbell path. The input is a program: channel
 * messages of every type with fields mostly from a small set of
 * interesting values (relids, GPADL handles, versions, page offsets) and
 * sometimes raw; GPADLs of any shape; control-socket offers and rescinds;
 * the guest taking its messages; guest resets. The environment maps rings
 * to a fixed buffer and runs no threads. vsp-sim must not crash or leak,
 * and its state must stay coherent: every open channel stands on a
 * complete ring GPADL of its own, the queue within bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "guest_vmbus.h"
#include "shared.h"
#include "vmbus.h"

#define RAM_SIZE	0x140000ULL
#define RAM_BELOW	0x120000ULL
#define NR_VPS		2

static uint64_t bar2_words[VSC_SIM_BAR2_SIZE / 8];
static uint64_t ram_words[RAM_SIZE / 8];
static uint8_t *const bar2 = (uint8_t *)bar2_words;
static uint8_t *const ram = (uint8_t *)ram_words;
static uint64_t ring_words[512];	/* never touched: no workers */
static struct vsp_host host;
static struct vsp_vmbus vm;
static struct vg guest;
static unsigned int maps, calls;

static int f_map(void *ctx, const uint64_t *offs, uint32_t n, void **base)
{
	uint32_t i;

	(void)ctx;
	for (i = 0; i < n; i++)
		if (offs[i] > RAM_SIZE - 4096 || offs[i] % 4096)
			abort();	/* a page the GPADL check let through */
	if (n > VSP_GPADL_MAX_PAGES)
		abort();
	if (calls++ % 7 == 6)
		return -12;		/* -ENOMEM now and then */
	maps++;
	*base = ring_words;
	return 0;
}

static void f_unmap(void *ctx, void *base, uint32_t n)
{
	(void)ctx;
	(void)n;
	if (base != ring_words || !maps)
		abort();
	maps--;
}

static const struct vsp_vmbus_ops ops = { .map = f_map, .unmap = f_unmap };

struct in {
	const uint8_t *p;
	size_t n;
};

static uint64_t take(struct in *in, unsigned int bytes)
{
	uint64_t v = 0;

	while (bytes-- && in->n) {
		v = v << 8 | *in->p++;
		in->n--;
	}
	return v;
}

static const uint32_t conns[] = { 1, 4, VSP_VMBUS_MSG_CONN_ID, 2, 0 };
static const uint32_t vals[] = {
	0, 1, 2, 3, 4, 64, 65, 0xe1e10, 0xe1e11, 0xe1e12, 0xffffffff,
	VSC_VMBUS_VERSION_WIN10_V5_3, VSC_VMBUS_VERSION_WIN10,
	VSC_VMBUS_VERSION_WIN8_1, 0x80000000, 0x10,
};

/* A field: mostly an interesting value, sometimes raw. */
static uint32_t field(struct in *in)
{
	uint64_t a = take(in, 1);

	if (a < 200)
		return vals[a % 16];
	return take(in, 4);
}

static void gpadl(struct in *in)
{
	uint64_t pfns[80];
	uint32_t n = 1 + take(in, 1) % 80, i, base = take(in, 1);

	for (i = 0; i < n; i++)
		pfns[i] = take(in, 1) < 230 ? (0x100 + base + i) % 0x160 :
			  take(in, 8);
	vg_gpadl(&guest, conns[take(in, 1) % 3], field(in), field(in), pfns, n);
}

static void message(struct in *in)
{
	uint32_t m[60];
	unsigned int i, len = take(in, 1);

	for (i = 0; i < 60; i++)
		m[i] = htole32(field(in));
	m[0] = htole32(take(in, 1) % 26);
	m[1] = 0;
	vg_vmbus_send(&guest, conns[take(in, 1) % 5], m,
		      len % (VSC_HV_MESSAGE_PAYLOAD + 1));
}

static void check(void)
{
	unsigned int r, open = 0;

	if (vm.len > VSP_OUTQ || vm.head >= VSP_OUTQ)
		abort();
	for (r = 1; r <= VSP_MAX_CHANNELS; r++) {
		struct vsp_chan *c = &vm.ch[r];
		struct vsp_gpadl *g;

		if (c->state != VSP_CH_OPEN)
			continue;
		open++;
		g = vsp_gpadl_find(&vm, c->gpadl);
		if (!g || !g->complete || !g->ring_ok || g->relid != r ||
		    c->map != ring_words || c->map_pages != g->npages ||
		    c->down_pages < 2 || c->down_pages > g->npages - 2 ||
		    c->target_vp >= NR_VPS)
			abort();
	}
	if (open != maps)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vsp_ram r = { { RAM_SIZE, RAM_BELOW }, ram };
	struct in in = { data, size };
	struct vsc_hv_message msg;
	unsigned int steps = 0, i, k;
	uint8_t buf[VSC_HV_MESSAGE_PAYLOAD];
	uint32_t len;

	vsp_log_quiet(true);
	maps = 0;
	vsp_host_init(&host, bar2, &r, NR_VPS, take(&in, 1) & 1, NULL, NULL);
	vsp_vmbus_init(&vm, &host, &ops, NULL);
	host.vmbus = &vm;
	for (i = take(&in, 1) % 4; i--;)
		vsp_vmbus_add(&vm, VSP_CLASS_ECHO);
	vg_init(&guest, bar2, ram, RAM_SIZE, NR_VPS, NULL, NULL);
	vg_register_all(&guest, 0x100000);
	vg_ready(&guest, 1);
	vsp_host_doorbell(&host);
	while (in.n && steps++ < 256) {
		uint64_t a = take(&in, 1);

		switch (a % 12) {
		case 0:
			vg_contact(&guest, field(&in), take(&in, 1) % 3);
			break;
		case 1:
			gpadl(&in);
			break;
		case 2:
			vg_open(&guest, conns[a >> 7], field(&in),
				field(&in), take(&in, 1) % 3, field(&in));
			break;
		case 3:
			vg_relid_msg(&guest, conns[(a >> 4) % 3],
				     VSC_VMBUS_MSG_CLOSECHANNEL + (a >> 6) % 2 * 6,
				     field(&in));
			break;
		case 4:
			vg_gpadl_teardown(&guest, conns[(a >> 4) % 3],
					  field(&in), field(&in));
			break;
		case 5:
			message(&in);
			break;
		case 6:
			vsp_vmbus_add(&vm, VSP_CLASS_ECHO);
			break;
		case 7:
			vsp_vmbus_rescind(&vm, field(&in));
			break;
		case 8:
			vg_vmbus_recv(&guest, (a >> 4) % NR_VPS, buf, &len);
			break;
		case 9:
			vg_ready(&guest, take(&in, 1) % 3);
			break;
		case 10:
			vg_signal(&guest, field(&in) % 2048);
			break;
		default:
			break;
		}
		vsp_host_doorbell(&host);
		check();
	}
	/* The guest drains what it was sent; nothing is left over. */
	for (i = 0; i < 4 * VSP_OUTQ; i++) {
		bool took = false;

		for (k = 0; k < NR_VPS; k++)
			while (vg_take(&guest, k, &msg))
				took = true;
		if (!took && !vm.len)
			break;
		vsp_host_doorbell(&host);
	}
	check();
	vsp_vmbus_destroy(&vm);
	if (maps)
		abort();
	return 0;
}
