// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: a channel's data path (src/chan.c, dev/echo.c, over
 * the shared ring code) against a hostile guest, single-threaded. The
 * input is a program on a 10-page ring mapping: packets of any type,
 * flags and payload written the legal way, raw bytes and raw indices
 * written into either ring, the guest reading (or not) what the host
 * answered, transfer-page packets the host sends with any ranges, and
 * the host's worker servicing the channel in between.
 * vsp-sim must not crash, overrun the mapping or hang, whatever the
 * rings hold; the host's answers it wrote must parse.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chan.h"
#include "dev/echo_msg.h"
#include "ringlib.h"

#define PAGES		10
#define DOWN		5	/* guest-to-host: pages 0-4, host-to-guest 5-9 */

static uint64_t map_words[PAGES * 512];
static uint64_t bar2_words[VSC_SIM_BAR2_SIZE / 8];
static uint8_t *const map = (uint8_t *)map_words;
static uint8_t buf[VSC_RING_MAX_PACKET] __attribute__((aligned(8)));
static struct vsp_host host;
static struct vsp_vmbus vm;

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

static void nosig(struct vsc_ring *r)
{
	(void)r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vsp_ram r = { { 1 << 20, 1 << 20 }, NULL };
	struct vsc_ring out, in;
	struct vsc_ring_pkt pkt;
	struct in inp = { data, size };
	struct vsp_chan *c;
	unsigned int steps = 0;
	bool raw = false;	/* raw writes: the guest may read garbage */
	uint32_t len, n;

	vsp_log_quiet(true);
	memset(map, 0, sizeof(map_words));
	vsc_ring_control_init((void *)map, VSC_RING_FEAT_PENDING_SEND_SZ);
	vsc_ring_control_init((void *)(map + DOWN * 4096),
			      take(&inp, 1) & 1 ? VSC_RING_FEAT_PENDING_SEND_SZ : 0);
	/* The host once (its BAR2 is not used here); strict per input. */
	if (!host.bar2)
		vsp_host_init(&host, bar2_words, &r, 1, false, NULL, NULL);
	host.strict = take(&inp, 1) & 1;
	vsp_vmbus_init(&vm, &host, NULL, NULL);
	{
		struct vsp_echo_cfg *e = vsp_dev_cfg(&vm, VSP_CLASS_ECHO);

		e->max_bytes = take(&inp, 1) & 1 ? 3000 : 0;
		/* Held and reordered answers: the same paths, later. */
		e->reorder = take(&inp, 1) % 4;
		e->hold_us = take(&inp, 1) & 1 ? 100 : 0;
	}
	c = &vm.ch[1];
	c->relid = 1;
	c->map = map;
	c->map_pages = PAGES;
	c->down_pages = DOWN;
	if (vsp_worker_attach(&vm, c))
		abort();
	/* A receive buffer for transfer-page packets (chan_xfer.c). */
	vm.gp[0].used = vm.gp[0].complete = true;
	vm.gp[0].relid = 1;
	vm.gp[0].handle = 0x77;
	vm.gp[0].bytes = take(&inp, 2) * 64;
	/* The guest's ends of the same rings. */
	vsc_ring_init(&out, VSC_RING_WRITER, (void *)map, map + 4096,
		      (DOWN - 1) * 4096, nosig);
	vsc_ring_init(&in, VSC_RING_READER, (void *)(map + DOWN * 4096),
		      map + (DOWN + 1) * 4096, (PAGES - DOWN - 1) * 4096, nosig);
	while (inp.n && steps++ < 32) {
		uint64_t a = take(&inp, 1);

		switch (a % 7) {
		case 0: {	/* a packet, the legal way */
			uint16_t type = take(&inp, 1) % 14, flags = take(&inp, 1);
			uint64_t id = take(&inp, 8);

			n = take(&inp, 2) % 17000;
			if (n > inp.n)
				n = inp.n;
			vsc_ring_send(&out, a >> 3 & 1 ? VSC_PKT_DATA_INBAND :
				      type, flags, id, NULL, 0, inp.p, n);
			inp.p += n;
			inp.n -= n;
			break;
		}
		case 1:		/* raw bytes anywhere in the mapping */
			raw = true;
			n = take(&inp, 2) % sizeof(map_words);
			for (len = take(&inp, 1) % 32; len-- && inp.n; n++)
				map[n % sizeof(map_words)] = take(&inp, 1);
			break;
		case 2:		/* a raw control word of either ring */
			raw = true;
			n = (a >> 3 & 1 ? DOWN * 4096 : 0) + 4 * (take(&inp, 1) % 17);
			memcpy(map + n, inp.p, inp.n < 4 ? inp.n : 4);
			take(&inp, 4);
			break;
		case 3:		/* the guest takes what the host wrote */
			while (!vsc_ring_read(&in, buf, sizeof(buf), &len))
				if (vsc_ring_pkt_parse(buf, len,
						       VSC_RING_VIEW_GUEST, &pkt) &&
				    !raw)
					abort();	/* host wrote garbage */
			break;
		case 4:		/* an echo message with a good pattern */
			n = take(&inp, 2) % 4000;
			{
				uint32_t i, seed = take(&inp, 4);
				struct {
					__le32 magic, seq, len, seed;
				} h = { htole32(a >> 3 & 1 ? 0x4b4e4953 :
						0x4f484345), 0, htole32(n),
					htole32(seed) };

				memcpy(buf, &h, sizeof(h));
				for (i = 0; i < n; i++)
					buf[16 + i] = (uint8_t)(seed + i * 131);
				vsc_ring_send(&out, VSC_PKT_DATA_INBAND,
					      a >> 4 & 1, steps, NULL, 0, buf,
					      16 + n);
			}
			break;
		case 5: {	/* the host sends transfer pages, any ranges */
			struct vsc_xfer_page_range r[4];
			uint32_t i, k = take(&inp, 1) % 5, handle;

			for (i = 0; i < k; i++) {
				r[i].byte_count = htole32(take(&inp, 4));
				r[i].byte_offset = htole32(take(&inp, 4));
			}
			handle = a >> 3 & 1 ? 0x77 : take(&inp, 4);
			n = take(&inp, 2) % 2000;
			if (n > inp.n)
				n = inp.n;
			vsp_chan_send_xfer(vsp_worker_dev(c), handle, 1, r, k, 0,
					   steps, inp.p, n);
			inp.p += n;
			inp.n -= n;
			break;
		}
		default:
			break;
		}
		vsp_worker_service(c);
	}
	vsp_worker_detach(c);
	memset(&vm.gp[0], 0, sizeof(vm.gp[0]));
	return 0;
}
