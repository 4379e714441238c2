// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the whole doorbell scan against a hostile guest. The
 * input is a program of guest actions on a BAR2 buffer and a small guest
 * RAM (RAM below and above 4 GiB, the legacy hole): raw writes anywhere,
 * SynIC pages valid or not, posts, EOMs, ready changes, signals, host
 * sends, and doorbells. vsp-sim must not crash, loop or raise a vector
 * the guest does not have, and its own state must stay coherent.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "guest.h"
#include "host.h"
#include "shared.h"

/* Low RAM [0, 0xa0000) and [1 MiB, 1.125 MiB), high RAM [4G, 4G + 128K). */
#define RAM_SIZE	0x140000ULL
#define RAM_BELOW	0x120000ULL

static uint64_t bar2_words[VSC_SIM_BAR2_SIZE / 8];
static uint64_t ram_words[RAM_SIZE / 8];
static uint8_t *const bar2 = (uint8_t *)bar2_words;
static uint8_t *const ram = (uint8_t *)ram_words;
static struct vsp_host host;
static struct vg guest;

static void raise_cb(void *ctx, unsigned int vp)
{
	(void)ctx;
	if (vp >= host.nr_vps)
		abort();
}

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

static const uint64_t pages[] = {
	0x0, 0x9f000, 0xa0000, 0xff000, 0x100000, 0x11f000, 0x120000,
	0x100000000ULL, 0x10001f000ULL, 0x100020000ULL, 0xfffffffffffff000ULL,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vsp_ram r = { { RAM_SIZE, RAM_BELOW }, ram };
	struct in in = { data, size };
	struct vsc_hv_message m;
	struct vsp_msg msg;
	unsigned int nr_vps, steps = 0, i;

	vsp_log_quiet(true);
	memset(ram, 0, RAM_SIZE);
	nr_vps = 1 + take(&in, 1) % 4;
	vsp_host_init(&host, bar2, &r, nr_vps, take(&in, 1) & 1, raise_cb,
		      NULL);
	vg_init(&guest, bar2, ram, RAM_SIZE, nr_vps, NULL, NULL);
	while (in.n && steps++ < 512) {
		uint64_t a = take(&in, 1), b;
		unsigned int vp = a >> 4;

		switch (a % 10) {
		case 0:		/* raw write into BAR2 */
			b = take(&in, 2);
			for (i = take(&in, 1) % 16; i-- && in.n; b++)
				bar2[b % VSC_SIM_BAR2_SIZE] = take(&in, 1);
			break;
		case 1:		/* raw write into guest RAM */
			b = take(&in, 3);
			for (i = take(&in, 1) % 16; i-- && in.n; b++)
				ram[b % RAM_SIZE] = take(&in, 1);
			break;
		case 2:
			vsp_host_doorbell(&host);
			break;
		case 3:
			vg_post_echo(&guest, vp % 5, take(&in, 2) % 2100,
				     take(&in, 2));
			break;
		case 4:		/* SynIC pages, mostly interesting ones */
			b = take(&in, 1);
			sh_store64(bar2, VSC_SIM_OFF_VPS + (vp % VSC_SIM_MAX_VPS) *
				   sizeof(struct vsc_sim_vp) + (b & 1) * 8,
				   pages[(b >> 1) % 11] | (b >> 5 ? 1 : 0));
			if (b & 1)
				guest.siefp[vp % VSC_SIM_MAX_VPS] =
					pages[(b >> 1) % 11];
			else
				guest.simp[vp % VSC_SIM_MAX_VPS] =
					pages[(b >> 1) % 11];
			break;
		case 5:
			vg_take(&guest, vp % nr_vps, &m);
			break;
		case 6:
			vg_ready(&guest, take(&in, 1) % 4);
			break;
		case 7:
			vg_signal(&guest, take(&in, 2) % 2100);
			break;
		case 8:		/* the host sends on its own */
			memset(&msg, 0, sizeof(msg));
			msg.type = 1 + take(&in, 1);
			msg.size = take(&in, 1);
			vsp_host_send(&host, vp % 5, &msg);
			vsp_host_signal(&host, vp % 5, take(&in, 2) % 2100);
			break;
		case 9:		/* a post of any shape */
			b = take(&in, 1);
			vg_post(&guest, b & 1 ? VSC_SIM_ECHO_CONNECTION_ID :
				take(&in, 1), b & 2 ? VSC_SIM_MSGTYPE_ECHO :
				take(&in, 1), in.p, in.n < 240 ? in.n : 240);
			break;
		}
	}
	vsp_host_doorbell(&host);
	for (i = 0; i < nr_vps; i++)
		if (host.vp[i].len > VSP_VP_FIFO || host.vp[i].head >= VSP_VP_FIFO)
			abort();
	if (vsp_mailbox_cons(bar2) != host.cons)
		abort();
	return 0;
}
