/* SPDX-License-Identifier: GPL-2.0 */
/* Command line of vsp-sim. */
#ifndef VSP_OPTS_H
#define VSP_OPTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct vsp_opts {
	const char *socket;
	const char *ram;
	uint64_t ram_mib;
	uint64_t below4g_mib;
	unsigned int vps;
	bool strict;
	bool nasty;			/* the "legal but nasty" profile */
	const char *stats;		/* write the status here at exit */
	const char *ctl;
	const char *log;
	unsigned int echo;		/* echo devices offered at start */
	uint32_t echo_delay_us;
	uint32_t echo_max;		/* 0: no limit */
	bool echo_never_complete;
	uint32_t echo_reorder;		/* answers in reversed batches of N */
	uint32_t echo_hold_us;		/* answers held, the worker reads on */
	uint32_t hostile;		/* VSP_H_* (hostile.h) */
	uint32_t hostile_relid;		/* default 1 */
	uint32_t bugs;			/* VSP_BUG_* */
	const char *disk[16];		/* --disk, parsed by main; 16 at most */
	unsigned int ndisks;
};

#define VSP_OPT_MAX_ECHO	32

/*
 * Parses the server's options. Returns 0, or -1 after printing what is
 * wrong to stderr (1 for --help, after printing the usage to stdout).
 */
int vsp_opts_parse(int argc, char **argv, struct vsp_opts *o);

/* Parses a size in MiB: a number, optionally followed by M or G. */
int vsp_parse_mib(const char *s, uint64_t *mib);

/*
 * The most RAM q35 puts below 4 GiB for a guest of ram_mib, whatever
 * max-ram-below-4g asks: vsp-sim refuses a split q35 would not honour.
 */
uint64_t vsp_q35_low_max_mib(uint64_t ram_mib);

void vsp_usage(FILE *out);

#endif /* VSP_OPTS_H */
