// SPDX-License-Identifier: GPL-2.0
/*
 * Writes a few valid inputs for each fuzz target into DIR/<target>/: rings
 * filled by the real writer (some wrapped), well-formed packets of each
 * type. They only give libFuzzer a head start; nothing depends on them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vmbus/ring.h"

#define __aligned(n) __attribute__((aligned(n)))

static const char *dir;

static void put(const char *target, int n, const void *p, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, target);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/seed%02d", dir, target, n);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, len, f) != len) {
		perror(path);
		exit(1);
	}
	fclose(f);
}

/* A ring input for fuzz_ring_read.c: @npkt packets after @skip bytes. */
static size_t ring_input(u8 *out, u8 sel, u32 skip, int npkt, int type)
{
	static struct vsc_ring_control ctl __aligned(4096);
	u32 size = sel < 200 ? 64 + 8 * (u32)sel : 4096;
	static u8 area[4096];
	struct vsc_ring w, r;
	u8 payload[256];
	size_t n = 12;
	u64 buf[64];
	u32 len;
	int i;

	vsc_ring_control_init(&ctl, VSC_RING_FEAT_PENDING_SEND_SZ);
	memset(area, 0, sizeof(area));
	vsc_ring_init(&w, VSC_RING_WRITER, &ctl, area, size, NULL);
	vsc_ring_init(&r, VSC_RING_READER, &ctl, area, size, NULL);
	/* Move both ends forward so the packets wrap. */
	while (skip) {
		u32 step = skip > 64 ? 64 : skip;

		vsc_ring_send(&w, 6, 0, 0, NULL, 0, payload, step - 24);
		vsc_ring_read(&r, buf, sizeof(buf), &len);
		skip -= step;
	}
	for (i = 0; i < npkt; i++) {
		memset(payload, i, sizeof(payload));
		if (type == VSC_PKT_DATA_GPA_DIRECT) {
			u64 hdr[5] = { 0 };
			struct vsc_gpa_direct_header *h = (void *)hdr;
			struct vsc_gpa_range *g = (void *)(h + 1);

			h->range_count = cpu_to_le32(1);
			g->byte_offset = cpu_to_le32(8);
			g->byte_count = cpu_to_le32(4000);
			g->pfn[0] = cpu_to_le64(0x1234);
			vsc_ring_send(&w, type, 1, i, hdr, 40, payload, 20);
		} else if (type == VSC_PKT_DATA_XFER_PAGES) {
			u64 hdr[5] = { 0 };
			struct vsc_xfer_page_header *h = (void *)hdr;

			h->range_count = cpu_to_le32(2);
			h->ranges[0].byte_count = cpu_to_le32(1500);
			h->ranges[1].byte_offset = cpu_to_le32(4096);
			vsc_ring_send(&w, type, 0, i, hdr, 40, payload, 16);
		} else {
			vsc_ring_send(&w, type, 0, i, NULL, 0, payload, 8 * i);
		}
	}
	out[0] = sel;
	out[1] = (u8)(le32_to_cpu(ctl.write_index) / 8);
	out[2] = (u8)(le32_to_cpu(ctl.write_index) / 8 >> 8);
	out[3] = (u8)(le32_to_cpu(ctl.read_index) / 8);
	out[4] = (u8)(le32_to_cpu(ctl.read_index) / 8 >> 8);
	out[5] = 1 | 4;		/* pending_send_sz feature, strict */
	out[6] = 4;		/* four op bytes at the end */
	out[7] = 0;
	memset(out + 8, 0, 4);
	memcpy(out + n, area, size);
	n += size;
	memcpy(out + n, "\xf0\x04\x00\x01", 4);
	return n + 4;
}

int main(int argc, char **argv)
{
	static u8 in[8192];
	u64 pkt[16] = { 0 };
	size_t n;

	if (argc != 2)
		return 2;
	dir = argv[1];
	mkdir(dir, 0755);

	n = ring_input(in, 8, 0, 3, VSC_PKT_DATA_INBAND);
	put("fuzz_ring_read_guest", 0, in, n);
	put("fuzz_ring_read_host", 0, in, n);
	n = ring_input(in, 24, 192, 4, VSC_PKT_COMPLETION);
	put("fuzz_ring_read_guest", 1, in, n);
	put("fuzz_ring_read_host", 1, in, n);
	n = ring_input(in, 40, 320, 3, VSC_PKT_DATA_XFER_PAGES);
	put("fuzz_ring_read_guest", 2, in, n);
	n = ring_input(in, 40, 320, 3, VSC_PKT_DATA_GPA_DIRECT);
	put("fuzz_ring_read_host", 2, in, n);

	vsc_ring_desc_fill(pkt, VSC_PKT_COMPLETION, 0, 7, 16, 16);
	put("fuzz_pkt_guest", 0, pkt, 32);
	put("fuzz_pkt_host", 0, pkt, 32);
	{
		struct vsc_xfer_page_header *h = (void *)pkt;

		memset(pkt, 0, sizeof(pkt));
		vsc_ring_desc_fill(h, VSC_PKT_DATA_XFER_PAGES, 0, 1, 40, 8);
		h->range_count = cpu_to_le32(2);
		h->ranges[0].byte_count = cpu_to_le32(100);
		put("fuzz_pkt_guest", 1, pkt, 48);
	}
	{
		struct vsc_gpa_direct_header *h = (void *)pkt;
		struct vsc_gpa_range *g = (void *)(h + 1);

		memset(pkt, 0, sizeof(pkt));
		vsc_ring_desc_fill(h, VSC_PKT_DATA_GPA_DIRECT, 1, 1, 48, 8);
		h->range_count = cpu_to_le32(1);
		g->byte_offset = cpu_to_le32(100);
		g->byte_count = cpu_to_le32(5000);
		put("fuzz_pkt_host", 1, pkt, 56);
	}

	/* fuzz_ring_write: size, features, then write/read/batch ops. */
	memcpy(in, "\x10\x01\x00\x40\x00\x80\x10\x00\xf1\x04\x00"
	       "\x20\x00\x00\x20\x00\x04\xf1\x06\x00\x01\x31", 22);
	put("fuzz_ring_write", 0, in, 22);
	return 0;
}
