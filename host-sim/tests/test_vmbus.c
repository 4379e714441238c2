// SPDX-License-Identifier: GPL-2.0
/*
 * The VMBus server (src/vmbus.c, gpadl.c) and the channel workers
 * (chan.c, dev/echo.c) over a flat BAR2 and a RAM memfd, driven by the
 * test guest: negotiation, offers, GPADL assembly, open, echo traffic
 * with backpressure, close, teardown, rescind, UNLOAD, and bad input.
 * The doorbell scan runs on the test's thread; the workers are real.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <vsc/echo.h>

#include "chan.h"
#include "vmbus_fix.h"
#include "shared.h"



static struct fix *fix_new(bool strict, unsigned int echoes,
			   const struct vsp_echo_cfg *cfg)
{
	struct fix *f = fix_alloc(strict, false, cfg);
	unsigned int i;

	for (i = 0; i < echoes; i++)
		assert_int_equal(vsp_vmbus_add(f->vm, VSP_CLASS_ECHO), i + 1);
	fix_ready(f);
	return f;
}

/* Rings the host, then takes the next message on vp: its type or 0. */
static uint32_t next(struct fix *f, unsigned int vp)
{
	vsp_host_doorbell(f->h);
	return vg_vmbus_recv(&f->g, vp, f->msg, &f->len);
}

static uint32_t u32_at(struct fix *f, size_t off)
{
	uint32_t v;

	memcpy(&v, f->msg + off, 4);
	return le32toh(v);
}

static uint64_t violations(struct fix *f, enum vsp_violation v)
{
	uint64_t n;

	pthread_mutex_lock(&f->h->vlock);
	n = f->h->st.violation[v];
	pthread_mutex_unlock(&f->h->vlock);
	return n;
}

/* Contact at 5.3 and take the offers: returns how many came. */
static unsigned int connect_all(struct fix *f)
{
	struct vsc_vmbus_msg_header req = {
		.msgtype = cpu_to_le32(VSC_VMBUS_MSG_REQUESTOFFERS),
	};
	unsigned int offers = 0;
	uint32_t t;

	assert_int_equal(vg_contact(&f->g, VSC_VMBUS_VERSION_WIN10_V5_3, 0), 0);
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_VERSION_RESPONSE);
	assert_int_equal(f->msg[8], 1);
	assert_int_equal(u32_at(f, 12), CONN);
	assert_int_equal(vg_vmbus_send(&f->g, CONN, &req, sizeof(req)), 0);
	while ((t = next(f, 0)) == VSC_VMBUS_MSG_OFFERCHANNEL)
		offers++;
	assert_int_equal(t, VSC_VMBUS_MSG_ALLOFFERS_DELIVERED);
	return offers;
}

static void test_versions(void **state)
{
	struct fix *f = fix_new(true, 0, NULL);

	(void)state;
	/* 6.0 and 2.4 are not ours: refused, not a violation. */
	vg_contact(&f->g, VSC_VMBUS_VERSION(6, 0), 0);
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_VERSION_RESPONSE);
	assert_int_equal(f->msg[8], 0);
	vg_contact(&f->g, VSC_VMBUS_VERSION_WIN8, 0);
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_VERSION_RESPONSE);
	assert_int_equal(f->msg[8], 0);
	/* 4.0 on connection 1, answered on VP 1; later messages on id 1. */
	vg_contact(&f->g, VSC_VMBUS_VERSION_WIN10, 1);
	assert_int_equal(next(f, 1), VSC_VMBUS_MSG_VERSION_RESPONSE);
	assert_int_equal(f->msg[8], 1);
	assert_int_equal(f->msg[9], 0);
	assert_int_equal(f->vm->version, VSC_VMBUS_VERSION_WIN10);
	assert_int_equal(f->h->st.violations, 0);
	fix_free(f);
}

static void test_offers(void **state)
{
	struct fix *f = fix_new(true, 2, NULL);
	struct vsc_vmbus_offer_channel o;
	struct vsc_guid echo = VSC_CLASS_ECHO;
	unsigned int n = 0;
	uint32_t t;
	struct vsc_vmbus_msg_header req = {
		.msgtype = cpu_to_le32(VSC_VMBUS_MSG_REQUESTOFFERS),
	};

	(void)state;
	/* Nothing before a version is agreed. */
	vg_vmbus_send(&f->g, 1, &req, sizeof(req));
	assert_int_equal(next(f, 0), 0);
	assert_int_equal(violations(f, VSP_V_VMBUS_STATE), 1);
	f->h->strict_failed = false;

	vg_contact(&f->g, VSC_VMBUS_VERSION_WIN10_V5_3, 0);
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_VERSION_RESPONSE);
	vg_vmbus_send(&f->g, CONN, &req, sizeof(req));
	while ((t = next(f, 0)) == VSC_VMBUS_MSG_OFFERCHANNEL) {
		memcpy(&o, f->msg, sizeof(o));
		n++;
		assert_int_equal(f->len, sizeof(o));
		assert_memory_equal(&o.offer.if_type, &echo, 16);
		assert_int_equal(le32toh(o.child_relid), n);
		assert_int_equal(le32toh(o.connection_id), n);
		assert_int_equal(o.offer.if_instance.b[15], n);
	}
	assert_int_equal(n, 2);
	assert_int_equal(t, VSC_VMBUS_MSG_ALLOFFERS_DELIVERED);
	/* A device offered at run time goes out at once. */
	assert_int_equal(vsp_vmbus_add(f->vm, VSP_CLASS_ECHO), 3);
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_OFFERCHANNEL);
	fix_free(f);
}

static void test_gpadl(void **state)
{
	struct fix *f = fix_new(true, 1, NULL);
	uint64_t pfns[100];
	unsigned int i;

	(void)state;
	connect_all(f);
	for (i = 0; i < 100; i++)
		pfns[i] = RINGS / 4096 + 3 * i;	/* scattered pages */
	/* 100 pages: a header and three bodies. */
	assert_int_equal(vg_gpadl(&f->g, CONN, 1, 0xe1e10, pfns, 100), 4);
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_GPADL_CREATED);
	assert_int_equal(u32_at(f, 8), 1);
	assert_int_equal(u32_at(f, 12), 0xe1e10);
	assert_int_equal(u32_at(f, 16), 0);
	/* The same handle again: refused, the first one intact. */
	assert_int_equal(vg_gpadl(&f->g, CONN, 1, 0xe1e10, pfns, 2), 1);
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_GPADL_CREATED);
	assert_int_not_equal(u32_at(f, 16), 0);
	assert_non_null(vsp_gpadl_find(f->vm, 0xe1e10));
	/* A page outside RAM, the legacy hole, an unknown relid. */
	pfns[50] = RAM_SIZE / 4096;
	vg_gpadl(&f->g, CONN, 1, 0xe1e11, pfns, 100);
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_GPADL_CREATED);
	assert_int_not_equal(u32_at(f, 16), 0);
	pfns[0] = 0xa0;
	vg_gpadl(&f->g, CONN, 1, 0xe1e12, pfns, 1);
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_GPADL_CREATED);
	assert_int_not_equal(u32_at(f, 16), 0);
	pfns[0] = RINGS / 4096;
	vg_gpadl(&f->g, CONN, 7, 0xe1e13, pfns, 1);
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_GPADL_CREATED);
	assert_int_not_equal(u32_at(f, 16), 0);
	assert_int_equal(violations(f, VSP_V_GPADL_BAD), 4);
	/* Teardown: answered; a second one is a violation, no answer. */
	vg_gpadl_teardown(&f->g, CONN, 1, 0xe1e10);
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_GPADL_TORNDOWN);
	assert_int_equal(u32_at(f, 8), 0xe1e10);
	vg_gpadl_teardown(&f->g, CONN, 1, 0xe1e10);
	assert_int_equal(next(f, 0), 0);
	assert_int_equal(violations(f, VSP_V_GPADL_BAD), 5);
	assert_int_equal(f->vm->st.gpadls_created, 1);
	fix_free(f);
}

/* A hand-made GPADL_HEADER: ranges as given. */
static void raw_header(struct fix *f, uint32_t handle, uint16_t buflen,
		       uint16_t count, uint32_t bytes, uint32_t off,
		       unsigned int npfn)
{
	uint8_t m[VSC_HV_MESSAGE_PAYLOAD] = { 0 };
	struct vsc_vmbus_gpadl_header *h = (void *)m;
	struct vsc_gpa_range r = { htole32(bytes), htole32(off) };
	uint64_t pfn = htole64(RINGS / 4096);
	unsigned int i;

	h->header.msgtype = htole32(VSC_VMBUS_MSG_GPADL_HEADER);
	h->child_relid = htole32(1);
	h->gpadl = htole32(handle);
	h->range_buflen = htole16(buflen);
	h->rangecount = htole16(count);
	memcpy(m + sizeof(*h), &r, sizeof(r));
	for (i = 0; i < npfn; i++)
		memcpy(m + sizeof(*h) + sizeof(r) + 8 * i, &pfn, 8);
	vg_vmbus_send(&f->g, CONN, m, sizeof(*h) + sizeof(r) + 8 * npfn);
}

static void test_gpadl_shapes(void **state)
{
	struct fix *f = fix_new(false, 1, NULL);
	struct vsc_vmbus_gpadl_body b = {
		.header.msgtype = htole32(VSC_VMBUS_MSG_GPADL_BODY),
		.msgnumber = htole32(2), .gpadl = htole32(0x20),
	};
	uint8_t m[24] = { 0 };

	(void)state;
	connect_all(f);
	/* byte_count needs 3 pages, range_buflen holds 2. */
	raw_header(f, 0x10, 24, 1, 3 * 4096, 0, 2);
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_GPADL_CREATED);
	assert_int_not_equal(u32_at(f, 16), 0);
	/* Two ranges promised, one there. */
	raw_header(f, 0x11, 16, 2, 4096, 0, 1);
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_GPADL_CREATED);
	assert_int_not_equal(u32_at(f, 16), 0);
	/* An offset within the page makes two pages of 4096 bytes: fine. */
	raw_header(f, 0x12, 24, 1, 4096, 100, 2);
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_GPADL_CREATED);
	assert_int_equal(u32_at(f, 16), 0);
	assert_false(vsp_gpadl_find(f->vm, 0x12)->ring_ok);
	/* A body out of sequence ends the assembly with a failure. */
	raw_header(f, 0x20, 8 + 8 * 40, 1, 40 * 4096, 0, 26);
	assert_int_equal(next(f, 0), 0);
	memcpy(m, &b, sizeof(b));
	vg_vmbus_send(&f->g, CONN, m, sizeof(m));
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_GPADL_CREATED);
	assert_int_not_equal(u32_at(f, 16), 0);
	assert_null(vsp_gpadl_find(f->vm, 0x20));
	/* A body for nothing: dropped. */
	vg_vmbus_send(&f->g, CONN, m, sizeof(m));
	assert_int_equal(next(f, 0), 0);
	assert_int_equal(violations(f, VSP_V_GPADL_BAD), 4);
	assert_false(f->h->strict_failed);
	fix_free(f);
}

/* Waits (bounded) for the host's next packet in the guest's inbound ring. */
static int guest_read(struct fix *f, struct vg_chan *c, void *buf,
		      uint32_t size, uint32_t *len)
{
	int i, ret = -EAGAIN;

	for (i = 0; i < 4000 && ret == -EAGAIN; i++) {
		ret = vsc_ring_read(&c->in, buf, size, len);
		if (ret == -EAGAIN)
			usleep(500);
		if (c->signals) {	/* the guest's rules said signal */
			c->signals = 0;
			vg_signal(&f->g, 1);
			vsp_host_doorbell(f->h);
		}
	}
	return ret;
}

static bool sink;	/* send SINK messages instead of ECHO */

static void echo_send(struct fix *f, struct vg_chan *c, uint32_t seq,
		      uint32_t n, bool want, bool corrupt)
{
	uint8_t *p = malloc(sizeof(struct vsc_echo_msg) + n);
	int ret = 0;
	struct vsc_echo_msg m = { htole32(sink ? VSC_ECHO_MAGIC_SINK :
					  VSC_ECHO_MAGIC), htole32(seq),
				  htole32(n), htole32(seq * 77) };
	uint32_t i;

	memcpy(p, &m, sizeof(m));
	for (i = 0; i < n; i++)
		p[sizeof(m) + i] = vsc_echo_byte(seq * 77, i);
	if (corrupt && n)
		p[sizeof(m) + n / 2] ^= 1;
	c->signals = 0;
	/* A full ring waits for the host to read, as a guest would. */
	for (i = 0; i < 2000; i++) {
		ret = vsc_ring_send(&c->out, VSC_PKT_DATA_INBAND,
				    want ? VSC_PKT_FLAG_COMPLETION_REQUESTED : 0,
				    seq + 1, NULL, 0, p, sizeof(m) + n);
		if (ret != -ENOSPC)
			break;
		usleep(1000);
	}
	free(p);
	assert_int_equal(ret, 0);
	if (c->signals) {
		vg_signal(&f->g, 1);
		vsp_host_doorbell(f->h);
	}
	c->signals = 0;
}

static void echo_expect(struct fix *f, struct vg_chan *c, uint32_t seq,
			uint32_t n, bool want)
{
	static uint8_t buf[70000] __attribute__((aligned(8)));
	struct vsc_ring_pkt pkt;
	uint32_t len, ml;
	bool was_sink;

	assert_int_equal(guest_read(f, c, buf, sizeof(buf), &len), 0);
	assert_int_equal(vsc_ring_pkt_parse(buf, len, VSC_RING_VIEW_GUEST,
					    &pkt), 0);
	assert_int_equal(pkt.type, want ? VSC_PKT_COMPLETION :
			 VSC_PKT_DATA_INBAND);
	assert_int_equal(pkt.trans_id, seq + 1);
	assert_true(vsp_echo_dev_check(pkt.data, pkt.data_len, &ml, &was_sink));
	assert_int_equal(was_sink, sink);
	assert_int_equal(ml, sizeof(struct vsc_echo_msg) + (sink ? 0 : n));
}

/* Connect, GPADL, open relid 1 on VP 1 with 16-page rings. */
static void open_chan(struct fix *f, struct vg_chan *c)
{
	uint64_t pfns[64];

	connect_all(f);
	vg_chan_setup(&f->g, c, RINGS, 16, 16, pfns);
	vg_gpadl(&f->g, CONN, 1, 0xe1e10, pfns, c->pages);
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_GPADL_CREATED);
	assert_int_equal(u32_at(f, 16), 0);
	vg_open(&f->g, CONN, 1, 0xe1e10, 1, c->down);
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_OPENCHANNEL_RESULT);
	assert_int_equal(u32_at(f, 8), 1);
	assert_int_equal(u32_at(f, 12), 1);
	assert_int_equal(u32_at(f, 16), 0);
	assert_int_equal(f->vm->ch[1].state, VSP_CH_OPEN);
}

static void close_chan(struct fix *f)
{
	vg_relid_msg(&f->g, CONN, VSC_VMBUS_MSG_CLOSECHANNEL, 1);
	vg_gpadl_teardown(&f->g, CONN, 1, 0xe1e10);
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_GPADL_TORNDOWN);
	assert_int_equal(f->vm->ch[1].state, VSP_CH_OFFERED);
}

static void test_echo(void **state)
{
	struct fix *f = fix_new(true, 1, NULL);
	static const uint32_t sizes[] = { 0, 16, 100, 1000, 4000, 20000,
					  40960 };
	struct vg_chan c;
	unsigned int i;
	uint64_t w0;

	(void)state;
	open_chan(f, &c);
	for (i = 0; i < 70; i++) {
		echo_send(f, &c, i, sizes[i % 7], i % 4 != 3, false);
		echo_expect(f, &c, i, sizes[i % 7], i % 4 != 3);
	}
	/* A sink is answered with its header only. */
	sink = true;
	for (i = 0; i < 8; i++) {
		echo_send(f, &c, i, sizes[i % 7], true, false);
		echo_expect(f, &c, i, sizes[i % 7], true);
	}
	sink = false;
	/* The host signalled relid 1 on VP 1, the channel's target. */
	vg_take_flags(&f->g, 1, &w0);
	assert_true(f->h->vp[1].st.flags_set > 0);
	assert_int_equal(f->h->vp[0].st.flags_set, 0);
	close_chan(f);
	assert_int_equal(f->h->st.violations, 0);
	fix_free(f);
}

static void test_backpressure(void **state)
{
	struct fix *f = fix_new(true, 1, NULL);
	struct vg_chan c;
	unsigned int i;

	(void)state;
	open_chan(f, &c);
	/* Five 20000-byte echoes do not fit the 64 KiB inbound ring. */
	for (i = 0; i < 3; i++)
		echo_send(f, &c, i, 20000, true, false);
	usleep(100000);
	for (i = 3; i < 5; i++)
		echo_send(f, &c, i, 20000, true, false);
	for (i = 0; i < 5; i++)
		echo_expect(f, &c, i, 20000, true);
	close_chan(f);
	assert_int_equal(f->h->st.violations, 0);
	fix_free(f);
}

static void test_bad_pattern_strict(void **state)
{
	struct fix *f = fix_new(true, 1, NULL);
	struct vg_chan c;

	(void)state;
	open_chan(f, &c);
	echo_send(f, &c, 0, 1000, true, true);
	guest_read(f, &c, f->msg, 0, &f->len);	/* -ENOBUFS: it came */
	assert_int_equal(violations(f, VSP_V_ECHO_PATTERN), 1);
	assert_true(f->h->strict_failed);
	close_chan(f);
	fix_free(f);
}

static void test_knobs(void **state)
{
	struct vsp_echo_cfg cfg = { .delay_us = 20000, .max_bytes = 1000,
				    .completion = VSP_ECHO_COMP_NEVER };
	static uint8_t buf[70000] __attribute__((aligned(8)));
	struct fix *f = fix_new(true, 1, &cfg);
	struct timespec t0, t1;
	struct vsc_ring_pkt pkt;
	struct vg_chan c;
	uint32_t len;

	(void)state;
	open_chan(f, &c);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* Never a completion: in-band, same id, even when asked. */
	echo_send(f, &c, 0, 100, true, false);
	echo_expect(f, &c, 0, 100, false);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* Answered late. */
	assert_true((t1.tv_sec - t0.tv_sec) * 1000000000LL +
		    (t1.tv_nsec - t0.tv_nsec) >= 20000000LL);
	/* Above --echo-max: refused, answered with no payload. */
	echo_send(f, &c, 1, 4000, true, false);
	assert_int_equal(guest_read(f, &c, buf, sizeof(buf), &len), 0);
	assert_int_equal(vsc_ring_pkt_parse(buf, len, VSC_RING_VIEW_GUEST,
					    &pkt), 0);
	assert_int_equal(pkt.type, VSC_PKT_DATA_INBAND);
	assert_int_equal(pkt.trans_id, 2);
	assert_int_equal(pkt.data_len, 0);
	close_chan(f);
	assert_int_equal(f->h->st.violations, 0);
	fix_free(f);
}

static void test_modify(void **state)
{
	struct fix *f = fix_new(true, 1, NULL);
	struct vsc_vmbus_modifychannel m = {
		.header.msgtype = htole32(VSC_VMBUS_MSG_MODIFYCHANNEL),
		.child_relid = htole32(1), .target_vp = htole32(0),
	};
	struct vg_chan c;
	uint64_t before;

	(void)state;
	open_chan(f, &c);
	vg_vmbus_send(&f->g, CONN, &m, sizeof(m));
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_MODIFYCHANNEL_RESPONSE);
	assert_int_equal(u32_at(f, 8), 1);
	assert_int_equal(u32_at(f, 12), 0);
	/* The channel's signals now go to VP 0. */
	before = f->h->vp[0].st.flags_set;
	echo_send(f, &c, 0, 100, true, false);
	echo_expect(f, &c, 0, 100, true);
	assert_true(f->h->vp[0].st.flags_set > before);
	/* No such VP: refused. */
	m.target_vp = htole32(NR_VPS);
	vg_vmbus_send(&f->g, CONN, &m, sizeof(m));
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_MODIFYCHANNEL_RESPONSE);
	assert_int_not_equal(u32_at(f, 12), 0);
	f->h->strict_failed = false;
	close_chan(f);
	fix_free(f);
}

static void test_teardown_in_use(void **state)
{
	struct fix *f = fix_new(false, 1, NULL);
	struct vg_chan c;

	(void)state;
	open_chan(f, &c);
	vg_gpadl_teardown(&f->g, CONN, 1, 0xe1e10);
	assert_int_equal(next(f, 0), 0);
	assert_int_equal(violations(f, VSP_V_GPADL_BAD), 1);
	/* A second open of an open channel is refused. */
	vg_open(&f->g, CONN, 1, 0xe1e10, 0, c.down);
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_OPENCHANNEL_RESULT);
	assert_int_not_equal(u32_at(f, 16), 0);
	/* The close releases the GPADL: the deferred answer comes. */
	vg_relid_msg(&f->g, CONN, VSC_VMBUS_MSG_CLOSECHANNEL, 1);
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_GPADL_TORNDOWN);
	assert_null(vsp_gpadl_find(f->vm, 0xe1e10));
	fix_free(f);
}

static void test_open_bad(void **state)
{
	struct fix *f = fix_new(false, 1, NULL);
	uint64_t pfns[64];
	struct vg_chan c;

	(void)state;
	connect_all(f);
	vg_chan_setup(&f->g, &c, RINGS, 4, 4, pfns);
	vg_gpadl(&f->g, CONN, 1, 0xe1e10, pfns, c.pages);
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_GPADL_CREATED);
	vg_open(&f->g, CONN, 1, 0xe1e10, NR_VPS, c.down);	/* no such VP */
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_OPENCHANNEL_RESULT);
	assert_int_not_equal(u32_at(f, 16), 0);
	vg_open(&f->g, CONN, 1, 0xe1e10, 0, 1);		/* empty ring */
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_OPENCHANNEL_RESULT);
	assert_int_not_equal(u32_at(f, 16), 0);
	vg_open(&f->g, CONN, 1, 0xe1e10, 0, c.pages - 1);
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_OPENCHANNEL_RESULT);
	assert_int_not_equal(u32_at(f, 16), 0);
	vg_open(&f->g, CONN, 1, 0x999, 0, c.down);		/* no GPADL */
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_OPENCHANNEL_RESULT);
	assert_int_not_equal(u32_at(f, 16), 0);
	vg_open(&f->g, CONN, 9, 0xe1e10, 0, c.down);		/* no channel */
	assert_int_equal(next(f, 0), 0);
	assert_int_equal(violations(f, VSP_V_OPEN_BAD), 4);
	assert_int_equal(violations(f, VSP_V_VMBUS_RELID), 1);
	assert_int_equal(f->vm->ch[1].state, VSP_CH_OFFERED);
	fix_free(f);
}

static void test_rescind(void **state)
{
	struct fix *f = fix_new(true, 1, NULL);
	struct vg_chan c;

	(void)state;
	open_chan(f, &c);
	assert_int_equal(vsp_vmbus_rescind(f->vm, 1), 0);
	assert_null(f->vm->ch[1].w);
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_RESCIND_CHANNELOFFER);
	assert_int_equal(u32_at(f, 8), 1);
	/* The relid stays taken until the guest releases it. */
	assert_int_equal(vsp_vmbus_add(f->vm, VSP_CLASS_ECHO), 2);
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_OFFERCHANNEL);
	vg_relid_msg(&f->g, CONN, VSC_VMBUS_MSG_RELID_RELEASED, 1);
	assert_int_equal(next(f, 0), 0);
	assert_int_equal(f->vm->ch[1].state, VSP_CH_FREE);
	assert_null(vsp_gpadl_find(f->vm, 0xe1e10));
	assert_int_equal(vsp_vmbus_add(f->vm, VSP_CLASS_ECHO), 1);
	assert_int_equal(f->h->st.violations, 0);
	fix_free(f);
}

/* The same instance comes back only once the guest released the old one. */
static void test_reoffer_instance(void **state)
{
	struct fix *f = fix_new(true, 1, NULL);
	uint32_t n = f->vm->ch[1].instance_nr;
	struct vg_chan c;

	(void)state;
	open_chan(f, &c);
	assert_int_equal(vsp_vmbus_add_instance(f->vm, VSP_CLASS_ECHO, n), -EEXIST);
	assert_int_equal(vsp_vmbus_rescind(f->vm, 1), 0);
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_RESCIND_CHANNELOFFER);
	assert_int_equal(vsp_vmbus_add_instance(f->vm, VSP_CLASS_ECHO, n), -EEXIST);
	vg_relid_msg(&f->g, CONN, VSC_VMBUS_MSG_RELID_RELEASED, 1);
	assert_int_equal(next(f, 0), 0);
	assert_int_equal(vsp_vmbus_add_instance(f->vm, VSP_CLASS_ECHO, n), 1);
	assert_int_equal(next(f, 0), VSC_VMBUS_MSG_OFFERCHANNEL);
	assert_int_equal(f->vm->ch[1].instance_nr, n);
	/* A new instance never reuses n. */
	assert_int_equal(vsp_vmbus_add(f->vm, VSP_CLASS_ECHO), 2);
	assert_int_not_equal(f->vm->ch[2].instance_nr, n);
	assert_int_equal(f->h->st.violations, 0);
	fix_free(f);
}

static void test_unload_reconnect(void **state)
{
	struct fix *f = fix_new(true, 2, NULL);
	struct vsc_vmbus_msg_header m = {
		.msgtype = cpu_to_le32(VSC_VMBUS_MSG_UNLOAD),
	};
	struct vg_chan c;
	unsigned int i;

	(void)state;
	open_chan(f, &c);
	for (i = 0; i < 5; i++) {
		vg_vmbus_send(&f->g, CONN, &m, sizeof(m));
		assert_int_equal(next(f, 0), VSC_VMBUS_MSG_UNLOAD_RESPONSE);
		assert_int_equal(f->vm->version, 0);
		assert_null(f->vm->ch[1].w);
		assert_null(vsp_gpadl_find(f->vm, 0xe1e10));
		assert_int_equal(connect_all(f), 2);
	}
	assert_int_equal(f->h->st.violations, 0);
	fix_free(f);
}

static void test_garbage_messages(void **state)
{
	struct fix *f = fix_new(false, 1, NULL);
	uint8_t m[VSC_HV_MESSAGE_PAYLOAD];
	uint64_t x = 88172645463325252ULL;
	unsigned int i, j;

	(void)state;
	connect_all(f);
	for (i = 0; i < 20000; i++) {
		for (j = 0; j < sizeof(m); j++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			m[j] = x;
		}
		m[0] = x % 30;
		memset(m + 1, 0, 3);
		vg_vmbus_send(&f->g, x & 1 ? CONN : 4, m, x % sizeof(m));
		while (next(f, 0))
			;
	}
	assert_true(f->h->st.violations > 0);
	fix_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_offers),
		cmocka_unit_test(test_gpadl),
		cmocka_unit_test(test_gpadl_shapes),
		cmocka_unit_test(test_echo),
		cmocka_unit_test(test_backpressure),
		cmocka_unit_test(test_bad_pattern_strict),
		cmocka_unit_test(test_knobs),
		cmocka_unit_test(test_modify),
		cmocka_unit_test(test_teardown_in_use),
		cmocka_unit_test(test_open_bad),
		cmocka_unit_test(test_rescind),
		cmocka_unit_test(test_reoffer_instance),
		cmocka_unit_test(test_unload_reconnect),
		cmocka_unit_test(test_garbage_messages),
	};

	return cmocka_run_group_tests_name("vmbus", tests, NULL, NULL);
}
