// SPDX-License-Identifier: GPL-2.0
/*
 * The ivshmem server side. Message order to a new client (what QEMU's
 * ivshmem device expects at realize time and after):
 *   protocol version, no fd
 *   the client's own peer id, no fd
 *   -1 with the shared memory fd
 *   for each other peer (here only peer 0): its id with one eventfd per
 *     vector, in vector order
 *   the client's id with one eventfd per vector, in vector order
 * Every message is one 8-byte little-endian integer; fds go by SCM_RIGHTS.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "ivshmem.h"
#include "log.h"

int vsp_ivshmem_send(int sock, int64_t msg, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	uint64_t le = htole64((uint64_t)msg);
	struct iovec iov = { .iov_base = &le, .iov_len = sizeof(le) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (fd >= 0) {
		struct cmsghdr *c;

		memset(&u, 0, sizeof(u));
		mh.msg_control = u.buf;
		mh.msg_controllen = sizeof(u.buf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	do {
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == sizeof(le) ? 0 : -EIO;
}

int vsp_ivshmem_recv(int sock, int64_t *msg, int *fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	uint64_t le;
	struct iovec iov = { .iov_base = &le, .iov_len = sizeof(le) };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *c;
	ssize_t n;

	*fd = -1;
	do {
		n = recvmsg(sock, &mh, MSG_WAITALL | MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -EPIPE;
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
		    c->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(fd, CMSG_DATA(c), sizeof(int));
	}
	if (n != sizeof(le)) {
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
		return -EIO;
	}
	*msg = (int64_t)le64toh(le);
	return 0;
}

int vsp_ivshmem_listen(struct vsp_ivshmem *s, const char *path, int bar2_fd,
		       unsigned int nr_vectors)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char *tmp = NULL;
	struct stat st;
	unsigned int i;
	int ret;

	s->listen_fd = -1;
	s->client_fd = -1;
	s->bar2_fd = bar2_fd;
	s->nr_vectors = nr_vectors;
	s->path = NULL;
	for (i = 0; i < VSC_SIM_MAX_VPS; i++) {
		s->host_fds[i] = -1;
		s->guest_fds[i] = -1;
	}
	if (nr_vectors < 1 || nr_vectors > VSC_SIM_MAX_VPS)
		return -EINVAL;
	for (i = 0; i < nr_vectors; i++) {
		s->host_fds[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		s->guest_fds[i] = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (s->host_fds[i] < 0 || s->guest_fds[i] < 0)
			return -errno;
	}
	if (asprintf(&tmp, "%s.%d.tmp", path, (int)getpid()) < 0)
		return -ENOMEM;
	if (strlen(tmp) >= sizeof(sa.sun_path)) {
		free(tmp);
		return -ENAMETOOLONG;
	}
	memcpy(sa.sun_path, tmp, strlen(tmp) + 1);
	/* A stale socket from a previous run would fool whoever waits. */
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(path);
	unlink(tmp);
	s->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC |
			      SOCK_NONBLOCK, 0);
	if (s->listen_fd < 0 ||
	    bind(s->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(s->listen_fd, 4) ||
	    rename(tmp, path)) {
		ret = -errno;
		unlink(tmp);
		free(tmp);
		return ret;
	}
	free(tmp);
	s->path = strdup(path);
	return 0;
}

static int send_setup(struct vsp_ivshmem *s, int c)
{
	unsigned int i;
	int ret;

	ret = vsp_ivshmem_send(c, VSP_IVSHMEM_PROTOCOL, -1);
	if (!ret)
		ret = vsp_ivshmem_send(c, VSP_IVSHMEM_CLIENT_ID, -1);
	if (!ret)
		ret = vsp_ivshmem_send(c, -1, s->bar2_fd);
	for (i = 0; !ret && i < s->nr_vectors; i++)
		ret = vsp_ivshmem_send(c, VSC_SIM_HOST_PEER, s->host_fds[i]);
	for (i = 0; !ret && i < s->nr_vectors; i++)
		ret = vsp_ivshmem_send(c, VSP_IVSHMEM_CLIENT_ID,
				       s->guest_fds[i]);
	return ret;
}

int vsp_ivshmem_accept(struct vsp_ivshmem *s)
{
	int c, ret;

	c = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (c < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	if (s->client_fd >= 0) {
		vsp_log("ivshmem: refusing a second client");
		close(c);
		return 0;
	}
	ret = send_setup(s, c);
	if (ret) {
		vsp_log("ivshmem: setup of the client failed: %s",
			strerror(-ret));
		close(c);
		return ret;
	}
	s->client_fd = c;
	vsp_log("ivshmem: client connected as peer %d, %u vectors",
		VSP_IVSHMEM_CLIENT_ID, s->nr_vectors);
	return 1;
}

void vsp_ivshmem_raise(void *ctx, unsigned int n)
{
	struct vsp_ivshmem *s = ctx;
	uint64_t one = 1;

	if (n >= s->nr_vectors || s->client_fd < 0)
		return;
	/* EAGAIN means the count is saturated: the vector is raised anyway. */
	if (write(s->guest_fds[n], &one, sizeof(one)) < 0 && errno != EAGAIN)
		vsp_log("raising vector %u: %s", n, strerror(errno));
}

void vsp_ivshmem_close(struct vsp_ivshmem *s)
{
	unsigned int i;

	if (s->client_fd >= 0)
		close(s->client_fd);
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	for (i = 0; i < VSC_SIM_MAX_VPS; i++) {
		if (s->host_fds[i] >= 0)
			close(s->host_fds[i]);
		if (s->guest_fds[i] >= 0)
			close(s->guest_fds[i]);
	}
	if (s->path) {
		unlink(s->path);
		free(s->path);
	}
	s->client_fd = s->listen_fd = -1;
	s->path = NULL;
}
