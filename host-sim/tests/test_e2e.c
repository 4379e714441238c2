// SPDX-License-Identifier: GPL-2.0
/*
 * End to end without QEMU: a tiny ivshmem client takes QEMU's place. It
 * connects to a running vsp-sim (VSP_SIM, normally build/vsp-sim-asan),
 * receives BAR2 and the eventfds, maps BAR2 and the RAM file, and acts as
 * a guest with the fixture of guest.c: registers SynIC pages, posts echo
 * messages, rings the doorbell, waits on its own vector eventfds, EOMs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "e2e_sim.h"
#include "guest.h"
#include "shared.h"

/* One VP of the test guest: posts echoes to itself, takes the replies. */
struct vp_run {
	struct sim *s;
	unsigned int vp;
	unsigned int total, window;
	unsigned int sent, got, flags, timeouts;
	uint64_t last_seq;
	bool bad;
	char why[128];
};

static void *vp_thread(void *arg)
{
	struct vp_run *r = arg;
	struct vg *g = &r->s->g;
	struct vsc_hv_message m;
	struct vsc_sim_echo e;
	time_t deadline = time(NULL) + 300;
	uint64_t v;

	while (r->got < r->total && !r->bad) {
		struct pollfd p = { .fd = r->s->guest_fds[r->vp],
				    .events = POLLIN };

		bool full = false;

		while (r->sent < r->total && r->sent - r->got < r->window) {
			uint64_t cookie = (uint64_t)r->vp << 32 | r->sent;
			uint32_t relid = r->sent % 10 == 0 ? 1 + r->vp : 0;

			if (vg_post_echo(g, r->vp, relid, cookie)) {
				full = true;	/* mailbox full: retry soon */
				break;
			}
			r->sent++;
		}
		if (poll(&p, 1, full ? 2 : 1000) == 0 && !full) {
			r->timeouts++;
			if (time(NULL) > deadline) {
				r->bad = true;
				snprintf(r->why, sizeof(r->why),
					 "vp %u stuck at %u of %u", r->vp,
					 r->got, r->total);
			}
		}
		if (p.revents & POLLIN)
			(void)!read(p.fd, &v, sizeof(v));
		r->flags += vg_take_flags(g, r->vp, NULL);
		while (vg_take(g, r->vp, &m)) {
			memcpy(&e, m.payload, sizeof(e));
			if (le32_to_cpu(m.header.message_type) !=
			    VSC_SIM_MSGTYPE_ECHO ||
			    le64_to_cpu(e.cookie) !=
			    ((uint64_t)r->vp << 32 | r->got) ||
			    le64_to_cpu(e.host_seq) <= r->last_seq) {
				r->bad = true;
				snprintf(r->why, sizeof(r->why),
					 "vp %u reply %u: cookie %#llx seq %llu",
					 r->vp, r->got,
					 (unsigned long long)le64_to_cpu(e.cookie),
					 (unsigned long long)le64_to_cpu(e.host_seq));
				break;
			}
			r->last_seq = le64_to_cpu(e.host_seq);
			r->got++;
		}
	}
	return NULL;
}

/* Waits (bounded) for the host to acknowledge a ready value. */
static void wait_ready_ack(struct sim *s, uint32_t want)
{
	int i;

	for (i = 0; i < 1000; i++) {
		if (sh_load32(s->bar2, offsetof(struct vsc_sim_header,
						ready_ack)) == want)
			return;
		usleep(1000);
	}
	fail_msg("ready_ack never became %u", want);
}

static void round_trips(bool strict, unsigned int total, unsigned int window)
{
	struct vp_run r[NR_VPS];
	pthread_t t[NR_VPS];
	struct timespec t0, t1;
	struct sim s;
	unsigned int i, flags = 0;
	long long replies, viol, empty, doorbells, stalls, maxq0, maxq1;
	double secs;

	start(&s, strict);
	connect_guest(&s);
	vg_register_all(&s.g, PAGES);
	vg_ready(&s.g, 1);
	wait_ready_ack(&s, 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < NR_VPS; i++) {
		r[i] = (struct vp_run){ .s = &s, .vp = i,
					.total = total / NR_VPS,
					.window = window };
		pthread_create(&t[i], NULL, vp_thread, &r[i]);
	}
	for (i = 0; i < NR_VPS; i++)
		pthread_join(t[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	for (i = 0; i < NR_VPS; i++) {
		if (r[i].bad)
			fail_msg("%s", r[i].why);
		assert_int_equal(r[i].got, total / NR_VPS);
		assert_true(r[i].flags >= 1);
		flags += r[i].flags;
	}
	replies = status_value(&s, "echo_replies");
	viol = status_value(&s, "violations");
	empty = status_value(&s, "doorbells_empty");
	doorbells = status_value(&s, "doorbells");
	stalls = status_value(&s, "echo_stalls");
	maxq0 = status_value(&s, "vp0_max_queue");
	maxq1 = status_value(&s, "vp1_max_queue");
	print_message("%u round trips on %u VPs, window %u: %.2f s; guest EOMs %llu+%llu, mailbox full %llu times; host: doorbells %lld (empty %lld), max queue %lld/%lld, echo stalls %lld, flags seen %u, violations %lld\n",
		      total, NR_VPS, window, secs,
		      (unsigned long long)s.g.eoms[0],
		      (unsigned long long)s.g.eoms[1],
		      (unsigned long long)s.g.posts_full, doorbells, empty,
		      maxq0, maxq1, stalls, flags, viol);
	assert_int_equal(replies, total);
	assert_int_equal(viol, 0);
	assert_int_equal(status_value(&s, "eoms"), s.g.eoms[0] + s.g.eoms[1]);
	assert_int_equal(status_value(&s, "vp0_delivered") +
			 status_value(&s, "vp1_delivered"), total);
	/* More in flight than the slot holds: queueing and EOM happened. */
	assert_true(maxq0 > 1 && maxq1 > 1);
	assert_true(s.g.eoms[0] > 0 && s.g.eoms[1] > 0);
	if (window > 64) {	/* the host's FIFO per VP */
		assert_true(stalls > 0);
		assert_true(s.g.posts_full > 0);
	}
	/* Shutdown as the shim does it: ready 0, pages cleared, ack. */
	sh_store32(s.bar2, VSC_SIM_OFF_GUEST +
		   offsetof(struct vsc_sim_guest, ready), 0);
	for (i = 0; i < NR_VPS; i++) {
		size_t vp = VSC_SIM_OFF_VPS + i * sizeof(struct vsc_sim_vp);

		sh_store64(s.bar2, vp + offsetof(struct vsc_sim_vp, simp), 0);
		sh_store64(s.bar2, vp + offsetof(struct vsc_sim_vp, siefp), 0);
	}
	vg_wake(&s.g);
	wait_ready_ack(&s, 0);
	assert_int_equal(status_value(&s, "vp0_simp"), 0);
	assert_int_equal(status_value(&s, "violations"), 0);
	assert_int_equal(disconnect(&s), 0);
}

static void test_10000_round_trips(void **state)
{
	(void)state;
	round_trips(false, 10000, 24);
}

static void test_10000_round_trips_strict(void **state)
{
	(void)state;
	round_trips(true, 10000, 24);
}

static void test_backpressure(void **state)
{
	(void)state;
	/* 100 in flight per VP: FIFO full, echo held, mailbox full. */
	round_trips(true, 4000, 100);
}

static void test_second_client_refused(void **state)
{
	struct sim s;
	char b;
	int fd;

	(void)state;
	start(&s, true);
	connect_guest(&s);
	fd = connect_unix(s.sock);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, &b, 1), 0);	/* closed, nothing sent */
	close(fd);
	assert_int_equal(status_value(&s, "ready"), 0);
	assert_int_equal(disconnect(&s), 0);
}

static void test_quit(void **state)
{
	char cmd[256];
	int status;
	struct sim s;

	(void)state;
	start(&s, false);
	snprintf(cmd, sizeof(cmd), "%s ctl %s quit >/dev/null", sim_bin(),
		 s.ctl);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(waitpid(s.pid, &status, 0), s.pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_not_equal(access(s.sock, F_OK), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", s.dir);
	(void)!system(cmd);
}

/* A guest that scribbles over BAR2 and its pages and rings at random. */
static void garbage(bool strict)
{
	uint64_t x = 0x2545f4914f6cdd1dULL, one = 1;
	struct vsc_hv_message m;
	unsigned int i, j;
	struct sim s;

	start(&s, strict);
	connect_guest(&s);
	vg_register_all(&s.g, PAGES);
	vg_ready(&s.g, 1);
	for (i = 0; i < 20000; i++) {
		for (j = 0; j < 8; j++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			if (j & 1)
				s.bar2[(x >> 8) % VSC_SIM_BAR2_SIZE] = x;
			else
				s.ram_map[PAGES + (x >> 24) % 0x4000] = x;
		}
		if (i % 5 == 0)
			vg_post_echo(&s.g, x % 4, x % 3000, i);
		if (i % 13 == 0)
			vg_register_all(&s.g, x & 1 ? PAGES : x & ~0xfffULL);
		if (i % 17 == 0)
			vg_take(&s.g, x % NR_VPS, &m);
		assert_int_equal(write(s.host_fds[x % 3 ? 0 : 1], &one, 8), 8);
	}
	/* Still there, still answering, and it saw the mess. */
	assert_true(status_value(&s, "violations") > 0);
	assert_int_equal(status_value(&s, "strict_failed"), strict);
	assert_int_equal(disconnect(&s), strict ? 3 : 0);
}

static void test_garbage_lenient(void **state)
{
	(void)state;
	garbage(false);
}

static void test_garbage_strict(void **state)
{
	(void)state;
	garbage(true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_10000_round_trips),
		cmocka_unit_test(test_10000_round_trips_strict),
		cmocka_unit_test(test_backpressure),
		cmocka_unit_test(test_second_client_refused),
		cmocka_unit_test(test_quit),
		cmocka_unit_test(test_garbage_lenient),
		cmocka_unit_test(test_garbage_strict),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests_name("e2e", tests, NULL, NULL);
}
