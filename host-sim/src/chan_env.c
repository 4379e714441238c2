// SPDX-License-Identifier: GPL-2.0
/*
 * The channel workers' environment in vsp-sim (struct vsp_vmbus_ops):
 * rings mapped from the RAM file, a thread per open channel, the control
 * plane woken for sub-channel requests; and a worker's counters for the
 * control socket.
 */
#include <unistd.h>

#include "chan_int.h"

#define RD(x) ((unsigned long long)__atomic_load_n(&(x), __ATOMIC_RELAXED))

void vsp_worker_print(const struct vsp_worker *w, FILE *out)
{
	if (!w)
		return;
	/* The worker's counters are single words: a racy read is harmless. */
	fprintf(out, " in_packets %llu in_bytes %llu out_packets %llu out_bytes %llu signals_in %llu wakeups %llu signals_out %llu interrupts %llu send_wakeups %llu host_waits %llu ctl_stalls %llu refused %llu bad %llu",
		RD(w->in.stats.packets), RD(w->in.stats.bytes),
		RD(w->out.stats.packets), RD(w->out.stats.bytes),
		RD(w->kicks), RD(w->wakeups),
		RD(w->in.stats.signals) + RD(w->out.stats.signals),
		RD(w->irqs), RD(w->send_wakeups), RD(w->stalls),
		RD(w->ctl_stalls), RD(w->dc.refused), RD(w->dc.bad));
	if (w->cls->print)
		w->cls->print(&w->dc, out);
	if (__atomic_load_n(&w->stall_until, __ATOMIC_RELAXED))
		fputs(" stalled", out);
	if (__atomic_load_n(&w->broken, __ATOMIC_RELAXED))
		fputs(" broken", out);
	if (__atomic_load_n(&w->attacked, __ATOMIC_RELAXED))
		fputs(" hostile", out);
}

static int env_map(void *ctx, const uint64_t *offs, uint32_t n, void **base)
{
	struct vsp_chan_env *env = ctx;

	return vsp_ringmap(env->ram_fd, offs, n, base);
}

static void env_unmap(void *ctx, void *base, uint32_t n)
{
	(void)ctx;
	vsp_ringunmap(base, n);
}

static int env_start(void *ctx, struct vsp_vmbus *vm, struct vsp_chan *c)
{
	(void)ctx;
	return vsp_worker_start(vm, c);
}

static void env_stop(void *ctx, struct vsp_vmbus *vm, struct vsp_chan *c)
{
	(void)ctx;
	(void)vm;
	vsp_worker_stop(c);
}

static void env_kick(void *ctx, struct vsp_chan *c)
{
	(void)ctx;
	vsp_worker_kick(c);
}

static void env_notify(void *ctx)
{
	struct vsp_chan_env *env = ctx;
	uint64_t one = 1;

	/* EAGAIN: the count is saturated, the control plane wakes anyway. */
	if (env->req_fd >= 0)
		(void)!write(env->req_fd, &one, sizeof(one));
}

const struct vsp_vmbus_ops vsp_chan_ops = {
	.map = env_map,
	.unmap = env_unmap,
	.start = env_start,
	.stop = env_stop,
	.kick = env_kick,
	.notify = env_notify,
};
