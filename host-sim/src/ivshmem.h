/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ivshmem server, protocol version 0 (docs/sim-transport.md,
 * "Wiring"): vsp-sim is peer 0, QEMU connects as peer 1 and receives the
 * BAR2 memory and both peers' eventfds. One client only.
 */
#ifndef VSP_IVSHMEM_H
#define VSP_IVSHMEM_H

#include <stdint.h>

#include <vsc/sim.h>

#define VSP_IVSHMEM_PROTOCOL	0
#define VSP_IVSHMEM_CLIENT_ID	1

struct vsp_ivshmem {
	int listen_fd;
	int client_fd;			/* -1 until QEMU connects */
	int bar2_fd;
	unsigned int nr_vectors;
	int host_fds[VSC_SIM_MAX_VPS];	/* peer 0's: vector 0 is the doorbell */
	int guest_fds[VSC_SIM_MAX_VPS];	/* QEMU's: writing n raises vector n */
	char *path;
};

/*
 * Creates the eventfds and a listening socket that appears at path only
 * once it accepts connections. 0 or -errno.
 */
int vsp_ivshmem_listen(struct vsp_ivshmem *s, const char *path, int bar2_fd,
		       unsigned int nr_vectors);

/*
 * Accepts a connection: the first becomes the client and is sent the
 * setup messages; any other is refused. Returns 1 for a new client, 0 for
 * a refused one, -errno on failure.
 */
int vsp_ivshmem_accept(struct vsp_ivshmem *s);

/* Raises guest vector n (the vsp_raise_fn of the host core). */
void vsp_ivshmem_raise(void *ctx, unsigned int n);

/* Sends one protocol message: a little-endian int64, fd attached if >= 0. */
int vsp_ivshmem_send(int sock, int64_t msg, int fd);

/* Receives one; *fd is -1 when none came. 0, -errno or -EPIPE on EOF. */
int vsp_ivshmem_recv(int sock, int64_t *msg, int *fd);

void vsp_ivshmem_close(struct vsp_ivshmem *s);

#endif /* VSP_IVSHMEM_H */
