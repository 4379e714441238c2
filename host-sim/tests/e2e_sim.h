/* SPDX-License-Identifier: GPL-2.0 */
/* The end-to-end tests' QEMU stand-in; see e2e_sim.c. */
#ifndef VSP_TEST_E2E_SIM_H
#define VSP_TEST_E2E_SIM_H

#include <stdbool.h>
#include <sys/types.h>

#include "guest.h"

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

/* Extra vsp-sim options for the next start() (NULL-terminated), or NULL. */
extern const char *const *sim_extra;

const char *sim_bin(void);
void start(struct sim *s, bool strict);
int connect_unix(const char *path);
void connect_guest(struct sim *s);
long long status_value(struct sim *s, const char *name);
int disconnect(struct sim *s);

#endif /* VSP_TEST_E2E_SIM_H */
