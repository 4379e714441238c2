// SPDX-License-Identifier: GPL-2.0
/* The control socket's "status": one "name value" line per counter. */
#include "host.h"

#define U(x) ((unsigned long long)(x))

void vsp_host_status(const struct vsp_host *h, FILE *out)
{
	unsigned int i;

	fprintf(out, "nr_vps %u\n", h->nr_vps);
	fprintf(out, "strict %d\n", h->strict);
	fprintf(out, "strict_failed %d\n", h->strict_failed);
	fprintf(out, "nasty %d\n", h->nasty);
	fprintf(out, "nasty_coalesced %llu\n", U(h->nasty_coalesced));
	fprintf(out, "nasty_spurious %llu\n", U(h->nasty_spurious));
	fprintf(out, "nasty_throttled %llu\n", U(h->nasty_throttled));
	fprintf(out, "ready %u\n", h->ready);
	fprintf(out, "resets %llu\n", U(h->st.resets));
	fprintf(out, "dropped_on_reset %llu\n", U(h->st.dropped_on_reset));
	fprintf(out, "doorbells %llu\n", U(h->st.doorbells));
	fprintf(out, "doorbell_rings %llu\n", U(h->st.doorbell_rings));
	fprintf(out, "doorbells_empty %llu\n", U(h->st.doorbells_empty));
	fprintf(out, "posts %llu\n", U(h->st.posts));
	fprintf(out, "posts_vmbus %llu\n", U(h->st.posts_vmbus));
	fprintf(out, "mailbox_cons %u\n", h->cons);
	fprintf(out, "signals %llu\n", U(h->st.signals));
	fprintf(out, "signals_unrouted %llu\n", U(h->st.signals_unrouted));
	for (i = 0; i < VSC_SIM_CONN_IDS; i++)
		if (h->st.signals_by_conn[i])
			fprintf(out, "signals_conn_%u %llu\n", i,
				U(h->st.signals_by_conn[i]));
	fprintf(out, "eoms %llu\n", U(h->st.eoms));
	fprintf(out, "echo_replies %llu\n", U(h->st.echo_replies));
	fprintf(out, "echo_stalls %llu\n", U(h->st.echo_stalls));
	for (i = 0; i < h->nr_vps; i++) {
		const struct vsp_vp *vp = &h->vp[i];

		fprintf(out, "vp%u_irqs %llu\n", i, U(vp->st.irqs));
		fprintf(out, "vp%u_delivered %llu\n", i, U(vp->st.delivered));
		fprintf(out, "vp%u_queued %llu\n", i, U(vp->st.queued));
		fprintf(out, "vp%u_queue_now %u\n", i, vp->len);
		fprintf(out, "vp%u_max_queue %llu\n", i, U(vp->st.max_queue));
		fprintf(out, "vp%u_eoms %llu\n", i, U(vp->st.eoms));
		fprintf(out, "vp%u_flags_set %llu\n", i, U(vp->st.flags_set));
		fprintf(out, "vp%u_fifo_full %llu\n", i, U(vp->st.fifo_full));
		fprintf(out, "vp%u_simp %#llx\n", i,
			U(vp->simp_on ? vp->simp_gpa | 1 : 0));
		fprintf(out, "vp%u_siefp %#llx\n", i,
			U(vp->siefp_on ? vp->siefp_gpa | 1 : 0));
	}
	fprintf(out, "violations %llu\n", U(h->st.violations));
	for (i = 0; i < VSP_V_COUNT; i++)
		fprintf(out, "violation_%s %llu\n", vsp_violation_name(i),
			U(h->st.violation[i]));
}
