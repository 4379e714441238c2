// SPDX-License-Identifier: GPL-2.0
/*
 * The hostile host and the deliberate bugs (src/hostile.c and the
 * switches in vmbus.c, vp.c): ring lies seen by the guest's ring code,
 * the control-plane burst as the test guest receives it, and the bugs
 * that need no channel traffic.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include "chan.h"
#include "vmbus_fix.h"
#include "hostile.h"
#include "vmbus_int.h"


static void test_ring_pick(void **state)
{
	uint32_t h = VSP_H_RING_LEN | VSP_H_RING_TID | VSP_H_MSG_SHORT;

	(void)state;
	assert_int_equal(vsp_hostile_ring_pick(h, 0), VSP_H_RING_LEN);
	assert_int_equal(vsp_hostile_ring_pick(h, 1), VSP_H_RING_TID);
	assert_int_equal(vsp_hostile_ring_pick(h, 2), VSP_H_RING_LEN);
	assert_int_equal(vsp_hostile_ring_pick(VSP_H_CTL_ALL, 0), 0);
	assert_int_equal(vsp_hostile_ring_pick(VSP_H_ALL, 6),
			 VSP_H_RING_RINDEX);
	assert_string_equal(vsp_hostile_name(VSP_H_RING_WALIGN),
			    "ring-walign");
}

/* Two rings in flat memory: the host writes h2g, the guest reads it. */
struct rings {
	uint8_t mem[2][4096 + 1024] __attribute__((aligned(8)));
	struct vsc_ring hw, gr;		/* host writer, guest reader */
	struct vsc_ring gw, hr;		/* guest writer, host reader */
};

static void rings_init(struct rings *r)
{
	unsigned int i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < 2; i++)
		vsc_ring_control_init((void *)r->mem[i],
				      VSC_RING_FEAT_PENDING_SEND_SZ);
	assert_int_equal(vsc_ring_init(&r->hw, VSC_RING_WRITER, (void *)r->mem[0],
				       r->mem[0] + 4096, 1024, NULL), 0);
	assert_int_equal(vsc_ring_init(&r->gr, VSC_RING_READER, (void *)r->mem[0],
				       r->mem[0] + 4096, 1024, NULL), 0);
	assert_int_equal(vsc_ring_init(&r->gw, VSC_RING_WRITER, (void *)r->mem[1],
				       r->mem[1] + 4096, 1024, NULL), 0);
	assert_int_equal(vsc_ring_init(&r->hr, VSC_RING_READER, (void *)r->mem[1],
				       r->mem[1] + 4096, 1024, NULL), 0);
}

/* Host writes a 40-byte packet, lying in its descriptor as cls says. */
static void host_write(struct rings *r, uint32_t cls, bool lie)
{
	uint8_t payload[40] = { 1, 2, 3 };
	struct vsc_packet_desc d;
	struct vsc_ring_buf b[2] = { { &d, sizeof(d) }, { payload, 40 } };
	uint32_t start;

	assert_int_equal(vsc_ring_desc_fill(&d, VSC_PKT_DATA_INBAND, 0, 5,
					    sizeof(d), 40), 0);
	assert_int_equal(vsc_ring_write_begin(&r->hw), 0);
	start = r->hw.cursor;
	assert_int_equal(vsc_ring_write_next(&r->hw, b, 2), 0);
	if (lie)
		assert_true(vsp_hostile_ring_desc(cls, &r->hw, start));
	assert_int_equal(vsc_ring_write_end(&r->hw), 0);
}

static void test_ring_desc(void **state)
{
	static const struct { uint32_t cls; const char *why; } t[] = {
		{ VSP_H_RING_LEN, "packet beyond write index" },
		{ VSP_H_RING_OFFSET, "payload offset out of packet" },
	};
	struct rings *r = malloc(sizeof(*r));
	struct vsc_ring_pkt pkt;
	uint8_t buf[1024] __attribute__((aligned(8)));
	unsigned int i, k;
	uint32_t len;

	(void)state;
	for (i = 0; i < 2; i++) {
		/* 16 packets of 72 bytes: the lie's descriptor wraps. */
		rings_init(r);
		for (k = 0; k < 16; k++) {
			host_write(r, 0, false);
			assert_int_equal(vsc_ring_read(&r->gr, buf, sizeof(buf),
						       &len), 0);
		}
		host_write(r, t[i].cls, true);
		assert_int_equal(vsc_ring_read(&r->gr, buf, sizeof(buf), &len),
				 -EIO);
		assert_string_equal(r->gr.reason, t[i].why);
	}
	assert_false(vsp_hostile_ring_desc(VSP_H_RING_WINDEX, &r->hw, 0));
	assert_false(vsp_hostile_ring_desc(VSP_H_RING_LEN, &r->hw, 1024));

	/* Well-formed packets the guest's protocol must refuse. */
	rings_init(r);
	host_write(r, VSP_H_RING_TYPE, true);
	assert_int_equal(vsc_ring_read(&r->gr, buf, sizeof(buf), &len), 0);
	assert_int_equal(vsc_ring_pkt_parse(buf, len, VSC_RING_VIEW_GUEST, &pkt),
			 -EOPNOTSUPP);
	host_write(r, VSP_H_RING_TID, true);
	assert_int_equal(vsc_ring_read(&r->gr, buf, sizeof(buf), &len), 0);
	assert_int_equal(vsc_ring_pkt_parse(buf, len, VSC_RING_VIEW_GUEST, &pkt),
			 0);
	assert_int_equal(pkt.type, VSC_PKT_COMPLETION);
	assert_int_equal(pkt.trans_id >> 32, 0x7ead7eadU);
	free(r);
}

static void test_ring_index(void **state)
{
	struct rings *r = malloc(sizeof(*r));
	uint8_t buf[1024] __attribute__((aligned(8)));
	uint32_t cls[] = { VSP_H_RING_WINDEX, VSP_H_RING_WALIGN };
	unsigned int i;
	uint32_t len;

	(void)state;
	for (i = 0; i < 2; i++) {
		rings_init(r);
		host_write(r, 0, false);
		assert_true(vsp_hostile_ring_index(cls[i], &r->hw, &r->hr));
		assert_int_equal(vsc_ring_read(&r->gr, buf, sizeof(buf), &len),
				 -EIO);
		assert_true(r->gr.broken);
	}
	rings_init(r);
	assert_true(vsp_hostile_ring_index(VSP_H_RING_RINDEX, &r->hw, &r->hr));
	assert_int_equal(vsc_ring_send(&r->gw, VSC_PKT_DATA_INBAND, 0, 1, NULL,
				       0, buf, 8), -EIO);
	assert_false(vsp_hostile_ring_index(VSP_H_RING_LEN, &r->hw, &r->hr));
	free(r);
}


static struct fix *fix_new(uint32_t hostile, uint32_t bugs)
{
	struct fix *f = fix_alloc(true, false, NULL);

	f->h->hostile = hostile;
	f->h->hostile_relid = 1;
	f->h->bugs = bugs;
	assert_int_equal(vsp_vmbus_add(f->vm, VSP_CLASS_ECHO), 1);
	assert_int_equal(vsp_vmbus_add(f->vm, VSP_CLASS_ECHO), 2);
	fix_ready(f);
	return f;
}

/* The next message on VP 0, whatever its size: its type, or -1. */
static int64_t take(struct fix *f)
{
	struct vsc_hv_message m;
	uint32_t t = 0;

	vsp_host_doorbell(f->h);
	if (!vg_take(&f->g, 0, &m))
		return -1;
	f->len = m.header.payload_size;
	memcpy(f->msg, m.payload, sizeof(f->msg));
	memcpy(&t, m.payload, f->len < 4 ? f->len : 4);
	return le32toh(t);
}

/* Contact, ask for offers: the offers that came before ALLOFFERS. */
static unsigned int connect_all(struct fix *f)
{
	struct vsc_vmbus_msg_header req = {
		.msgtype = cpu_to_le32(VSC_VMBUS_MSG_REQUESTOFFERS),
	};
	unsigned int offers = 0;
	int64_t t;

	assert_int_equal(vg_contact(&f->g, VSC_VMBUS_VERSION_WIN10_V5_3, 0), 0);
	assert_int_equal(take(f), VSC_VMBUS_MSG_VERSION_RESPONSE);
	assert_int_equal(vg_vmbus_send(&f->g, CONN, &req, sizeof(req)), 0);
	while ((t = take(f)) == VSC_VMBUS_MSG_OFFERCHANNEL)
		offers++;
	assert_int_equal(t, VSC_VMBUS_MSG_ALLOFFERS_DELIVERED);
	return offers;
}

static void test_ctl_burst(void **state)
{
	struct fix *f = fix_new(VSP_H_CTL_ALL, 0);
	unsigned int n = 0, short_ones = 0, rescinds = 0, r;
	uint32_t relid, rescinded[VSP_HOSTILE_STORM];
	int64_t t;

	(void)state;
	assert_int_equal(connect_all(f), 2);
	while ((t = take(f)) >= 0) {
		n++;
		if (f->len < 8)
			short_ones++;
		memcpy(&relid, f->msg + 8, 4);
		relid = le32toh(relid);
		/* The storm's rescinds name relids it offered (3 on). */
		if (t == VSC_VMBUS_MSG_RESCIND_CHANNELOFFER && f->len >= 12 &&
		    relid >= 3 && relid < 3 + VSP_HOSTILE_STORM)
			rescinded[rescinds++] = relid;
	}
	assert_true(n > 60);
	assert_true(short_ones >= 4);
	assert_int_equal(rescinds, VSP_HOSTILE_STORM);
	/* Lies are not the guest's fault; its releases free the relids. */
	for (r = 0; r < rescinds; r++) {
		assert_int_equal(f->vm->ch[rescinded[r]].state, VSP_CH_RESCINDED);
		vg_relid_msg(&f->g, CONN, VSC_VMBUS_MSG_RELID_RELEASED,
			     rescinded[r]);
		vsp_host_doorbell(f->h);
		assert_int_equal(f->vm->ch[rescinded[r]].state, VSP_CH_FREE);
	}
	assert_int_equal(f->h->st.violations, 0);
	assert_false(f->h->strict_failed);
	fix_free(f);
}

static void test_bug_offer_unload(void **state)
{
	struct vsc_vmbus_msg_header m = {
		.msgtype = cpu_to_le32(VSC_VMBUS_MSG_UNLOAD),
	};
	struct fix *f = fix_new(0, VSP_BUG_LOSE_OFFER);

	(void)state;
	assert_int_equal(connect_all(f), 1);
	fix_free(f);

	f = fix_new(0, 0);
	assert_int_equal(connect_all(f), 2);
	vg_vmbus_send(&f->g, CONN, &m, sizeof(m));
	assert_int_equal(take(f), VSC_VMBUS_MSG_UNLOAD_RESPONSE);
	fix_free(f);

	f = fix_new(0, VSP_BUG_NO_UNLOAD_RESP);
	assert_int_equal(connect_all(f), 2);
	vg_vmbus_send(&f->g, CONN, &m, sizeof(m));
	assert_int_equal(take(f), -1);
	assert_int_equal(f->vm->version, 0);	/* it did unload */
	fix_free(f);
}

static void test_bug_drop_eom(void **state)
{
	struct vsc_vmbus_msg_header m;
	unsigned int bug, i;
	struct fix *f;

	(void)state;
	for (bug = 0; bug < 2; bug++) {
		f = fix_new(0, 0);
		connect_all(f);
		f->h->bugs = bug ? VSP_BUG_DROP_EOM : 0;
		/* A full FIFO: only an EOM makes the next one go. */
		vsp_vm_hdr(&m, VSC_VMBUS_MSG_ALLOFFERS_DELIVERED);
		for (i = 0; i < VSP_VP_FIFO + 2; i++)
			vsp_vm_send(f->vm, &m, sizeof(m));
		for (i = 0; i < 3; i++)
			if (take(f) < 0)
				break;
		assert_int_equal(i, bug ? 1 : 3);
		fix_free(f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ring_pick),
		cmocka_unit_test(test_ring_desc),
		cmocka_unit_test(test_ring_index),
		cmocka_unit_test(test_ctl_burst),
		cmocka_unit_test(test_bug_offer_unload),
		cmocka_unit_test(test_bug_drop_eom),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
