// SPDX-License-Identifier: GPL-2.0
/* Logging to stderr or a file, with a per-key rate limit. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "log.h"

static FILE *log_file;
static bool log_quiet;

int vsp_log_open(const char *path)
{
	FILE *f;

	if (!path) {
		log_file = NULL;
		return 0;
	}
	f = fopen(path, "ae");
	if (!f)
		return -errno;
	setvbuf(f, NULL, _IOLBF, 0);
	log_file = f;
	return 0;
}

void vsp_log_quiet(bool quiet)
{
	log_quiet = quiet;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void vsp_log(const char *fmt, ...)
{
	FILE *f = log_file ? log_file : stderr;
	uint64_t ms;
	va_list ap;

	if (log_quiet)
		return;
	ms = now_ms();
	fprintf(f, "vsp-sim[%llu.%03llu]: ", (unsigned long long)(ms / 1000),
		(unsigned long long)(ms % 1000));
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
}

bool vsp_ratelimit_ok(struct vsp_ratelimit *rl, uint64_t *suppressed)
{
	uint64_t now = now_ms();

	if (now - rl->window_start_ms >= 1000) {
		rl->window_start_ms = now;
		rl->in_window = 0;
	}
	if (rl->in_window >= VSP_RATELIMIT_BURST) {
		rl->suppressed++;
		return false;
	}
	rl->in_window++;
	*suppressed = rl->suppressed;
	rl->suppressed = 0;
	return true;
}
