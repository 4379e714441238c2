// SPDX-License-Identifier: GPL-2.0
/* The control socket, server and client sides. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl.h"
#include "log.h"

static int unix_addr(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	memcpy(sa->sun_path, path, strlen(path) + 1);
	return 0;
}

int vsp_ctl_listen(struct vsp_ctl *c, const char *path)
{
	struct sockaddr_un sa;
	struct stat st;
	char *tmp;
	int i, ret;

	c->listen_fd = -1;
	c->path = NULL;
	for (i = 0; i < VSP_CTL_MAX_CONNS; i++)
		c->conn[i].fd = -1;
	if (asprintf(&tmp, "%s.%d.tmp", path, (int)getpid()) < 0)
		return -ENOMEM;
	ret = unix_addr(&sa, tmp);
	if (ret) {
		free(tmp);
		return ret;
	}
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(path);
	unlink(tmp);
	c->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC |
			      SOCK_NONBLOCK, 0);
	if (c->listen_fd < 0 ||
	    bind(c->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(c->listen_fd, 8) || rename(tmp, path)) {
		ret = -errno;
		unlink(tmp);
		free(tmp);
		return ret;
	}
	free(tmp);
	c->path = strdup(path);
	return 0;
}

int vsp_ctl_accept(struct vsp_ctl *c)
{
	int fd, i;

	fd = accept4(c->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return -1;
	for (i = 0; i < VSP_CTL_MAX_CONNS; i++) {
		if (c->conn[i].fd < 0) {
			c->conn[i].fd = fd;
			c->conn[i].len = 0;
			return i;
		}
	}
	close(fd);
	return -1;
}

static void conn_close(struct vsp_ctl *c, int i)
{
	close(c->conn[i].fd);
	c->conn[i].fd = -1;
}

int vsp_ctl_read(struct vsp_ctl *c, int i, const char **cmd)
{
	struct vsp_ctl_conn *k = &c->conn[i];
	char *nl;
	ssize_t n;

	if (k->fd < 0)
		return -1;
	n = read(k->fd, k->line + k->len, sizeof(k->line) - 1 - k->len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n < 0 || (n == 0 && k->len == 0)) {
		conn_close(c, i);
		return -1;
	}
	k->len += n;
	k->line[k->len] = '\0';
	nl = strchr(k->line, '\n');
	if (nl)
		*nl = '\0';
	else if (n && k->len < sizeof(k->line) - 1)
		return 0;
	else if (n) {
		conn_close(c, i);
		return -1;
	}
	*cmd = k->line;
	return 1;
}

void vsp_ctl_reply(struct vsp_ctl *c, int i, const char *text, size_t len)
{
	int fd = c->conn[i].fd;

	while (len) {
		ssize_t n = send(fd, text, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EAGAIN) {
			struct pollfd p = { .fd = fd, .events = POLLOUT };

			/* A client that does not read gets a second. */
			if (poll(&p, 1, 1000) <= 0)
				break;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		text += n;
		len -= n;
	}
	conn_close(c, i);
}

void vsp_ctl_close(struct vsp_ctl *c)
{
	int i;

	for (i = 0; i < VSP_CTL_MAX_CONNS; i++)
		if (c->conn[i].fd >= 0)
			conn_close(c, i);
	if (c->listen_fd >= 0)
		close(c->listen_fd);
	c->listen_fd = -1;
	if (c->path) {
		unlink(c->path);
		free(c->path);
		c->path = NULL;
	}
}

int vsp_ctl_client(const char *path, const char *cmd)
{
	struct sockaddr_un sa;
	bool first = true, failed = false;
	char buf[4096];
	ssize_t n;
	int fd;

	if (unix_addr(&sa, path)) {
		fprintf(stderr, "vsp-sim ctl: path too long: %s\n", path);
		return 1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "vsp-sim ctl: cannot connect to %s: %s\n", path,
			strerror(errno));
		return 1;
	}
	if (dprintf(fd, "%s\n", cmd) < 0) {
		fprintf(stderr, "vsp-sim ctl: send: %s\n", strerror(errno));
		close(fd);
		return 1;
	}
	shutdown(fd, SHUT_WR);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		/* The server's answers to bad commands start with "error". */
		if (first && n >= 5 && !memcmp(buf, "error", 5))
			failed = true;
		first = false;
		fwrite(buf, 1, n, stdout);
	}
	close(fd);
	if (n < 0) {
		fprintf(stderr, "vsp-sim ctl: read: %s\n", strerror(errno));
		return 1;
	}
	if (first) {
		fprintf(stderr, "vsp-sim ctl: no answer from %s\n", path);
		return 1;
	}
	return failed;
}
