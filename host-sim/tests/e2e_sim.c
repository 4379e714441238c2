// SPDX-License-Identifier: GPL-2.0
/*
 * The end-to-end tests' QEMU stand-in: starts vsp-sim (VSP_SIM, normally
 * build/vsp-sim-asan) on a temporary RAM file, connects to it as QEMU
 * does (ivshmem protocol 0), maps BAR2 and the RAM file and hands the
 * test guest of guest.c the doorbell; reads counters through the control
 * socket; disconnects and collects vsp-sim's exit status.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
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
#include "ivshmem.h"
#include "shared.h"


const char *const *sim_extra;

const char *sim_bin(void)
{
	const char *b = getenv("VSP_SIM");

	return b ? b : "build/vsp-sim-asan";
}

void start(struct sim *s, bool strict)
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
		const char *argv[40] = {
			sim_bin(), "--socket", s->sock, "--ram", s->ram,
			"--ram-size", "16", "--ram-below-4g", "2G", "--vps",
			"2", "--ctl", s->ctl, "--log", s->log,
		};
		int n = 15;

		if (strict)
			argv[n++] = "--strict";
		for (i = 0; sim_extra && sim_extra[i] && n < 39; i++)
			argv[n++] = sim_extra[i];
		argv[n] = NULL;
		execv(sim_bin(), (char *const *)argv);
		_exit(127);
	}
	/* As vsc-vm does: wait for the socket file. */
	for (i = 0; i < 1000 && access(s->sock, F_OK); i++)
		nanosleep(&ts, NULL);
	assert_int_equal(access(s->sock, F_OK), 0);
}

int connect_unix(const char *path)
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
void connect_guest(struct sim *s)
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
long long status_value(struct sim *s, const char *name)
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
int disconnect(struct sim *s)
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

