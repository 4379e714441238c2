/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The signal bitmap in BAR2 (docs/sim-transport.md, "signal_event"): the
 * guest sets bit N to signal connection id N; the host takes every set
 * bit with one atomic exchange per non-zero 64-bit word.
 */
#ifndef VSP_SIGNALS_H
#define VSP_SIGNALS_H

typedef void (*vsp_signal_fn)(void *ctx, unsigned int conn_id);

/*
 * Takes the set bits of the bitmap at BAR2 offset VSC_SIM_OFF_SIGNALS and
 * calls fn for each, in increasing connection id order. Returns the number
 * of bits taken. Bounded: one pass over VSC_SIM_CONN_IDS bits.
 */
unsigned int vsp_signals_take(void *bar2, vsp_signal_fn fn, void *ctx);

#endif /* VSP_SIGNALS_H */
