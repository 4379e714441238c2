// SPDX-License-Identifier: GPL-2.0
/*
 * Device classes behind the channel worker (src/dev/, src/chan.c): echo
 * answers held and reordered while the worker keeps reading the ring,
 * the class settings `ctl class` changes, and the control socket's
 * `stall` with the reader's pending_send_sz rule (the host signals the
 * guest once its reads made the room the guest asked for, and only
 * then), over the VMBus fixture with real worker threads, or with the
 * worker serviced by hand where the order of events must be exact.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <vsc/echo.h>

#include "chan.h"
#include "vmbus_fix.h"

static uint8_t buf[70000] __attribute__((aligned(8)));

static uint32_t next(struct fix *f)
{
	vsp_host_doorbell(f->h);
	return vg_vmbus_recv(&f->g, 0, f->msg, &f->len);
}

static struct fix *fix_echo(const struct vsp_echo_cfg *cfg)
{
	struct vsc_vmbus_msg_header req = {
		.msgtype = cpu_to_le32(VSC_VMBUS_MSG_REQUESTOFFERS),
	};
	struct fix *f = fix_alloc(true, false, cfg);

	assert_int_equal(vsp_vmbus_add(f->vm, VSP_CLASS_ECHO), 1);
	fix_ready(f);
	assert_int_equal(vg_contact(&f->g, VSC_VMBUS_VERSION_WIN10_V5_3, 0), 0);
	assert_int_equal(next(f), VSC_VMBUS_MSG_VERSION_RESPONSE);
	vg_vmbus_send(&f->g, CONN, &req, sizeof(req));
	assert_int_equal(next(f), VSC_VMBUS_MSG_OFFERCHANNEL);
	assert_int_equal(next(f), VSC_VMBUS_MSG_ALLOFFERS_DELIVERED);
	return f;
}

/* Opens relid 1 on VP 1: out_pages to the host, in_pages back. */
static void open_chan(struct fix *f, struct vg_chan *c, uint32_t out_pages,
		      uint32_t in_pages)
{
	uint64_t pfns[64];

	vg_chan_setup(&f->g, c, RINGS, out_pages, in_pages, pfns);
	vg_gpadl(&f->g, CONN, 1, 0xd0, pfns, c->pages);
	assert_int_equal(next(f), VSC_VMBUS_MSG_GPADL_CREATED);
	vg_open(&f->g, CONN, 1, 0xd0, 1, c->down);
	assert_int_equal(next(f), VSC_VMBUS_MSG_OPENCHANNEL_RESULT);
	assert_int_equal(f->vm->ch[1].state, VSP_CH_OPEN);
}

/* The guest's rules said signal: ring the host as a guest would. */
static void kick(struct fix *f, struct vg_chan *c)
{
	if (!c->signals)
		return;
	c->signals = 0;
	vg_signal(&f->g, 1);
	vsp_host_doorbell(f->h);
}

/* An echo message of n pattern bytes, id seq + 1; -ENOSPC when full. */
static int send_echo(struct vg_chan *c, uint32_t seq, uint32_t n, bool sink)
{
	struct vsc_echo_msg m = {
		htole32(sink ? VSC_ECHO_MAGIC_SINK : VSC_ECHO_MAGIC),
		htole32(seq), htole32(n), htole32(seq * 31) };
	uint8_t *p = malloc(sizeof(m) + n);
	uint32_t i;
	int ret;

	memcpy(p, &m, sizeof(m));
	for (i = 0; i < n; i++)
		p[sizeof(m) + i] = vsc_echo_byte(seq * 31, i);
	ret = vsc_ring_send(&c->out, VSC_PKT_DATA_INBAND,
			    VSC_PKT_FLAG_COMPLETION_REQUESTED, seq + 1, NULL, 0,
			    p, sizeof(m) + n);
	free(p);
	return ret;
}

/* The next answer's transaction id (seq + 1), waiting up to ms; 0: none. */
static uint64_t answer(struct fix *f, struct vg_chan *c, unsigned int ms)
{
	struct vsc_ring_pkt pkt;
	unsigned int i;
	uint32_t len;
	int ret = -EAGAIN;

	for (i = 0; i < ms * 4 && ret == -EAGAIN; i++) {
		ret = vsc_ring_read(&c->in, buf, sizeof(buf), &len);
		kick(f, c);
		if (ret == -EAGAIN)
			usleep(250);
	}
	if (ret)
		return 0;
	assert_int_equal(vsc_ring_pkt_parse(buf, len, VSC_RING_VIEW_GUEST,
					    &pkt), 0);
	assert_int_equal(pkt.type, VSC_PKT_COMPLETION);
	return pkt.trans_id;
}

static void close_chan(struct fix *f)
{
	vg_relid_msg(&f->g, CONN, VSC_VMBUS_MSG_CLOSECHANNEL, 1);
	vsp_host_doorbell(f->h);
	assert_int_equal(f->vm->ch[1].state, VSP_CH_OFFERED);
}

/* True if the `channels` line of relid 1 has s. */
static bool channel_has(struct fix *f, const char *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	bool yes;

	vsp_vmbus_channels(f->vm, m);
	fclose(m);
	yes = strstr(text, s) != NULL;
	free(text);
	return yes;
}

/* Reorder 4: two batches of four, each reversed. */
static void test_reorder(void **state)
{
	struct vsp_echo_cfg cfg = { .reorder = 4 };
	struct fix *f = fix_echo(&cfg);
	static const uint64_t want[] = { 4, 3, 2, 1, 8, 7, 6, 5 };
	struct vg_chan c;
	unsigned int i;

	(void)state;
	open_chan(f, &c, 16, 16);
	for (i = 0; i < 8; i++)
		assert_int_equal(send_echo(&c, i, 100, false), 0);
	kick(f, &c);
	for (i = 0; i < 8; i++)
		assert_int_equal(answer(f, &c, 2000), want[i]);
	/* A short batch goes out after a millisecond, reversed too. */
	for (i = 10; i < 13; i++)
		assert_int_equal(send_echo(&c, i, 0, false), 0);
	kick(f, &c);
	assert_int_equal(answer(f, &c, 2000), 13);
	assert_int_equal(answer(f, &c, 2000), 12);
	assert_int_equal(answer(f, &c, 2000), 11);
	close_chan(f);
	assert_int_equal(f->h->st.violations, 0);
	fix_free(f);
}

/*
 * Hold: the worker reads every request while no answer is out yet (the
 * guest's outbound ring is empty again, the class holds them all); then
 * they come in order. Reorder on top: late and out of order.
 */
static void test_hold_reads_on(void **state)
{
	struct vsp_echo_cfg cfg = { .hold_us = 1000000 };
	struct fix *f = fix_echo(&cfg);
	struct vg_chan c;
	unsigned int i;
	int used;

	(void)state;
	open_chan(f, &c, 16, 16);
	for (i = 0; i < 200; i++) {
		assert_int_equal(send_echo(&c, i, 16, false), 0);
		kick(f, &c);
	}
	for (i = 0; i < 1600; i++) {
		used = 16 * 4096 - 8 - vsc_ring_write_avail(&c.out);
		if (!used)
			break;
		usleep(500);
	}
	assert_int_equal(used, 0);	/* all 200 read by the host */
	assert_int_equal(vsc_ring_read_avail(&c.in), 0);	/* none answered */
	assert_true(channel_has(f, " held 200 "));
	for (i = 0; i < 200; i++)
		assert_int_equal(answer(f, &c, 3000), i + 1);
	/* Knobs change under a running channel. */
	assert_non_null(vsp_dev_cfg(f->vm, VSP_CLASS_ECHO));
	__atomic_store_n(&((struct vsp_echo_cfg *)vsp_dev_cfg(
		f->vm, VSP_CLASS_ECHO))->reorder, 3, __ATOMIC_RELAXED);
	for (i = 0; i < 3; i++)
		assert_int_equal(send_echo(&c, i, 16, false), 0);
	kick(f, &c);
	assert_int_equal(answer(f, &c, 2000), 3);
	assert_int_equal(answer(f, &c, 2000), 2);
	assert_int_equal(answer(f, &c, 2000), 1);
	close_chan(f);
	assert_int_equal(f->h->st.violations, 0);
	fix_free(f);
}

/* Held answers that do not fit the guest's ring wait for room, in order. */
static void test_hold_ring_full(void **state)
{
	struct vsp_echo_cfg cfg = { .hold_us = 20000, .reorder = 2 };
	struct fix *f = fix_echo(&cfg);
	static const uint64_t want[] = { 2, 1, 4, 3, 6, 5 };
	struct vg_chan c;
	unsigned int i;

	(void)state;
	open_chan(f, &c, 24, 8);
	/* Six 12000-byte answers; the 32 KiB inbound ring holds two. */
	for (i = 0; i < 6; i++) {
		assert_int_equal(send_echo(&c, i, 12000, false), 0);
		kick(f, &c);
	}
	usleep(100000);
	/* The worker waited for room (host_waits), then went on. */
	assert_true(channel_has(f, " held 4 "));
	assert_false(channel_has(f, " host_waits 0 "));
	for (i = 0; i < 6; i++)
		assert_int_equal(answer(f, &c, 2000), want[i]);
	close_chan(f);
	assert_int_equal(f->h->st.violations, 0);
	fix_free(f);
}

static void test_class_ctl(void **state)
{
	const struct vsp_dev_class *echo = vsp_dev_class(VSP_CLASS_ECHO);
	struct fix *f = fix_alloc(true, false, NULL);
	struct vsp_echo_cfg *cfg = vsp_dev_cfg(f->vm, VSP_CLASS_ECHO);
	static const char *const bad[] = { "reorder", "reorder -1",
		"reorder 1025", "reorder 3x", "hold 10000001", "hold ",
		"jump 3", "", "reorder  3" };
	char out[256];
	unsigned int i;
	FILE *m;

	(void)state;
	assert_int_equal(vsp_dev_find("echo"), VSP_CLASS_ECHO);
	assert_int_equal(vsp_dev_find("null"), VSP_CLASS_NULL);
	assert_int_equal(vsp_dev_find("nope"), -1);
	assert_null(vsp_dev_cfg(f->vm, vsp_dev_nclasses));
	m = fmemopen(out, sizeof(out), "w");
	echo->ctl(cfg, "reorder 8", m);
	echo->ctl(cfg, "hold 2500", m);
	fclose(m);
	assert_string_equal(out, "ok\nok\n");
	assert_int_equal(cfg->reorder, 8);
	assert_int_equal(cfg->hold_us, 2500);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		m = fmemopen(out, sizeof(out), "w");
		echo->ctl(cfg, bad[i], m);
		fclose(m);
		assert_memory_equal(out, "error", 5);
	}
	assert_int_equal(cfg->reorder, 8);
	assert_int_equal(cfg->hold_us, 2500);
	fix_free(f);
}

/*
 * `ctl stall`: the host leaves the guest's outbound ring alone; the guest
 * fills it and sets pending_send_sz; when the stall ends the host drains
 * it and signals the guest once (vmbus_send_wakeups).
 */
static void test_stall_wakeup(void **state)
{
	struct fix *f = fix_echo(NULL);
	struct vg_chan c;
	unsigned int i, n = 0;
	uint64_t flags;
	int ret;

	(void)state;
	open_chan(f, &c, 16, 16);
	vsp_worker_stall(&f->vm->ch[1], 1000);
	/* Sinks: small answers, so the host never waits for the guest. */
	while ((ret = send_echo(&c, n, 3000, true)) == 0) {
		kick(f, &c);
		n++;
	}
	assert_int_equal(ret, -ENOSPC);
	assert_true(n >= 15);
	vg_take_flags(&f->g, 1, &flags);
	assert_int_equal(vsc_ring_set_pending_send(&c.out,
			 vsc_ring_pkt_space(16 + 16 + 3000)), 0);
	for (i = 0; i < 2000 && !__atomic_load_n(&f->vm->st.send_wakeups,
						  __ATOMIC_RELAXED); i++)
		usleep(1000);
	assert_int_equal(f->vm->st.send_wakeups, 1);
	/* It came as an event flag for relid 1 on the channel's VP. */
	assert_true(vg_take_flags(&f->g, 1, &flags) > 0);
	assert_true(flags & 2);
	vsc_ring_clear_pending_send(&c.out);
	for (i = 0; i < n; i++)
		assert_int_equal(answer(f, &c, 2000), i + 1);
	/* No pending_send_sz: a full ring drained signals nothing. */
	vsp_worker_stall(&f->vm->ch[1], 500);
	for (n = 0; send_echo(&c, n, 3000, true) == 0; n++)
		kick(f, &c);
	for (i = 0; i < n; i++)
		assert_int_equal(answer(f, &c, 2000), i + 1);
	assert_int_equal(f->vm->st.send_wakeups, 1);
	close_chan(f);
	assert_int_equal(f->h->st.violations, 0);
	fix_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reorder),
		cmocka_unit_test(test_hold_reads_on),
		cmocka_unit_test(test_hold_ring_full),
		cmocka_unit_test(test_class_ctl),
		cmocka_unit_test(test_stall_wakeup),
	};

	return cmocka_run_group_tests_name("dev", tests, NULL, NULL);
}
