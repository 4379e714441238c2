// SPDX-License-Identifier: GPL-2.0
/* The signal bitmap: one exchange per non-zero word, then its bits. */
#include <vsc/sim.h>

#include "shared.h"
#include "signals.h"

unsigned int vsp_signals_take(void *bar2, vsp_signal_fn fn, void *ctx)
{
	unsigned int w, n = 0;

	for (w = 0; w < VSC_SIM_CONN_IDS / 64; w++) {
		size_t off = VSC_SIM_OFF_SIGNALS + w * 8;
		uint64_t bits;

		/* A cheap look first, so that idle words are not written. */
		if (!sh_load64(bar2, off))
			continue;
		bits = sh_xchg64(bar2, off, 0);
		while (bits) {
			unsigned int b = __builtin_ctzll(bits);

			bits &= bits - 1;
			fn(ctx, w * 64 + b);
			n++;
		}
	}
	return n;
}
