// SPDX-License-Identifier: GPL-2.0
/*
 * The channel worker serviced by hand (no thread), so the order of events
 * is exact: the reader's pending_send_sz rule (the host signals the guest
 * when its reads take the free room of the guest's outbound ring from at
 * most pending_send_sz to more, once, and never when the guest did not
 * ask), and transfer-page packets the host sends against a guest GPADL
 * (src/chan_xfer.c), with their GPADL and ranges checked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <vsc/echo.h>

#include "chan.h"
#include "hostile.h"
#include "vmbus_fix.h"

static uint8_t buf[70000] __attribute__((aligned(8)));

struct hand {
	struct fix *f;
	struct vsp_chan *c;
	struct vg_chan g;
};

/* Relid 1 (and 2, a sub-channel of it) mapped by hand, no worker thread. */
static void hand_setup(struct hand *t, uint32_t out_pages, uint32_t in_pages)
{
	uint64_t pfns[64];

	t->f = fix_alloc(true, false, NULL);
	assert_int_equal(vsp_vmbus_add(t->f->vm, VSP_CLASS_ECHO), 1);
	assert_int_equal(vsp_vmbus_add(t->f->vm, VSP_CLASS_ECHO), 2);
	fix_ready(t->f);
	vg_chan_setup(&t->f->g, &t->g, RINGS, out_pages, in_pages, pfns);
	t->c = &t->f->vm->ch[1];
	t->c->map = t->f->ram + RINGS;
	t->c->map_pages = t->g.pages;
	t->c->down_pages = t->g.down;
	t->c->target_vp = 1;
	assert_int_equal(vsp_worker_attach(t->f->vm, t->c), 0);
}

static void hand_free(struct hand *t)
{
	vsp_worker_detach(t->c);
	t->c->map = NULL;
	fix_free(t->f);
}

static int send_echo(struct vg_chan *c, uint32_t seq, uint32_t n)
{
	struct vsc_echo_msg m = { htole32(VSC_ECHO_MAGIC), htole32(seq),
				  htole32(n), htole32(seq) };
	uint8_t *p = malloc(sizeof(m) + n);
	uint32_t i;
	int ret;

	memcpy(p, &m, sizeof(m));
	for (i = 0; i < n; i++)
		p[sizeof(m) + i] = vsc_echo_byte(seq, i);
	ret = vsc_ring_send(&c->out, VSC_PKT_DATA_INBAND, 0, seq + 1, NULL, 0,
			    p, sizeof(m) + n);
	free(p);
	return ret;
}

static uint64_t wakeups(struct hand *t)
{
	return __atomic_load_n(&t->f->vm->st.send_wakeups, __ATOMIC_RELAXED);
}

/* The guest takes up to n answers from its inbound ring. */
static unsigned int take(struct hand *t, unsigned int n)
{
	unsigned int got = 0;
	uint32_t len;

	while (got < n && !vsc_ring_read(&t->g.in, buf, sizeof(buf), &len))
		got++;
	return got;
}

static void test_pending_send_rule(void **state)
{
	struct hand t;
	unsigned int n = 0, got;

	(void)state;
	/* 128 KiB to the host, 32 KiB back: three 8000-byte answers fit. */
	hand_setup(&t, 32, 8);
	while (!send_echo(&t.g, n, 8000))
		n++;
	assert_true(n >= 15);
	/* The guest waits for 60000 bytes: more than one round frees. */
	assert_int_equal(vsc_ring_set_pending_send(&t.g.out, 60000), 0);
	vsp_worker_service(t.c);
	/* The host read until an answer did not fit: about 40 KiB, not enough. */
	assert_int_equal(wakeups(&t), 0);
	assert_true(vsc_ring_write_avail(&t.g.out) <= 60000);
	got = take(&t, 3);
	assert_int_equal(got, 3);
	vsp_worker_service(t.c);
	/* Now the free room went past 60000: one signal. */
	assert_true(vsc_ring_write_avail(&t.g.out) > 60000);
	assert_int_equal(wakeups(&t), 1);
	/* More room, still asked for: the crossing was already signalled. */
	while (got < n) {
		unsigned int k = take(&t, n);

		assert_true(k > 0);
		got += k;
		vsp_worker_service(t.c);
	}
	assert_int_equal(wakeups(&t), 1);
	/* Asked again on a nearly full ring: one more, once it drains. */
	for (n = 0; !send_echo(&t.g, n, 8000); n++)
		;
	assert_int_equal(vsc_ring_set_pending_send(&t.g.out, 8100), 0);
	vsp_worker_service(t.c);
	assert_int_equal(wakeups(&t), 2);
	vsc_ring_clear_pending_send(&t.g.out);
	for (got = 0; got < n; got += take(&t, n))
		vsp_worker_service(t.c);
	assert_int_equal(wakeups(&t), 2);
	/* --bug=no-send-wakeup: the same crossing, no signal. */
	t.f->h->bugs = VSP_BUG_NO_SEND_WAKEUP;
	for (n = 0; !send_echo(&t.g, n, 8000); n++)
		;
	assert_int_equal(vsc_ring_set_pending_send(&t.g.out, 8100), 0);
	vsp_worker_service(t.c);
	assert_true(vsc_ring_write_avail(&t.g.out) > 8100);
	assert_int_equal(wakeups(&t), 2);
	vsc_ring_clear_pending_send(&t.g.out);
	for (got = 0; got < n; got += take(&t, n))
		vsp_worker_service(t.c);
	assert_int_equal(t.f->h->st.violations, 0);
	hand_free(&t);
}

/* A GPADL of `pages` pages created on relid by hand, complete. */
static void gpadl(struct hand *t, unsigned int slot, uint32_t relid,
		  uint32_t handle, uint64_t bytes, bool complete)
{
	struct vsp_gpadl *g = &t->f->vm->gp[slot];

	g->used = true;
	g->complete = complete;
	g->relid = relid;
	g->handle = handle;
	g->bytes = bytes;
}

static void range(struct vsc_xfer_page_range *r, uint32_t count, uint32_t off)
{
	r->byte_count = cpu_to_le32(count);
	r->byte_offset = cpu_to_le32(off);
}

static void test_xfer(void **state)
{
	struct vsc_xfer_page_range r[3];
	static const char msg[] = "an NVSP message, 8-aligned or not";
	struct vsp_dev_chan *dc;
	struct vsc_ring_pkt pkt;
	struct hand t;
	uint32_t len;

	(void)state;
	hand_setup(&t, 8, 8);
	dc = vsp_worker_dev(t.c);
	assert_non_null(dc);
	gpadl(&t, 10, 1, 0xcafe0, 16 * 4096, true);
	gpadl(&t, 11, 2, 0xcafe1, 4096, true);		/* another channel's */
	gpadl(&t, 12, 1, 0xcafe2, 4096, false);		/* being assembled */
	range(&r[0], 1514, 0);
	range(&r[1], 60, 4096 * 16 - 60);		/* the very end */
	range(&r[2], 4096, 8192);
	assert_int_equal(vsp_chan_send_xfer(dc, 0xcafe0, 0xcafe, r, 3,
					    VSC_PKT_FLAG_COMPLETION_REQUESTED,
					    77, msg, sizeof(msg)), 0);
	assert_int_equal(vsc_ring_read(&t.g.in, buf, sizeof(buf), &len), 0);
	assert_int_equal(vsc_ring_pkt_parse(buf, len, VSC_RING_VIEW_GUEST,
					    &pkt), 0);
	assert_int_equal(pkt.type, VSC_PKT_DATA_XFER_PAGES);
	assert_int_equal(pkt.flags, VSC_PKT_FLAG_COMPLETION_REQUESTED);
	assert_int_equal(pkt.trans_id, 77);
	assert_int_equal(pkt.xfer.pageset_id, 0xcafe);
	assert_int_equal(pkt.xfer.count, 3);
	assert_memory_equal(pkt.xfer.ranges, r, sizeof(r));
	assert_true(pkt.data_len >= sizeof(msg));
	assert_memory_equal(pkt.data, msg, sizeof(msg));
	/* The header is 24 bytes and the ranges: the payload follows. */
	assert_int_equal(pkt.data - buf, 24 + sizeof(r));

	/* Every bad GPADL or range fails that packet alone. */
	assert_int_equal(vsp_chan_send_xfer(dc, 0x1234, 1, r, 1, 0, 1, NULL, 0),
			 -ENOENT);
	assert_int_equal(vsp_chan_send_xfer(dc, 0xcafe1, 1, r, 1, 0, 1, NULL, 0),
			 -ENOENT);
	assert_int_equal(vsp_chan_send_xfer(dc, 0xcafe2, 1, r, 1, 0, 1, NULL, 0),
			 -ENOENT);
	assert_int_equal(vsp_chan_send_xfer(dc, 0xcafe0, 1, r, 0, 0, 1, NULL, 0),
			 -EINVAL);
	range(&r[1], 61, 4096 * 16 - 60);		/* one byte past */
	assert_int_equal(vsp_chan_send_xfer(dc, 0xcafe0, 1, r, 2, 0, 1, NULL, 0),
			 -ERANGE);
	range(&r[1], 0, 0);				/* empty */
	assert_int_equal(vsp_chan_send_xfer(dc, 0xcafe0, 1, r, 2, 0, 1, NULL, 0),
			 -ERANGE);
	range(&r[1], 0xffffffff, 0xffffffff);		/* wraps */
	assert_int_equal(vsp_chan_send_xfer(dc, 0xcafe0, 1, r, 2, 0, 1, NULL, 0),
			 -ERANGE);
	range(&r[1], 1, 16 * 4096);			/* at the end */
	assert_int_equal(vsp_chan_send_xfer(dc, 0xcafe0, 1, r, 2, 0, 1, NULL, 0),
			 -ERANGE);
	assert_int_equal(vsc_ring_read(&t.g.in, buf, sizeof(buf), &len),
			 -EAGAIN);
	assert_int_equal(t.f->h->st.violations, 0);
	hand_free(&t);
}

/* A sub-channel sends against the receive buffer of its primary. */
static void test_xfer_subchannel(void **state)
{
	struct vsc_xfer_page_range r;
	struct hand t;
	uint32_t len;

	(void)state;
	hand_setup(&t, 8, 8);
	vsp_worker_detach(t.c);
	t.c->map = NULL;
	t.c = &t.f->vm->ch[2];
	t.c->sub_index = 1;
	t.c->primary = 1;
	t.c->map = t.f->ram + RINGS;
	t.c->map_pages = t.g.pages;
	t.c->down_pages = t.g.down;
	assert_int_equal(vsp_worker_attach(t.f->vm, t.c), 0);
	gpadl(&t, 0, 1, 0xcafe0, 8192, true);
	range(&r, 100, 8000);
	assert_int_equal(vsp_chan_send_xfer(vsp_worker_dev(t.c), 0xcafe0, 2,
					    &r, 1, 0, 5, NULL, 0), 0);
	assert_int_equal(vsc_ring_read(&t.g.in, buf, sizeof(buf), &len), 0);
	hand_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pending_send_rule),
		cmocka_unit_test(test_xfer),
		cmocka_unit_test(test_xfer_subchannel),
	};

	return cmocka_run_group_tests_name("chan", tests, NULL, NULL);
}
