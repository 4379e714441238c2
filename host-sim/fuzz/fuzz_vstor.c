// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the VSTOR server (src/scsi/vstor.c) against a hostile
 * guest, with two disks behind it on the memory queue. The input is a
 * program of up to 8 packets. A packet is either raw VMBus bytes that the
 * ring parser (host view) must accept first, or a structured one: an
 * operation from the protocol's list with fuzzed fields and, for an SRB, a
 * GPA range of fuzzed offset, count and PFNs. Each packet's bytes are a
 * heap block of exactly their size. The server must answer what it takes
 * with a whole packet, never report more data than was asked for or more
 * sense than fits, and leave nothing in flight once the back end is done.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scsi_fix.h"

#define MAX_PKTS	8

static struct fix f;
static struct vsp_memdisk md[2];
static struct vsp_disk disks[2];
static uint8_t img[2][128 * 1024];
static uint8_t lun1;		/* target 1's LUN */

struct in {
	const uint8_t *p;
	size_t n;
};

static uint32_t take(struct in *in, unsigned int bytes)
{
	uint32_t v = 0;

	while (bytes-- && in->n) {
		v = v << 8 | *in->p++;
		in->n--;
	}
	return v;
}

static void setup(uint8_t sel)
{
	struct vsp_disk_cfg cfg = {
		.lbs = sel & 1 ? 4096 : 512, .pbs = 4096, .lbprz = true,
		.can_unmap = sel & 2, .read_only = sel & 4,
		.max_xfer = 64 * 1024, .serial = "F0",
	};

	if (fix_init(&f, 64 * 1024))
		abort();
	for (int i = 0; i < 2; i++) {
		md[i].data = img[i];
		md[i].size = sizeof(img[i]);
		if (vsp_disk_init(&disks[i], &cfg, &md[i], sizeof(img[i])))
			abort();
	}
	vsp_vstor_add_lun(&f.v, 0, 0, &disks[0]);
	lun1 = sel >> 4;
	vsp_vstor_add_lun(&f.v, 1, lun1, &disks[1]);
	f.mq.defer = sel & 8;
}

/*
 * Checks the last answer; for an SRB (@srb) also against the @asked bytes
 * (only there is the body an SRB: elsewhere it holds properties).
 */
static void check_reply(bool srb, uint32_t asked)
{
	const struct vsc_vstor_srb *s = &f.reply.srb;

	if (f.reply_len != vsc_vstor_packet_size(f.v.version) ||
	    le32_to_cpu(f.reply.operation) != VSC_VSTOR_OP_COMPLETE_IO)
		abort();
	if (s->sense_info_length > VSC_VSTOR_SENSE_SIZE)
		abort();
	if (srb && le32_to_cpu(s->data_transfer_length) > asked)
		abort();
}

/* A raw packet, through the ring's parser first. */
static void raw(struct in *in)
{
	uint32_t len = take(in, 2) % 1024, replies = f.replies, asked = 0;
	const struct vsc_vstor_packet *p;
	struct vsc_ring_pkt pkt;
	bool srb = false;
	uint8_t *b;
	int ret;

	if (len > in->n)
		len = (uint32_t)in->n;
	b = malloc(len ? len : 1);
	if (!b)
		abort();
	memcpy(b, in->p, len);
	in->p += len;
	in->n -= len;
	ret = vsc_ring_pkt_parse(b, len, VSC_RING_VIEW_HOST, &pkt);
	if (!ret) {
		p = (const void *)pkt.data;
		if (pkt.data_len >= sizeof(*p)) {
			srb = le32_to_cpu(p->operation) == VSC_VSTOR_OP_EXECUTE_SRB;
			asked = le32_to_cpu(p->srb.data_transfer_length);
		}
		ret = vsp_vstor_handle(&f.ch, &pkt);
		if (ret != 0 && ret != VSP_VSTOR_REJECTED && ret != -EBADMSG)
			abort();
		if (f.replies != replies)
			check_reply(srb, asked);
	}
	free(b);
}

/* What a well-behaved guest's CDBs start with. */
static const uint8_t scsi_ops[] = {
	0x00, 0x03, 0x08, 0x0a, 0x12, 0x1a, 0x1b, 0x25, 0x28, 0x2a, 0x35, 0x42,
	0x5a, 0x88, 0x8a, 0x91, 0x93, 0x9e, 0xa0, 0xa8, 0xaa,
};

static const uint8_t ops[] = {
	VSC_VSTOR_OP_EXECUTE_SRB, VSC_VSTOR_OP_EXECUTE_SRB,
	VSC_VSTOR_OP_EXECUTE_SRB, VSC_VSTOR_OP_BEGIN_INITIALIZATION,
	VSC_VSTOR_OP_QUERY_PROTOCOL_VERSION, VSC_VSTOR_OP_QUERY_PROPERTIES,
	VSC_VSTOR_OP_END_INITIALIZATION, VSC_VSTOR_OP_CREATE_SUB_CHANNELS,
	VSC_VSTOR_OP_RESET_BUS, VSC_VSTOR_OP_FCHBA_DATA, 0, 14,
};

/* Sets the fields a well-behaved guest gets right, so the disk is reached. */
static void tame(uint8_t sel)
{
	struct vsc_vstor_srb *s = &f.req.srb;

	if (le32_to_cpu(f.req.operation) == VSC_VSTOR_OP_QUERY_PROTOCOL_VERSION) {
		f.req.version.major_minor = cpu_to_le16(VSC_VSTOR_VERSION_WIN10);
		return;
	}
	s->length = cpu_to_le16(0x34);
	s->cdb_length = (uint8_t)(s->cdb_length % 17);
	s->sense_info_length = VSC_VSTOR_SENSE_SIZE;
	s->target_id &= 1;
	/* mostly a LUN that is there */
	if (!(s->lun & 0x80))
		s->lun = s->target_id ? lun1 : 0;
	else
		s->lun &= 0x0f;
	s->path_id = 0;
	s->data_in %= 3;
	s->cdb[0] = scsi_ops[s->cdb[0] % sizeof(scsi_ops)];
	s->data_transfer_length = (sel & 0x20) ? cpu_to_le32(
		le32_to_cpu(s->data_transfer_length) % 0x10000 + 1) : 0;
}

/* A structured packet: an operation, its body, maybe a GPA range. */
static void structured(struct in *in, uint8_t sel)
{
	struct vsc_gpa_range *r = (struct vsc_gpa_range *)f.ranges;
	uint32_t n = in->n < sizeof(f.req) ? (uint32_t)in->n : sizeof(f.req);
	uint32_t len, replies = f.replies, npfn;
	uint8_t *b;
	int ret;

	memset(&f.req, 0, sizeof(f.req));
	memcpy(&f.req, in->p, n);
	in->p += n;
	in->n -= n;
	f.req.operation = cpu_to_le32(ops[sel % sizeof(ops)]);
	if (sel & 0x80)
		tame(sel);
	len = (sel & 0x40) ? 0x40 : take(in, 1) % 0x48;
	b = malloc(len ? len : 1);
	if (!b)
		abort();
	memcpy(b, &f.req, len < sizeof(f.req) ? len : sizeof(f.req));
	memset(&f.pkt, 0, sizeof(f.pkt));
	f.pkt.type = VSC_PKT_DATA_INBAND;
	f.pkt.trans_id = take(in, 2);
	f.pkt.data = b;
	f.pkt.data_len = len;
	if (sel & 0x20) {
		uint32_t off = take(in, 2) % 4096;
		uint32_t cnt = (sel & 0x90) ? le32_to_cpu(f.req.srb.data_transfer_length)
					     : take(in, 3);

		if (!cnt)
			cnt = 1;
		npfn = (uint32_t)(((uint64_t)off + cnt + 4095) / 4096);
		if (npfn > FIX_RAM_PAGES + 1)
			goto out;
		r->byte_count = cpu_to_le32(cnt);
		r->byte_offset = cpu_to_le32(off);
		for (uint32_t i = 0; i < npfn; i++)
			r->pfn[i] = cpu_to_le64(take(in, 1) % (FIX_RAM_PAGES + 4));
		f.pkt.type = VSC_PKT_DATA_GPA_DIRECT;
		f.pkt.gpa.count = 1;
		f.pkt.gpa.pages = npfn;
		f.pkt.gpa.ranges = f.ranges;
		f.pkt.gpa.len = sizeof(*r) + 8 * npfn;
	}
	ret = vsp_vstor_handle(&f.ch, &f.pkt);
	if (ret != 0 && ret != VSP_VSTOR_REJECTED && ret != -EBADMSG)
		abort();
	if (f.replies != replies)
		check_reply(len >= 0x40 && ops[sel % sizeof(ops)] ==
			    VSC_VSTOR_OP_EXECUTE_SRB,
			    le32_to_cpu(f.req.srb.data_transfer_length));
out:
	free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size };
	uint8_t sel = (uint8_t)take(&in, 1);

	setup(sel);
	if (sel & 0x80 && fix_handshake(&f))
		abort();
	for (int i = 0; i < MAX_PKTS && in.n; i++) {
		uint8_t k = (uint8_t)take(&in, 1);

		if (k == 0xff)
			raw(&in);
		else
			structured(&in, k);
	}
	vsp_memq_exit(&f.mq);
	if (f.ch.inflight || f.ch.reset_pending)
		abort();
	return 0;
}
