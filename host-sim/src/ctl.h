/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control socket: a client sends one command line ("status", "quit"),
 * the server answers with text and closes. `vsp-sim ctl PATH CMD` is the
 * client.
 */
#ifndef VSP_CTL_H
#define VSP_CTL_H

#include <stdbool.h>

#define VSP_CTL_MAX_CONNS	8
#define VSP_CTL_LINE		128

struct vsp_ctl_conn {
	int fd;				/* -1: unused */
	unsigned int len;
	char line[VSP_CTL_LINE];
};

struct vsp_ctl {
	int listen_fd;
	char *path;
	struct vsp_ctl_conn conn[VSP_CTL_MAX_CONNS];
};

/* Listens at path (appearing only once it accepts). 0 or -errno. */
int vsp_ctl_listen(struct vsp_ctl *c, const char *path);

/* Accepts one client; returns its slot or -1 (refused or none). */
int vsp_ctl_accept(struct vsp_ctl *c);

/*
 * Reads from the client in slot i. Returns 1 with a complete command in
 * *cmd (NUL-terminated, no newline), 0 if more must come, -1 when the
 * client is gone or overlong (the slot is closed then).
 */
int vsp_ctl_read(struct vsp_ctl *c, int i, const char **cmd);

/* Sends text to the client in slot i and closes it. */
void vsp_ctl_reply(struct vsp_ctl *c, int i, const char *text, size_t len);

void vsp_ctl_close(struct vsp_ctl *c);

/* The client: sends cmd to the server at path, copies the answer to stdout. */
int vsp_ctl_client(const char *path, const char *cmd);

#endif /* VSP_CTL_H */
