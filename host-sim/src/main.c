// SPDX-License-Identifier: GPL-2.0
/*
 * vsp-sim: the host side of the sim transport. Maps the guest RAM file,
 * creates BAR2, serves QEMU's ivshmem-doorbell device and the control
 * socket, and runs the control plane on one epoll loop: the doorbell
 * eventfd, the QEMU socket, the control socket and signals.
 *
 * Exit status: 0 when QEMU went away (or "quit") and the guest kept the
 * rules; 3 when strict mode saw a violation; 1 on a setup error; 2 on a
 * usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chan.h"
#include "ctl.h"
#include "dev/echo_msg.h"
#include "dev/stor.h"
#include "host.h"
#include "ivshmem.h"
#include "log.h"
#include "opts.h"

#define EXIT_STRICT	3

/* epoll tags: the low byte says what, the rest which. */
enum { T_LISTEN, T_CLIENT, T_DOORBELL, T_CTL_LISTEN, T_CTL_CONN, T_SIGNAL,
       T_TICK, T_REQ };
#define TAG(t, i)	((uint64_t)(t) | (uint64_t)(i) << 8)

struct vsp_main {
	struct vsp_opts o;
	struct vsp_host *host;
	struct vsp_vmbus *vmbus;
	struct vsp_chan_env env;
	struct vsp_ivshmem ivs;
	struct vsp_ctl ctl;
	int epfd, sigfd, tickfd;
	bool stop;
};

static int map_ram(const struct vsp_opts *o, struct vsp_ram *ram, int *rfd)
{
	uint64_t bytes = o->ram_mib << 20;
	struct stat st;
	void *p;
	int fd;

	fd = open(o->ram, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		vsp_log("cannot open the RAM file %s: %s", o->ram,
			strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size < bytes) {
		vsp_log("RAM file %s: %lld bytes, need a regular file of %llu (--ram-size %llu MiB)",
			o->ram, (long long)st.st_size,
			(unsigned long long)bytes,
			(unsigned long long)o->ram_mib);
		close(fd);
		return -1;
	}
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		vsp_log("mmap of %s: %s", o->ram, strerror(errno));
		close(fd);
		return -1;
	}
	*rfd = fd;	/* kept: channel rings are mapped from it */
	ram->base = p;
	ram->layout.size = bytes;
	ram->layout.below4g = o->below4g_mib << 20;
	return 0;
}

static int make_bar2(void **bar2)
{
	int fd = memfd_create("vsp-sim-bar2", MFD_CLOEXEC);

	if (fd < 0 || ftruncate(fd, VSC_SIM_BAR2_SIZE)) {
		vsp_log("BAR2 memfd: %s", strerror(errno));
		return -1;
	}
	*bar2 = mmap(NULL, VSC_SIM_BAR2_SIZE, PROT_READ | PROT_WRITE,
		     MAP_SHARED, fd, 0);
	if (*bar2 == MAP_FAILED) {
		vsp_log("BAR2 mmap: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int watch(struct vsp_main *m, int fd, uint64_t tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = tag };

	if (epoll_ctl(m->epfd, EPOLL_CTL_ADD, fd, &ev)) {
		vsp_log("epoll_ctl: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void on_doorbell(struct vsp_main *m, unsigned int vector)
{
	uint64_t count;

	if (read(m->ivs.host_fds[vector], &count, sizeof(count)) !=
	    sizeof(count))
		return;
	if (vector != VSC_SIM_HOST_VECTOR) {
		vsp_host_bad_doorbell(m->host, vector);
		return;
	}
	m->host->st.doorbell_rings += count;
	vsp_host_doorbell(m->host);
}

static void on_client(struct vsp_main *m)
{
	char buf[256];
	ssize_t n = read(m->ivs.client_fd, buf, sizeof(buf));

	if (n > 0 || (n < 0 && (errno == EAGAIN || errno == EINTR)))
		return;		/* QEMU says nothing: ignore it */
	vsp_log("QEMU disconnected: the guest is gone");
	m->stop = true;
}

/* A decimal number in [lo, hi] that is all of s: 0, else -1. */
static int ctl_num(const char *s, unsigned long lo, unsigned long hi,
		   unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return errno || *end || *v < lo || *v > hi ? -1 : 0;
}

/* "offer CLASS [INSTANCE]": any class of the table. */
static void ctl_offer(struct vsp_main *m, const char *args, FILE *f)
{
	char name[32];
	const char *sp = strchr(args, ' ');
	size_t len = sp ? (size_t)(sp - args) : strlen(args);
	unsigned long n = 0;
	int cls, ret;

	cls = -1;
	if (len < sizeof(name)) {
		memcpy(name, args, len);
		name[len] = '\0';
		cls = vsp_dev_find(name);
	}
	if (cls < 0) {
		fprintf(f, "error unknown class '%.32s' (", args);
		for (ret = 0; ret < (int)vsp_dev_nclasses; ret++)
			fprintf(f, "%s%s", ret ? ", " : "",
				vsp_dev_classes[ret]->name);
		fprintf(f, "; then an optional INSTANCE)\n");
		return;
	}
	if (sp && ctl_num(sp + 1, 1, UINT32_MAX, &n)) {
		fprintf(f, "error bad instance '%.32s'\n", sp + 1);
		return;
	}
	ret = vsp_vmbus_add_instance(m->vmbus, cls, n);
	if (ret < 0)
		fprintf(f, "error cannot offer: %s\n", strerror(-ret));
	else
		fprintf(f, "ok relid %d\n", ret);
	vsp_vmbus_flush(m->vmbus);
}

static void ctl_rescind(struct vsp_main *m, const char *args, FILE *f)
{
	unsigned long relid;
	int ret;

	if (ctl_num(args, 0, UINT32_MAX, &relid)) {
		fprintf(f, "error bad relid '%.32s'\n", args);
		return;
	}
	ret = vsp_vmbus_rescind(m->vmbus, relid);
	if (ret)
		fprintf(f, "error cannot rescind relid %lu: %s\n", relid,
			strerror(-ret));
	else
		fprintf(f, "ok\n");
	vsp_vmbus_flush(m->vmbus);
}

/* "class CLASS ARGS": the class's own settings. */
static void ctl_class(struct vsp_main *m, const char *args, FILE *f)
{
	const char *sp = strchr(args, ' ');
	char name[32];
	size_t len = sp ? (size_t)(sp - args) : strlen(args);
	int cls = -1;

	if (len < sizeof(name)) {
		memcpy(name, args, len);
		name[len] = '\0';
		cls = vsp_dev_find(name);
	}
	if (cls < 0 || !sp) {
		fprintf(f, "error class CLASS ARGS: unknown class or no arguments '%.32s'\n",
			args);
		return;
	}
	if (!vsp_dev_classes[cls]->ctl) {
		fprintf(f, "error class %s has no settings\n", name);
		return;
	}
	vsp_dev_classes[cls]->ctl(vsp_dev_cfg(m->vmbus, cls), sp + 1, f);
}

/* "stall RELID MSEC": the host stops reading the guest's ring a while. */
static void ctl_stall(struct vsp_main *m, const char *args, FILE *f)
{
	const char *sp = strchr(args, ' ');
	unsigned long relid, ms;
	char num[16];

	if (!sp || (size_t)(sp - args) >= sizeof(num)) {
		fprintf(f, "error stall RELID MSEC\n");
		return;
	}
	memcpy(num, args, sp - args);
	num[sp - args] = '\0';
	if (ctl_num(num, 1, VSP_MAX_CHANNELS, &relid) ||
	    ctl_num(sp + 1, 0, 600000, &ms)) {
		fprintf(f, "error stall RELID MSEC: relid 1..%u, MSEC 0..600000 ('%.32s')\n",
			VSP_MAX_CHANNELS, args);
		return;
	}
	if (m->vmbus->ch[relid].state != VSP_CH_OPEN || !m->vmbus->ch[relid].w) {
		fprintf(f, "error relid %lu is not open\n", relid);
		return;
	}
	vsp_worker_stall(&m->vmbus->ch[relid], ms);
	vsp_log("relid %lu: guest-to-host ring not read for %lu ms (ctl)",
		relid, ms);
	fprintf(f, "ok\n");
}

static void on_ctl(struct vsp_main *m, int i)
{
	const char *cmd;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	if (vsp_ctl_read(&m->ctl, i, &cmd) != 1)
		return;
	f = open_memstream(&text, &len);
	if (!f) {
		vsp_ctl_reply(&m->ctl, i, "error out of memory\n", 20);
		return;
	}
	if (!strcmp(cmd, "status")) {
		fprintf(f, "state %s\n", m->ivs.client_fd >= 0 ?
			"connected" : "waiting");
		vsp_host_status(m->host, f);
		vsp_vmbus_status(m->vmbus, f);
	} else if (!strcmp(cmd, "channels")) {
		/* Always an answer: "channels N", then a line per channel. */
		fprintf(f, "channels %u\n", vsp_vmbus_nr_channels(m->vmbus));
		vsp_vmbus_channels(m->vmbus, f);
	} else if (!strncmp(cmd, "offer ", 6)) {
		ctl_offer(m, cmd + 6, f);
	} else if (!strncmp(cmd, "rescind ", 8)) {
		ctl_rescind(m, cmd + 8, f);
	} else if (!strncmp(cmd, "class ", 6)) {
		ctl_class(m, cmd + 6, f);
	} else if (!strncmp(cmd, "stall ", 6)) {
		ctl_stall(m, cmd + 6, f);
	} else if (!strcmp(cmd, "quit")) {
		fprintf(f, "ok\n");
		vsp_log("quit requested on the control socket");
		m->stop = true;
	} else {
		fprintf(f, "error unknown command '%.64s' (status, channels, offer CLASS [INSTANCE], rescind RELID, class CLASS ARGS, stall RELID MSEC, quit)\n",
			cmd);
	}
	fclose(f);
	vsp_ctl_reply(&m->ctl, i, text, len);
	free(text);
}

static void dispatch(struct vsp_main *m, uint64_t tag)
{
	unsigned int idx = tag >> 8;
	struct signalfd_siginfo si;
	int ret;

	switch (tag & 0xff) {
	case T_LISTEN:
		ret = vsp_ivshmem_accept(&m->ivs);
		if (ret == 1 && watch(m, m->ivs.client_fd, TAG(T_CLIENT, 0)))
			m->stop = true;
		break;
	case T_CLIENT:
		on_client(m);
		break;
	case T_DOORBELL:
		on_doorbell(m, idx);
		break;
	case T_CTL_LISTEN:
		ret = vsp_ctl_accept(&m->ctl);
		if (ret >= 0 && watch(m, m->ctl.conn[ret].fd,
				      TAG(T_CTL_CONN, ret)))
			vsp_ctl_reply(&m->ctl, ret, "", 0);
		break;
	case T_CTL_CONN:
		on_ctl(m, idx);
		break;
	case T_TICK: {
		uint64_t n;

		if (read(m->tickfd, &n, sizeof(n)) == sizeof(n)) {
			vsp_host_nasty_tick(m->host);
			vsp_vmbus_tick(m->vmbus);
		}
		break;
	}
	case T_REQ: {
		uint64_t n;

		/* Channel workers asked for sub-channels. */
		if (read(m->env.req_fd, &n, sizeof(n)) == sizeof(n))
			vsp_vmbus_subreqs(m->vmbus);
		break;
	}
	case T_SIGNAL:
		if (read(m->sigfd, &si, sizeof(si)) == sizeof(si)) {
			vsp_log("signal %u: stopping", si.ssi_signo);
			m->stop = true;
		}
		break;
	}
}

/* The disks of --disk, as LUNs of one synthetic SCSI controller, offered. */
static int setup_disks(struct vsp_main *m)
{
	struct vsp_disk_spec *specs;
	int cls = vsp_dev_find("storage");
	unsigned int i;
	char err[128];
	int ret = 0;

	specs = calloc(m->o.ndisks, sizeof(*specs));
	if (!specs || cls < 0)
		return -1;
	for (i = 0; !ret && i < m->o.ndisks; i++) {
		ret = vsp_disk_spec_parse(m->o.disk[i], &specs[i], err, sizeof(err));
		if (ret)
			fprintf(stderr, "vsp-sim: --disk %s: %s\n", m->o.disk[i], err);
	}
	if (!ret)
		ret = vsp_stor_setup(vsp_dev_cfg(m->vmbus, cls), m->host, specs,
				     m->o.ndisks);
	free(specs);
	if (ret)
		return -1;
	return vsp_vmbus_add(m->vmbus, cls) < 0 ? -1 : 0;
}

static int setup(struct vsp_main *m)
{
	struct vsp_ram ram = { 0 };
	unsigned int i;
	sigset_t set;
	void *bar2;
	int bar2_fd, ret;

	if (map_ram(&m->o, &ram, &m->env.ram_fd))
		return -1;
	bar2_fd = make_bar2(&bar2);
	if (bar2_fd < 0)
		return -1;
	m->host = calloc(1, sizeof(*m->host));
	if (!m->host)
		return -1;
	/* BAR2's header is written before anyone can connect. */
	if (vsp_host_init(m->host, bar2, &ram, m->o.vps, m->o.strict,
			  vsp_ivshmem_raise, &m->ivs))
		return -1;
	m->vmbus = calloc(1, sizeof(*m->vmbus));
	if (!m->vmbus)
		return -1;
	vsp_vmbus_init(m->vmbus, m->host, &vsp_chan_ops, &m->env);
	{
		struct vsp_echo_cfg *echo = vsp_dev_cfg(m->vmbus,
							VSP_CLASS_ECHO);

		echo->delay_us = m->o.echo_delay_us;
		echo->max_bytes = m->o.echo_max;
		echo->completion = m->o.echo_never_complete ?
				   VSP_ECHO_COMP_NEVER : VSP_ECHO_COMP_REQUESTED;
		echo->reorder = m->o.echo_reorder;
		echo->hold_us = m->o.echo_hold_us;
	}
	m->host->vmbus = m->vmbus;
	m->host->hostile = m->o.hostile;
	m->host->hostile_relid = m->o.hostile_relid;
	m->host->bugs = m->o.bugs;
	if (m->o.hostile || m->o.bugs)
		vsp_log("hostile %#x on relid %u, bugs %#x", m->o.hostile,
			m->o.hostile_relid, m->o.bugs);
	m->env.req_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (m->env.req_fd < 0)
		return -1;
	if (m->o.nasty) {
		struct itimerspec every_ms = {
			.it_interval.tv_nsec = 1000000,
			.it_value.tv_nsec = 1000000,
		};

		m->host->nasty = true;
		m->host->nasty_rng = (uint32_t)getpid() | 1;
		m->tickfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
		if (m->tickfd < 0 || timerfd_settime(m->tickfd, 0, &every_ms, NULL))
			return -1;
	}
	for (i = 0; i < m->o.echo; i++)
		if (vsp_vmbus_add(m->vmbus, VSP_CLASS_ECHO) < 0)
			return -1;
	if (m->o.ndisks && setup_disks(m))
		return -1;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	m->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	m->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (m->sigfd < 0 || m->epfd < 0)
		return -1;

	m->ctl.listen_fd = -1;
	m->ctl.path = NULL;
	if (m->o.ctl) {
		ret = vsp_ctl_listen(&m->ctl, m->o.ctl);
		if (ret) {
			vsp_log("control socket %s: %s", m->o.ctl,
				strerror(-ret));
			return -1;
		}
		if (watch(m, m->ctl.listen_fd, TAG(T_CTL_LISTEN, 0)))
			return -1;
	}
	/* Last: the socket file appears when everything is ready. */
	ret = vsp_ivshmem_listen(&m->ivs, m->o.socket, bar2_fd, m->o.vps);
	if (ret) {
		vsp_log("ivshmem socket %s: %s", m->o.socket, strerror(-ret));
		return -1;
	}
	if (watch(m, m->sigfd, TAG(T_SIGNAL, 0)) ||
	    watch(m, m->ivs.listen_fd, TAG(T_LISTEN, 0)) ||
	    watch(m, m->env.req_fd, TAG(T_REQ, 0)) ||
	    (m->tickfd >= 0 && watch(m, m->tickfd, TAG(T_TICK, 0))))
		return -1;
	for (i = 0; i < m->o.vps; i++)
		if (watch(m, m->ivs.host_fds[i], TAG(T_DOORBELL, i)))
			return -1;
	vsp_log("listening on %s: %u VPs, RAM %llu MiB (%llu MiB below 4G)%s, %u echo device(s)",
		m->o.socket, m->o.vps, (unsigned long long)m->o.ram_mib,
		(unsigned long long)m->o.below4g_mib,
		m->o.strict ? ", strict" : "", m->o.echo);
	return 0;
}

/* The channels' counters, into the log, as the run ends. */
static void log_channels(const struct vsp_vmbus *vm)
{
	char *text = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return;
	vsp_vmbus_channels(vm, f);
	fclose(f);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		vsp_log("channel %s", line);
	free(text);
}

/* --stats FILE: the final status, as `ctl status` prints it. */
static void write_stats(struct vsp_main *m)
{
	FILE *f;

	if (!m->o.stats)
		return;
	f = fopen(m->o.stats, "w");
	if (!f) {
		vsp_log("cannot write %s: %s", m->o.stats, strerror(errno));
		return;
	}
	vsp_host_status(m->host, f);
	vsp_vmbus_status(m->vmbus, f);
	fclose(f);
}

static int serve(int argc, char **argv)
{
	struct epoll_event ev[16];
	struct vsp_main m = { .epfd = -1, .sigfd = -1, .tickfd = -1,
			      .env.ram_fd = -1, .env.req_fd = -1 };
	int i, n, ret;

	ret = vsp_opts_parse(argc, argv, &m.o);
	if (ret)
		return ret > 0 ? 0 : 2;
	if (vsp_log_open(m.o.log)) {
		fprintf(stderr, "vsp-sim: cannot open log %s: %s\n", m.o.log,
			strerror(errno));
		return 1;
	}
	m.ivs.listen_fd = m.ivs.client_fd = -1;
	for (i = 0; i < VSC_SIM_MAX_VPS; i++)
		m.ivs.host_fds[i] = m.ivs.guest_fds[i] = -1;
	m.ivs.path = NULL;
	if (setup(&m)) {
		vsp_ivshmem_close(&m.ivs);
		vsp_ctl_close(&m.ctl);
		return 1;
	}
	while (!m.stop) {
		n = epoll_wait(m.epfd, ev, 16, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			vsp_log("epoll_wait: %s", strerror(errno));
			break;
		}
		for (i = 0; i < n && !m.stop; i++)
			dispatch(&m, ev[i].data.u64);
	}
	vsp_log("exiting: %llu posts, %llu echo replies, %llu violations%s",
		(unsigned long long)m.host->st.posts,
		(unsigned long long)m.host->st.echo_replies,
		(unsigned long long)m.host->st.violations,
		m.host->strict_failed ? "; strict mode: FAILED" : "");
	log_channels(m.vmbus);
	write_stats(&m);
	/* Workers stop before the vectors they raise go away. */
	vsp_vmbus_destroy(m.vmbus);
	vsp_stor_teardown(vsp_dev_cfg(m.vmbus, vsp_dev_find("storage")));
	vsp_ivshmem_close(&m.ivs);
	vsp_ctl_close(&m.ctl);
	ret = m.host->strict_failed ? EXIT_STRICT : 0;
	free(m.vmbus);
	free(m.host);
	return ret;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "ctl")) {
		char cmd[VSP_CTL_LINE] = "";
		int i;

		if (argc < 4) {
			fprintf(stderr, "usage: vsp-sim ctl PATH status|channels|quit|offer CLASS [INSTANCE]|rescind RELID|class CLASS ARGS|stall RELID MSEC\n");
			return 2;
		}
		for (i = 3; i < argc; i++) {
			if (strlen(cmd) + strlen(argv[i]) + 2 > sizeof(cmd)) {
				fprintf(stderr, "vsp-sim ctl: command too long\n");
				return 2;
			}
			if (i > 3)
				strcat(cmd, " ");
			strcat(cmd, argv[i]);
		}
		return vsp_ctl_client(argv[2], cmd);
	}
	return serve(argc, argv);
}
