// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: GPADL assembly on its own (src/gpadl.c). The input is
 * a sequence of raw GPADL_HEADER and GPADL_BODY messages of any size and
 * content, for a server with two offered channels. Every GPADL that
 * completes must list only pages of guest RAM (checked against the
 * layout independently), no more than the limit, and the table must stay
 * within bounds. Everything is freed at the end (the leak check).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmbus.h"

#define RAM_SIZE	0x300000ULL
#define RAM_BELOW	0x200000ULL

static struct vsp_host host;
static struct vsp_vmbus vm;

static bool page_ok(uint64_t off)
{
	return off % 4096 == 0 && off <= RAM_SIZE - 4096;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vsp_ram r = { { RAM_SIZE, RAM_BELOW }, NULL };
	uint8_t *msg;
	uint32_t relid, handle, i, n;
	const char *why;
	unsigned int k;

	vsp_log_quiet(true);
	host.ram = r;
	host.nr_vps = 1;
	vsp_vmbus_init(&vm, &host, NULL, NULL);
	for (k = 0; k < 2; k++) {
		vm.ch[k + 1].state = VSP_CH_OFFERED;
		vm.ch[k + 1].offered = true;
		vm.ch[k + 1].relid = k + 1;
	}
	while (size >= 2) {
		bool body = data[0] & 1;

		n = data[1] % (VSC_HV_MESSAGE_PAYLOAD + 1);
		data += 2;
		size -= 2;
		if (n > size)
			n = size;
		/* An exact-size heap copy: ASan sees any read past n. */
		msg = malloc(n ? n : 1);
		if (!msg)
			abort();
		memcpy(msg, data, n);
		data += n;
		size -= n;
		if (body)
			vsp_gpadl_body(&vm, msg, n, &relid, &handle, &why);
		else
			vsp_gpadl_header(&vm, msg, n, &relid, &handle, &why);
		free(msg);
	}
	for (k = 0; k < VSP_MAX_GPADLS; k++) {
		struct vsp_gpadl *g = &vm.gp[k];

		if (!g->used)
			continue;
		if (g->relid < 1 || g->relid > 2 || !g->handle)
			abort();
		if (!g->complete) {
			if (g->have > g->range_buflen || !g->ranges)
				abort();
			continue;
		}
		if (!g->npages || g->npages > VSP_GPADL_MAX_PAGES || g->ranges)
			abort();
		for (i = 0; i < g->npages; i++)
			if (!page_ok(g->offs[i]))
				abort();
	}
	for (k = 0; k < VSP_MAX_GPADLS; k++)
		if (vm.gp[k].used)
			vsp_gpadl_free(&vm.gp[k]);
	return 0;
}
