/* SPDX-License-Identifier: GPL-2.0 */
/* Logging to stderr or a file, with a per-key rate limit. */
#ifndef VSP_LOG_H
#define VSP_LOG_H

#include <stdbool.h>
#include <stdint.h>

#ifndef __printf
#define __printf(a, b) __attribute__((format(printf, a, b)))
#endif

/* Sends the log to path (appending); NULL means stderr. 0 or -errno. */
int vsp_log_open(const char *path);
void vsp_log(const char *fmt, ...) __printf(1, 2);

/*
 * A rate limit: at most VSP_RATELIMIT_BURST messages per second; the
 * first one let through after a quiet spell reports how many it hid.
 */
#define VSP_RATELIMIT_BURST	5

struct vsp_ratelimit {
	uint64_t window_start_ms;
	unsigned int in_window;
	uint64_t suppressed;
};

/* True if a message may be logged now; counts it either way. */
bool vsp_ratelimit_ok(struct vsp_ratelimit *rl, uint64_t *suppressed);

/* Silences the log entirely (the fuzzers use it). */
void vsp_log_quiet(bool quiet);

#endif /* VSP_LOG_H */
