// SPDX-License-Identifier: GPL-2.0
/*
 * Sub-channels of the echo device (src/subchan.c, the CTRL message of
 * include/vsc/echo.h): the worker's answer and its request to the control
 * plane through the eventfd, the offers (class, instance, index), traffic
 * on a sub-channel, and the sub-channels' end: rescinded with the
 * primary's close or rescind, forgotten on UNLOAD, dropped when the
 * primary closed before the control plane acted, late in the nasty
 * profile. The workers are real threads, as in test_vmbus.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include <vsc/echo.h>

#include "chan.h"
#include "vmbus_fix.h"
#include "shared.h"



static struct fix *fix_new(void)
{
	struct fix *f = fix_alloc(true, true, NULL);

	assert_int_equal(vsp_vmbus_add(f->vm, VSP_CLASS_ECHO), 1);
	fix_ready(f);
	return f;
}

static uint32_t next(struct fix *f)
{
	vsp_host_doorbell(f->h);
	return vg_vmbus_recv(&f->g, 0, f->msg, &f->len);
}

static uint32_t u32_at(struct fix *f, size_t off)
{
	uint32_t v;

	memcpy(&v, f->msg + off, 4);
	return le32toh(v);
}

static void connect_all(struct fix *f, unsigned int offers)
{
	struct vsc_vmbus_msg_header req = {
		.msgtype = cpu_to_le32(VSC_VMBUS_MSG_REQUESTOFFERS),
	};
	unsigned int i;

	assert_int_equal(vg_contact(&f->g, VSC_VMBUS_VERSION_WIN10_V5_3, 0), 0);
	assert_int_equal(next(f), VSC_VMBUS_MSG_VERSION_RESPONSE);
	vg_vmbus_send(&f->g, CONN, &req, sizeof(req));
	for (i = 0; i < offers; i++)
		assert_int_equal(next(f), VSC_VMBUS_MSG_OFFERCHANNEL);
	assert_int_equal(next(f), VSC_VMBUS_MSG_ALLOFFERS_DELIVERED);
}

/* GPADL 0xe1e10 + relid and open relid on VP 1 with 8-page rings. */
static void open_relid(struct fix *f, struct vg_chan *c, uint32_t relid)
{
	uint64_t pfns[32];

	vg_chan_setup(&f->g, c, RINGS + (relid - 1) * 0x10000, 8, 8, pfns);
	vg_gpadl(&f->g, CONN, relid, 0xe1e10 + relid, pfns, c->pages);
	assert_int_equal(next(f), VSC_VMBUS_MSG_GPADL_CREATED);
	assert_int_equal(u32_at(f, 16), 0);
	vg_open(&f->g, CONN, relid, 0xe1e10 + relid, 1, c->down);
	assert_int_equal(next(f), VSC_VMBUS_MSG_OPENCHANNEL_RESULT);
	assert_int_equal(u32_at(f, 16), 0);
	assert_int_equal(f->vm->ch[relid].state, VSP_CH_OPEN);
}

static void send_pkt(struct fix *f, struct vg_chan *c, uint32_t relid,
		     const void *p, uint32_t len, uint64_t tid)
{
	c->signals = 0;
	assert_int_equal(vsc_ring_send(&c->out, VSC_PKT_DATA_INBAND,
				       VSC_PKT_FLAG_COMPLETION_REQUESTED, tid,
				       NULL, 0, p, len), 0);
	if (c->signals) {
		vg_signal(&f->g, relid);
		vsp_host_doorbell(f->h);
	}
	c->signals = 0;
}

/* The next packet of c's inbound ring (bounded wait), parsed. */
static void recv_pkt(struct vg_chan *c, struct vsc_ring_pkt *pkt)
{
	static uint8_t buf[8192] __attribute__((aligned(8)));
	uint32_t len;
	int i, ret = -EAGAIN;

	for (i = 0; i < 4000 && ret == -EAGAIN; i++) {
		ret = vsc_ring_read(&c->in, buf, sizeof(buf), &len);
		if (ret == -EAGAIN)
			usleep(500);
	}
	assert_int_equal(ret, 0);
	assert_int_equal(vsc_ring_pkt_parse(buf, len, VSC_RING_VIEW_GUEST, pkt),
			 0);
}

/* CTRL SUBCHANNELS n on relid: checks the answer's status and grant. */
static void ctrl(struct fix *f, struct vg_chan *c, uint32_t relid, uint32_t n,
		 uint32_t status, uint32_t grant)
{
	struct vsc_echo_ctrl m = {
		htole32(VSC_ECHO_MAGIC_CTRL), htole32(VSC_ECHO_OP_SUBCHANNELS),
		htole32(n), 0,
	};
	struct vsc_ring_pkt pkt;

	send_pkt(f, c, relid, &m, sizeof(m), 77);
	recv_pkt(c, &pkt);
	assert_int_equal(pkt.type, VSC_PKT_COMPLETION);
	assert_int_equal(pkt.trans_id, 77);
	assert_true(pkt.data_len >= sizeof(m));
	memcpy(&m, pkt.data, sizeof(m));
	assert_int_equal(le32toh(m.magic), VSC_ECHO_MAGIC_CTRL);
	assert_int_equal(le32toh(m.status), status);
	assert_int_equal(le32toh(m.arg), grant);
}

/* Waits for the workers' eventfd, then lets the control plane act. */
static void serve_requests(struct fix *f, bool expect)
{
	struct pollfd p = { .fd = f->env.req_fd, .events = POLLIN };
	uint64_t v;

	assert_int_equal(poll(&p, 1, expect ? 2000 : 50), expect);
	if (expect)
		assert_int_equal(read(f->env.req_fd, &v, sizeof(v)), sizeof(v));
	vsp_vmbus_subreqs(f->vm);
}

/* Takes n sub-channel offers of relid 1; returns the first's relid. */
static uint32_t expect_offers(struct fix *f, unsigned int n)
{
	struct vsc_vmbus_offer_channel o, p = { 0 };
	uint32_t first = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		assert_int_equal(next(f), VSC_VMBUS_MSG_OFFERCHANNEL);
		memcpy(&o, f->msg, sizeof(o));
		if (!first)
			first = le32toh(o.child_relid);
		assert_int_equal(le32toh(o.child_relid), first + i);
		assert_int_equal(le32toh(o.connection_id), first + i);
		assert_int_equal(le16toh(o.offer.sub_channel_index), i + 1);
		p.offer.if_type = (struct vsc_guid)VSC_CLASS_ECHO;
		assert_memory_equal(&o.offer.if_type, &p.offer.if_type, 16);
		assert_memory_equal(&o.offer.if_instance,
				    &f->vm->ch[1].instance, 16);
	}
	return first;
}

static void test_subchannels(void **state)
{
	struct fix *f = fix_new();
	struct vg_chan c, sc;
	struct vsc_ring_pkt pkt;
	uint64_t word = 0;
	unsigned int i;

	(void)state;
	connect_all(f, 1);
	open_relid(f, &c, 1);
	/* Refused: out of range, or asked twice. */
	ctrl(f, &c, 1, 0, VSC_ECHO_ST_RANGE, 0);
	ctrl(f, &c, 1, VSC_ECHO_MAX_SUBCHANNELS + 1, VSC_ECHO_ST_RANGE, 0);
	serve_requests(f, false);
	assert_int_equal(next(f), 0);
	ctrl(f, &c, 1, 3, VSC_ECHO_ST_OK, 3);
	ctrl(f, &c, 1, 1, VSC_ECHO_ST_BUSY, 0);
	serve_requests(f, true);
	assert_int_equal(expect_offers(f, 3), 2);
	assert_int_equal(next(f), 0);
	assert_int_equal(vsp_vmbus_subs(f->vm, 1), 3);
	assert_int_equal(f->vm->st.sub_offers, 3);

	/* A sub-channel is an echo channel with its own relid and signal. */
	open_relid(f, &sc, 3);
	vg_take_flags(&f->g, 1, &word);
	word = 0;
	for (i = 0; i < 4; i++) {
		struct vsc_echo_msg m = { htole32(VSC_ECHO_MAGIC), htole32(i),
					  0, htole32(5) };

		send_pkt(f, &sc, 3, &m, sizeof(m), i + 1);
		recv_pkt(&sc, &pkt);
		assert_int_equal(pkt.type, VSC_PKT_COMPLETION);
		assert_int_equal(pkt.trans_id, i + 1);
	}
	vg_take_flags(&f->g, 1, &word);
	assert_true(word & (1ULL << 3));
	ctrl(f, &sc, 3, 1, VSC_ECHO_ST_NOT_PRIMARY, 0);

	/* The primary's close rescinds all three, the open one included. */
	vg_relid_msg(&f->g, CONN, VSC_VMBUS_MSG_CLOSECHANNEL, 1);
	for (i = 0; i < 3; i++) {
		assert_int_equal(next(f), VSC_VMBUS_MSG_RESCIND_CHANNELOFFER);
		assert_int_equal(u32_at(f, 8), 2 + i);
		assert_int_equal(f->vm->ch[2 + i].state, VSP_CH_RESCINDED);
	}
	assert_null(f->vm->ch[3].w);
	assert_int_equal(vsp_vmbus_subs(f->vm, 1), 0);
	for (i = 0; i < 3; i++)
		vg_relid_msg(&f->g, CONN, VSC_VMBUS_MSG_RELID_RELEASED, 2 + i);
	assert_int_equal(next(f), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(f->vm->ch[2 + i].state, VSP_CH_FREE);
	assert_null(vsp_gpadl_find(f->vm, 0xe1e10 + 3));
	assert_int_equal(f->h->st.violations, 0);
	fix_free(f);
}

static void test_rescind_and_unload(void **state)
{
	struct vsc_vmbus_msg_header unload = {
		.msgtype = cpu_to_le32(VSC_VMBUS_MSG_UNLOAD),
	};
	struct fix *f = fix_new();
	struct vg_chan c;
	unsigned int i;

	(void)state;
	connect_all(f, 1);
	open_relid(f, &c, 1);
	ctrl(f, &c, 1, 2, VSC_ECHO_ST_OK, 2);
	serve_requests(f, true);
	assert_int_equal(expect_offers(f, 2), 2);
	/* The primary's rescind: its sub-channels first. */
	assert_int_equal(vsp_vmbus_rescind(f->vm, 1), 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(next(f), VSC_VMBUS_MSG_RESCIND_CHANNELOFFER);
		assert_int_equal(u32_at(f, 8), i < 2 ? 2 + i : 1);
	}
	for (i = 1; i <= 3; i++)
		vg_relid_msg(&f->g, CONN, VSC_VMBUS_MSG_RELID_RELEASED, i);
	assert_int_equal(next(f), 0);

	/* UNLOAD forgets sub-channels: only the primary is offered again. */
	assert_int_equal(vsp_vmbus_add(f->vm, VSP_CLASS_ECHO), 1);
	assert_int_equal(next(f), VSC_VMBUS_MSG_OFFERCHANNEL);
	open_relid(f, &c, 1);
	ctrl(f, &c, 1, 4, VSC_ECHO_ST_OK, 4);
	serve_requests(f, true);
	expect_offers(f, 4);
	vg_vmbus_send(&f->g, CONN, &unload, sizeof(unload));
	assert_int_equal(next(f), VSC_VMBUS_MSG_UNLOAD_RESPONSE);
	for (i = 2; i <= VSP_MAX_CHANNELS; i++)
		assert_int_equal(f->vm->ch[i].state, VSP_CH_FREE);
	connect_all(f, 1);
	assert_int_equal(f->h->st.violations, 0);
	fix_free(f);
}

static void test_stale_and_late(void **state)
{
	struct fix *f = fix_new();
	struct vg_chan c;
	unsigned int i;

	(void)state;
	connect_all(f, 1);
	open_relid(f, &c, 1);
	/* Closed before the control plane acted: nothing is offered. */
	ctrl(f, &c, 1, 2, VSC_ECHO_ST_OK, 2);
	vg_relid_msg(&f->g, CONN, VSC_VMBUS_MSG_CLOSECHANNEL, 1);
	vsp_host_doorbell(f->h);
	serve_requests(f, true);
	assert_int_equal(next(f), 0);
	assert_int_equal(f->vm->st.sub_dropped, 2);

	/* Reopened: asking is allowed again; nasty offers come late. */
	vg_gpadl_teardown(&f->g, CONN, 1, 0xe1e10 + 1);
	assert_int_equal(next(f), VSC_VMBUS_MSG_GPADL_TORNDOWN);
	open_relid(f, &c, 1);
	ctrl(f, &c, 1, 2, VSC_ECHO_ST_OK, 2);
	f->h->nasty = true;
	serve_requests(f, true);
	f->h->nasty = false;
	assert_int_equal(next(f), 0);
	for (i = 0; i < 40; i++)
		vsp_vmbus_tick(f->vm);
	vsp_vmbus_flush(f->vm);
	assert_int_equal(next(f), VSC_VMBUS_MSG_OFFERCHANNEL);
	assert_int_equal(next(f), VSC_VMBUS_MSG_OFFERCHANNEL);
	assert_int_equal(next(f), 0);
	assert_int_equal(vsp_vmbus_subs(f->vm, 1), 2);
	assert_int_equal(f->h->st.violations, 0);
	fix_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_subchannels),
		cmocka_unit_test(test_rescind_and_unload),
		cmocka_unit_test(test_stale_and_late),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
