// SPDX-License-Identifier: GPL-2.0
/*
 * End to end without QEMU, VMBus: the test guest negotiates with a running
 * vsp-sim (started with --echo 2), takes the offers, creates the ring
 * GPADLs, opens one echo channel per VP and drives echo traffic of mixed
 * sizes (some larger than half the ring) on both at once, each on its
 * own thread, with the guest's ring rules for signalling: replies are
 * checked byte for byte and in order. Then the control socket's
 * "channels", close and teardown, a rescind at run time, UNLOAD, and a
 * second connection. vsp-sim runs in strict mode: any rule it sees broken
 * fails the test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <vsc/echo.h>

#include "e2e_sim.h"
#include "guest_vmbus.h"
#include "shared.h"

#define CONN		0x2b		/* vsp-sim's message connection id */
#define RING_PAGES	16		/* 64 KiB each way */
#define RINGS_GPA	0x400000ULL
#define MAX_PKT		(40 * 1024 + 64)

static const char *const echo2[] = { "--echo", "2", NULL };
static const uint32_t sizes[] = { 0, 16, 100, 1000, 4000, 8192, 20000,
				  40960 };

/* Waits (bounded) for the next VMBus message on vp. */
static uint32_t wait_msg(struct sim *s, unsigned int vp, void *buf)
{
	uint32_t t, len;
	uint64_t v;
	int i;

	for (i = 0; i < 500; i++) {
		struct pollfd p = { .fd = s->guest_fds[vp], .events = POLLIN };

		t = vg_vmbus_recv(&s->g, vp, buf, &len);
		if (t)
			return t;
		if (poll(&p, 1, 10) > 0)
			(void)!read(p.fd, &v, sizeof(v));
	}
	return 0;
}

static uint32_t u32_at(const uint8_t *m, size_t off)
{
	uint32_t v;

	memcpy(&v, m + off, 4);
	return le32toh(v);
}

struct chan_run {
	struct sim *s;
	struct vg_chan c;
	uint32_t relid, vp, total, window;
	uint32_t sent, got, waits;
	bool bad;
	char why[128];
	uint8_t tx[MAX_PKT], rx[MAX_PKT + 64];
};

static void signal_if(struct chan_run *r)
{
	if (r->c.signals) {
		r->c.signals = 0;
		vg_signal(&r->s->g, r->relid);
	}
}

/* Sends seq; -ENOSPC when the ring is full (pending_send_sz then set). */
static int send_one(struct chan_run *r, uint32_t seq)
{
	uint32_t n = sizes[(seq * 7 + seq / 8) % 8], seed = seq * 2654435761U;
	struct vsc_echo_msg m = { htole32(VSC_ECHO_MAGIC), htole32(seq),
				  htole32(n), htole32(seed) };
	uint32_t i;
	int ret;

	memcpy(r->tx, &m, sizeof(m));
	for (i = 0; i < n; i++)
		r->tx[sizeof(m) + i] = vsc_echo_byte(seed, i);
	ret = vsc_ring_send(&r->c.out, VSC_PKT_DATA_INBAND,
			    seq % 4 != 3 ? VSC_PKT_FLAG_COMPLETION_REQUESTED : 0,
			    seq + 1, NULL, 0, r->tx, sizeof(m) + n);
	signal_if(r);
	if (ret == -ENOSPC) {
		r->waits++;
		if (vsc_ring_set_pending_send(&r->c.out,
					      vsc_ring_pkt_space(32 + n)) == 1)
			return send_one(r, seq);
	} else if (!ret) {
		vsc_ring_clear_pending_send(&r->c.out);
	}
	return ret;
}

static void check_reply(struct chan_run *r, uint32_t len)
{
	struct vsc_ring_pkt pkt;
	struct vsc_echo_msg m;
	uint32_t seq = r->got, n, i;

	if (vsc_ring_pkt_parse(r->rx, len, VSC_RING_VIEW_GUEST, &pkt) ||
	    pkt.type != (seq % 4 != 3 ? VSC_PKT_COMPLETION :
			 VSC_PKT_DATA_INBAND) || pkt.trans_id != seq + 1 ||
	    pkt.data_len < sizeof(m))
		goto bad;
	memcpy(&m, pkt.data, sizeof(m));
	n = le32toh(m.len);
	if (le32toh(m.seq) != seq || n != sizes[(seq * 7 + seq / 8) % 8] ||
	    pkt.data_len - sizeof(m) - n >= 8)
		goto bad;
	for (i = 0; i < n; i++)
		if (pkt.data[sizeof(m) + i] !=
		    vsc_echo_byte(le32toh(m.seed), i))
			goto bad;
	r->got++;
	return;
bad:
	r->bad = true;
	snprintf(r->why, sizeof(r->why), "relid %u: reply %u wrong (type %u, id %llu, %u bytes)",
		 r->relid, seq, pkt.type, (unsigned long long)pkt.trans_id,
		 len);
}

static void *chan_thread(void *arg)
{
	struct chan_run *r = arg;
	time_t deadline = time(NULL) + 240;
	uint32_t len;
	uint64_t v;
	int ret = 0;

	while (r->got < r->total && !r->bad) {
		struct pollfd p = { .fd = r->s->guest_fds[r->vp],
				    .events = POLLIN };
		bool full = false;

		while (r->sent < r->total && r->sent - r->got < r->window) {
			ret = send_one(r, r->sent);
			if (ret == -ENOSPC) {
				full = true;
				break;
			}
			if (ret) {
				r->bad = true;
				snprintf(r->why, sizeof(r->why), "send: %d", ret);
				return NULL;
			}
			r->sent++;
		}
		vg_take_flags(&r->s->g, r->vp, NULL);
		while (!r->bad &&
		       !(ret = vsc_ring_read(&r->c.in, r->rx, sizeof(r->rx),
					     &len))) {
			check_reply(r, len);
			signal_if(r);
		}
		signal_if(r);
		if (ret != -EAGAIN && !r->bad) {
			r->bad = true;
			snprintf(r->why, sizeof(r->why), "read: %d", ret);
		}
		if (r->got == r->sent || full) {
			if (poll(&p, 1, 1000) > 0)
				(void)!read(p.fd, &v, sizeof(v));
			else if (time(NULL) > deadline) {
				r->bad = true;
				snprintf(r->why, sizeof(r->why),
					 "relid %u stuck: sent %u got %u",
					 r->relid, r->sent, r->got);
			}
		}
	}
	return NULL;
}

static void setup_guest(struct sim *s)
{
	int i;

	sim_extra = echo2;
	start(s, true);
	connect_guest(s);
	vg_register_all(&s->g, PAGES);
	vg_ready(&s->g, 1);
	for (i = 0; i < 1000 && sh_load32(s->bar2, offsetof(struct vsc_sim_header,
							    ready_ack)) != 1; i++)
		usleep(1000);
}

/* Contact, offers: returns the number of offers. */
static unsigned int vmbus_connect(struct sim *s)
{
	struct vsc_vmbus_msg_header req = {
		.msgtype = htole32(VSC_VMBUS_MSG_REQUESTOFFERS),
	};
	uint8_t m[VSC_HV_MESSAGE_PAYLOAD];
	unsigned int offers = 0;
	uint32_t t;

	assert_int_equal(vg_contact(&s->g, VSC_VMBUS_VERSION_WIN10_V5_3, 0), 0);
	assert_int_equal(wait_msg(s, 0, m), VSC_VMBUS_MSG_VERSION_RESPONSE);
	assert_int_equal(m[8], 1);
	assert_int_equal(u32_at(m, 12), CONN);
	assert_int_equal(vg_vmbus_send(&s->g, CONN, &req, sizeof(req)), 0);
	while ((t = wait_msg(s, 0, m)) == VSC_VMBUS_MSG_OFFERCHANNEL)
		offers++;
	assert_int_equal(t, VSC_VMBUS_MSG_ALLOFFERS_DELIVERED);
	return offers;
}

static void open_one(struct sim *s, struct chan_run *r, uint32_t relid,
		     uint32_t vp)
{
	uint8_t m[VSC_HV_MESSAGE_PAYLOAD];
	uint64_t pfns[2 * RING_PAGES + 2];

	r->s = s;
	r->relid = relid;
	r->vp = vp;
	vg_chan_setup(&s->g, &r->c, RINGS_GPA + relid * 0x40000ULL,
		      RING_PAGES, RING_PAGES, pfns);
	assert_true(vg_gpadl(&s->g, CONN, relid, 0xe1e10 + relid, pfns,
			     r->c.pages) == 2);
	assert_int_equal(wait_msg(s, 0, m), VSC_VMBUS_MSG_GPADL_CREATED);
	assert_int_equal(u32_at(m, 16), 0);
	vg_open(&s->g, CONN, relid, 0xe1e10 + relid, vp, r->c.down);
	assert_int_equal(wait_msg(s, 0, m), VSC_VMBUS_MSG_OPENCHANNEL_RESULT);
	assert_int_equal(u32_at(m, 8), relid);
	assert_int_equal(u32_at(m, 16), 0);
}

static void close_one(struct sim *s, struct chan_run *r)
{
	uint8_t m[VSC_HV_MESSAGE_PAYLOAD];

	vg_relid_msg(&s->g, CONN, VSC_VMBUS_MSG_CLOSECHANNEL, r->relid);
	vg_gpadl_teardown(&s->g, CONN, r->relid, 0xe1e10 + r->relid);
	assert_int_equal(wait_msg(s, 0, m), VSC_VMBUS_MSG_GPADL_TORNDOWN);
	assert_int_equal(u32_at(m, 8), 0xe1e10 + r->relid);
}

static void ctl_out(struct sim *s, const char *cmd, char *out, size_t size)
{
	char line[300];
	size_t n = 0;
	FILE *p;

	snprintf(line, sizeof(line), "%s ctl %s %s", sim_bin(), s->ctl, cmd);
	p = popen(line, "r");
	assert_non_null(p);
	n = fread(out, 1, size - 1, p);
	out[n] = '\0';
	pclose(p);
}

static void test_echo_two_channels(void **state)
{
	static struct chan_run r[2];
	struct vsc_vmbus_msg_header unload = {
		.msgtype = htole32(VSC_VMBUS_MSG_UNLOAD),
	};
	uint8_t m[VSC_HV_MESSAGE_PAYLOAD];
	struct timespec t0, t1;
	pthread_t t[2];
	char out[4096];
	struct sim s;
	double secs;
	int i;

	(void)state;
	setup_guest(&s);
	assert_int_equal(vmbus_connect(&s), 2);
	for (i = 0; i < 2; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		open_one(&s, &r[i], i + 1, i);
		r[i].total = 20000;
		r[i].window = 32;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, chan_thread, &r[i]);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	for (i = 0; i < 2; i++)
		if (r[i].bad)
			fail_msg("%s", r[i].why);
	ctl_out(&s, "channels", out, sizeof(out));
	print_message("%u echoes on 2 channels in %.2f s (%.0f/s); guest waited for room %u+%u times\n%s",
		      r[0].total + r[1].total, secs,
		      (r[0].total + r[1].total) / secs, r[0].waits, r[1].waits,
		      out);
	assert_non_null(strstr(out, "relid 1 class echo instance 1 state open vp 0"));
	assert_non_null(strstr(out, "relid 2 class echo instance 2 state open vp 1"));
	assert_non_null(strstr(out, "in_packets 20000 "));
	assert_int_equal(status_value(&s, "violations"), 0);

	/* Close relid 1; rescind relid 2 while open; the guest releases. */
	close_one(&s, &r[0]);
	ctl_out(&s, "rescind 2", out, sizeof(out));
	assert_string_equal(out, "ok\n");
	assert_int_equal(wait_msg(&s, 0, m), VSC_VMBUS_MSG_RESCIND_CHANNELOFFER);
	assert_int_equal(u32_at(m, 8), 2);
	vg_relid_msg(&s.g, CONN, VSC_VMBUS_MSG_RELID_RELEASED, 2);
	ctl_out(&s, "offer echo", out, sizeof(out));
	assert_string_equal(out, "ok relid 2\n");
	assert_int_equal(wait_msg(&s, 0, m), VSC_VMBUS_MSG_OFFERCHANNEL);

	/* UNLOAD, and a guest that comes back finds both devices. */
	vg_vmbus_send(&s.g, CONN, &unload, sizeof(unload));
	assert_int_equal(wait_msg(&s, 0, m), VSC_VMBUS_MSG_UNLOAD_RESPONSE);
	assert_int_equal(vmbus_connect(&s), 2);
	assert_int_equal(status_value(&s, "violations"), 0);
	assert_int_equal(disconnect(&s), 0);
}

/* An echo (or sink) message of no payload, id seq + 1. */
static int send_small(struct chan_run *r, uint32_t magic, uint32_t seq)
{
	struct vsc_echo_msg m = { htole32(magic), htole32(seq), 0, 0 };
	int ret;

	ret = vsc_ring_send(&r->c.out, VSC_PKT_DATA_INBAND, 0, seq + 1, NULL,
			    0, &m, sizeof(m));
	signal_if(r);
	return ret;
}

/* The next answer's transaction id, waiting a second; 0: none. */
static uint64_t next_id(struct chan_run *r)
{
	struct vsc_ring_pkt pkt;
	uint32_t len;
	int i, ret = -EAGAIN;

	for (i = 0; i < 4000 && ret == -EAGAIN; i++) {
		ret = vsc_ring_read(&r->c.in, r->rx, sizeof(r->rx), &len);
		signal_if(r);
		if (ret == -EAGAIN)
			usleep(250);
	}
	if (ret || vsc_ring_pkt_parse(r->rx, len, VSC_RING_VIEW_GUEST, &pkt))
		return 0;
	return pkt.trans_id;
}

/*
 * The device-class commands of the real binary: --echo-hold and `ctl
 * class echo reorder` (answers late, in reversed batches), `ctl stall`
 * (a full ring drained later, the guest's pending_send_sz answered with
 * one wake-up: vmbus_send_wakeups), `ctl offer` of any class, and the
 * errors of each.
 */
static void test_dev_ctl(void **state)
{
	static const char *const opts[] = { "--echo", "1", "--echo-hold",
					    "2000", NULL };
	static const uint64_t want[] = { 4, 3, 2, 1, 8, 7, 6, 5 };
	static struct chan_run r;
	char out[4096];
	struct sim s;
	uint32_t i, n;

	(void)state;
	sim_extra = opts;
	start(&s, true);
	connect_guest(&s);
	vg_register_all(&s.g, PAGES);
	vg_ready(&s.g, 1);
	usleep(50000);
	sim_extra = echo2;
	assert_int_equal(vmbus_connect(&s), 1);
	memset(&r, 0, sizeof(r));
	open_one(&s, &r, 1, 0);

	ctl_out(&s, "class echo reorder 4", out, sizeof(out));
	assert_string_equal(out, "ok\n");
	/* All eight in the ring before one signal: one read batch. */
	for (i = 0; i < 8; i++) {
		struct vsc_echo_msg m = { htole32(VSC_ECHO_MAGIC), htole32(i),
					  0, 0 };

		assert_int_equal(vsc_ring_send(&r.c.out, VSC_PKT_DATA_INBAND, 0,
					       i + 1, NULL, 0, &m, sizeof(m)),
				 0);
	}
	signal_if(&r);
	for (i = 0; i < 8; i++)
		assert_int_equal(next_id(&r), want[i]);
	ctl_out(&s, "class echo reorder 0", out, sizeof(out));
	assert_string_equal(out, "ok\n");

	ctl_out(&s, "stall 1 1000", out, sizeof(out));
	assert_string_equal(out, "ok\n");
	for (n = 0; n < 4000; n++)
		if (send_small(&r, VSC_ECHO_MAGIC_SINK, n))
			break;
	assert_int_equal(vsc_ring_set_pending_send(&r.c.out, 4096), 0);
	for (i = 0; i < 2000 &&
	     status_value(&s, "vmbus_send_wakeups") < 1; i++)
		usleep(1000);
	assert_int_equal(status_value(&s, "vmbus_send_wakeups"), 1);
	vsc_ring_clear_pending_send(&r.c.out);
	for (i = 0; i < n; i++)
		assert_int_equal(next_id(&r), i + 1);

	ctl_out(&s, "offer null", out, sizeof(out));
	assert_string_equal(out, "ok relid 2\n");
	ctl_out(&s, "offer nothing", out, sizeof(out));
	assert_memory_equal(out, "error unknown class", 19);
	ctl_out(&s, "offer echo 0", out, sizeof(out));
	assert_memory_equal(out, "error bad instance", 18);
	ctl_out(&s, "class echo reorder 2000", out, sizeof(out));
	assert_memory_equal(out, "error", 5);
	ctl_out(&s, "class null x", out, sizeof(out));
	assert_memory_equal(out, "error", 5);
	ctl_out(&s, "stall 2 10", out, sizeof(out));
	assert_string_equal(out, "error relid 2 is not open\n");
	ctl_out(&s, "stall 1", out, sizeof(out));
	assert_memory_equal(out, "error", 5);
	ctl_out(&s, "channels", out, sizeof(out));
	assert_non_null(strstr(out, "relid 2 class null"));
	assert_non_null(strstr(out, " send_wakeups 1 "));
	assert_int_equal(status_value(&s, "violations"), 0);
	assert_int_equal(disconnect(&s), 0);
}

/* A guest that corrupts its ring: strict mode fails the run (exit 3). */
static void test_corrupt_ring_strict(void **state)
{
	static struct chan_run r;
	uint8_t *ctl;
	struct sim s;

	(void)state;
	setup_guest(&s);
	assert_int_equal(vmbus_connect(&s), 2);
	memset(&r, 0, sizeof(r));
	open_one(&s, &r, 1, 0);
	r.total = 10;
	r.window = 4;
	chan_thread(&r);
	assert_false(r.bad);
	/* The write index off the 8-byte grid. */
	ctl = vg_gpa(&s.g, r.c.gpa);
	sh_store32(ctl, 0, 12);
	vg_signal(&s.g, 1);
	usleep(200000);
	assert_true(status_value(&s, "violation_ring_corrupt") >= 1);
	assert_int_equal(status_value(&s, "strict_failed"), 1);
	assert_int_equal(disconnect(&s), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_echo_two_channels),
		cmocka_unit_test(test_corrupt_ring_strict),
		cmocka_unit_test(test_dev_ctl),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests_name("e2e_vmbus", tests, NULL, NULL);
}
