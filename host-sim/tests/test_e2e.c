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

#include "guest.h"
#include "ivshmem.h"
#include "shared.h"

#define NR_VPS		2
#define RAM_MIB		16
#define PAGES		0x200000ULL

struct sim {
	char dir[64];
	char sock[96], ctl[96], ram[96], log[96];
	pid_t pid;
	int fd;				/* our connection, as QEMU's */
	uint8_t *bar2;
	uint8_t *ram_map;
	int host_fds[NR_VPS];		/* peer 0's: ring [0] */
	int guest_fds[NR_VPS];		/* ours: the vectors */
	struct vg g;
};

static const char *sim_bin(void)
{
	const char *b = getenv("VSP_SIM");

	return b ? b : "build/vsp-sim-asan";
}

static void start(struct sim *s, bool strict)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int fd, i;

	snprintf(s->dir, sizeof(s->dir), "/tmp/vsp-e2e.XXXXXX");
	assert_non_null(mkdtemp(s->dir));
	snprintf(s->sock, sizeof(s->sock), "%s/sim.sock", s->dir);
	snprintf(s->ctl, sizeof(s->ctl), "%s/ctl.sock", s->dir);
	snprintf(s->ram, sizeof(s->ram), "%s/guest-ram", s->dir);
	snprintf(s->log, sizeof(s->log), "%s/vsp-sim.log", s->dir);
	fd = open(s->ram, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, RAM_MIB << 20), 0);
	close(fd);
	s->pid = fork();
	assert_true(s->pid >= 0);
	if (s->pid == 0) {
		execl(sim_bin(), sim_bin(), "--socket", s->sock, "--ram",
		      s->ram, "--ram-size", "16", "--ram-below-4g", "2G",
		      "--vps", "2", "--ctl", s->ctl, "--log", s->log,
		      strict ? "--strict" : NULL, NULL);
		_exit(127);
	}
	/* As vsc-vm does: wait for the socket file. */
	for (i = 0; i < 1000 && access(s->sock, F_OK); i++)
		nanosleep(&ts, NULL);
	assert_int_equal(access(s->sock, F_OK), 0);
}

static int connect_unix(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return -1;
	return fd;
}

static void ring(void *ctx)
{
	struct sim *s = ctx;
	uint64_t one = 1;

	assert_int_equal(write(s->host_fds[0], &one, 8), 8);
}

/* Speaks the client side of ivshmem protocol 0, as QEMU does. */
static void connect_guest(struct sim *s)
{
	struct stat st;
	int64_t msg;
	int fd, i, rfd;

	s->fd = connect_unix(s->sock);
	assert_true(s->fd >= 0);
	assert_int_equal(vsp_ivshmem_recv(s->fd, &msg, &fd), 0);
	assert_int_equal(msg, 0);		/* protocol version */
	assert_int_equal(fd, -1);
	assert_int_equal(vsp_ivshmem_recv(s->fd, &msg, &fd), 0);
	assert_int_equal(msg, 1);		/* our id */
	assert_int_equal(fd, -1);
	assert_int_equal(vsp_ivshmem_recv(s->fd, &msg, &fd), 0);
	assert_int_equal(msg, -1);		/* shared memory */
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(st.st_size, VSC_SIM_BAR2_SIZE);
	s->bar2 = mmap(NULL, VSC_SIM_BAR2_SIZE, PROT_READ | PROT_WRITE,
		       MAP_SHARED, fd, 0);
	assert_true(s->bar2 != MAP_FAILED);
	close(fd);
	for (i = 0; i < 2 * NR_VPS; i++) {
		assert_int_equal(vsp_ivshmem_recv(s->fd, &msg, &fd), 0);
		assert_int_equal(msg, i < NR_VPS ? 0 : 1);
		assert_true(fd >= 0);
		if (i < NR_VPS)
			s->host_fds[i] = fd;
		else
			s->guest_fds[i - NR_VPS] = fd;
	}
	/* Nothing more is sent: the socket stays quiet. */
	{
		struct pollfd p = { .fd = s->fd, .events = POLLIN };

		assert_int_equal(poll(&p, 1, 100), 0);
	}
	/* The header is there before anyone connected. */
	assert_int_equal(sh_load64(s->bar2, 0), VSC_SIM_MAGIC);
	assert_int_equal(sh_load32(s->bar2, 8), VSC_SIM_VERSION);
	assert_int_equal(sh_load32(s->bar2, 20), NR_VPS);
	rfd = open(s->ram, O_RDWR);
	assert_true(rfd >= 0);
	s->ram_map = mmap(NULL, RAM_MIB << 20, PROT_READ | PROT_WRITE,
			  MAP_SHARED, rfd, 0);
	assert_true(s->ram_map != MAP_FAILED);
	close(rfd);
	vg_init(&s->g, s->bar2, s->ram_map, RAM_MIB << 20, NR_VPS, ring, s);
}

/* Runs `vsp-sim ctl PATH status` and returns one counter's value. */
static long long status_value(struct sim *s, const char *name)
{
	char cmd[256], line[256];
	long long v = -1;
	size_t n = strlen(name);
	FILE *p;

	snprintf(cmd, sizeof(cmd), "%s ctl %s status", sim_bin(), s->ctl);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p))
		if (!strncmp(line, name, n) && line[n] == ' ')
			v = strtoll(line + n + 1, NULL, 0);
	pclose(p);
	return v;
}

/* QEMU goes away: vsp-sim must exit by itself with this status. */
static int disconnect(struct sim *s)
{
	int status, i;
	char cmd[200];

	close(s->fd);
	for (i = 0; i < 3000; i++) {
		if (waitpid(s->pid, &status, WNOHANG) == s->pid)
			break;
		usleep(10000);
	}
	if (i == 3000) {
		kill(s->pid, SIGKILL);
		waitpid(s->pid, &status, 0);
		fail_msg("vsp-sim did not exit after the client went away");
	}
	for (i = 0; i < NR_VPS; i++) {
		close(s->host_fds[i]);
		close(s->guest_fds[i]);
	}
	munmap(s->bar2, VSC_SIM_BAR2_SIZE);
	munmap(s->ram_map, RAM_MIB << 20);
	if (!WIFEXITED(status)) {
		snprintf(cmd, sizeof(cmd), "cat %s >&2", s->log);
		(void)!system(cmd);
		fail_msg("vsp-sim died (status %#x)", status);
	}
	/* The socket files are gone. */
	assert_int_not_equal(access(s->sock, F_OK), 0);
	assert_int_not_equal(access(s->ctl, F_OK), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", s->dir);
	(void)!system(cmd);
	return WEXITSTATUS(status);
}

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
