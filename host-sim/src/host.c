// SPDX-License-Identifier: GPL-2.0
/*
 * The doorbell scan (docs/sim-transport.md, "Waking the host"): ready
 * generation, SynIC registers and EOMs, signals, mailbox. Each shared
 * field is read once into a local and validated before use; every loop
 * is bounded by a constant of the layout, whatever BAR2 holds.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "host.h"
#include "shared.h"
#include "signals.h"
#include "vmbus.h"
#include "vp.h"

#define G_VERSION	(VSC_SIM_OFF_GUEST + offsetof(struct vsc_sim_guest, version))
#define G_READY		(VSC_SIM_OFF_GUEST + offsetof(struct vsc_sim_guest, ready))
#define G_NR_VPS	(VSC_SIM_OFF_GUEST + offsetof(struct vsc_sim_guest, nr_vps))
#define H_READY_ACK	(VSC_SIM_OFF_HEADER + \
			 offsetof(struct vsc_sim_header, ready_ack))
#define W_PENDING	(VSC_SIM_OFF_WAKE + \
			 offsetof(struct vsc_sim_wake, doorbell_pending))
#define VP_OFF(n)	(VSC_SIM_OFF_VPS + (size_t)(n) * sizeof(struct vsc_sim_vp))
#define VP_SIMP(n)	(VP_OFF(n) + offsetof(struct vsc_sim_vp, simp))
#define VP_SIEFP(n)	(VP_OFF(n) + offsetof(struct vsc_sim_vp, siefp))
#define VP_EOM(n)	(VP_OFF(n) + offsetof(struct vsc_sim_vp, eom_count))

static const char *const violation_names[] = {
#define VSP_V_NAME(e, n) [VSP_V_##e] = n,
	VSP_VIOLATIONS(VSP_V_NAME)
#undef VSP_V_NAME
};

const char *vsp_violation_name(enum vsp_violation v)
{
	return v < VSP_V_COUNT ? violation_names[v] : "?";
}

void vsp_host_violation(struct vsp_host *h, enum vsp_violation v,
			const char *fmt, ...)
{
	uint64_t hidden;
	char buf[256];
	va_list ap;

	if (v >= VSP_V_COUNT)
		return;
	pthread_mutex_lock(&h->vlock);
	h->st.violations++;
	h->st.violation[v]++;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (h->strict && !h->strict_failed) {
		h->strict_failed = true;
		vsp_log("strict: the run fails: guest broke a rule: %s: %s",
			vsp_violation_name(v), buf);
	}
	if (!vsp_ratelimit_ok(&h->st.rl[v], &hidden)) {
		pthread_mutex_unlock(&h->vlock);
		return;
	}
	if (hidden)
		vsp_log("violation %s (%llu more not logged): %s",
			vsp_violation_name(v), (unsigned long long)hidden, buf);
	else
		vsp_log("violation %s: %s", vsp_violation_name(v), buf);
	pthread_mutex_unlock(&h->vlock);
}

void vsp_host_bad_doorbell(struct vsp_host *h, unsigned int vector)
{
	vsp_host_violation(h, VSP_V_DOORBELL_VECTOR,
			   "doorbell on peer 0 vector %u (only 0 is used)",
			   vector);
}

int vsp_host_init(struct vsp_host *h, void *bar2, const struct vsp_ram *ram,
		  unsigned int nr_vps, bool strict, vsp_raise_fn raise,
		  void *raise_ctx)
{
	unsigned int i;

	if (!bar2 || nr_vps < 1 || nr_vps > VSC_SIM_MAX_VPS)
		return -EINVAL;
	memset(&h->st, 0, sizeof(h->st));
	h->bar2 = bar2;
	h->ram = *ram;
	h->nr_vps = nr_vps;
	h->strict = strict;
	h->strict_failed = false;
	h->ready = 0;
	h->cons = 0;
	h->vmbus_conn = 0;
	h->vmbus = NULL;
	pthread_rwlock_init(&h->flags_lock, NULL);
	pthread_mutex_init(&h->vlock, NULL);
	h->held = false;
	h->echo_seq = 0;
	h->raise = raise;
	h->raise_ctx = raise_ctx;
	for (i = 0; i < VSC_SIM_MAX_VPS; i++) {
		memset(&h->vp[i].st, 0, sizeof(h->vp[i].st));
		h->vp[i].simp_raw = 0;
		h->vp[i].siefp_raw = 0;
		vsp_vp_reset(&h->vp[i], 0);
	}

	memset(&h->header, 0, sizeof(h->header));
	h->header.magic = cpu_to_le64(VSC_SIM_MAGIC);
	h->header.version = cpu_to_le32(VSC_SIM_VERSION);
	h->header.header_size = cpu_to_le32(sizeof(h->header));
	h->header.bar2_size = cpu_to_le32(VSC_SIM_BAR2_SIZE);
	h->header.nr_vps = cpu_to_le32(nr_vps);
	h->header.mailbox_slots = cpu_to_le32(VSC_SIM_MAILBOX_SLOTS);
	h->header.conn_ids = cpu_to_le32(VSC_SIM_CONN_IDS);
	h->header.host_status = cpu_to_le32(VSC_SIM_HOST_OK);
	memset(bar2, 0, VSC_SIM_BAR2_SIZE);
	memcpy((uint8_t *)bar2 + VSC_SIM_OFF_HEADER, &h->header,
	       sizeof(h->header));
	return 0;
}

/* The header is ours: a guest that writes it is told off and overruled. */
static void check_header(struct vsp_host *h)
{
	uint8_t *hdr = h->bar2 + VSC_SIM_OFF_HEADER;
	struct vsc_sim_header now;

	memcpy(&now, hdr, sizeof(now));
	if (!memcmp(&now, &h->header, sizeof(now)))
		return;
	vsp_host_violation(h, VSP_V_HEADER_WRITTEN,
			   "BAR2 header changed (magic %#llx, nr_vps %u); restored",
			   (unsigned long long)le64_to_cpu(now.magic),
			   le32_to_cpu(now.nr_vps));
	memcpy(hdr, &h->header, sizeof(h->header));
}

enum ready_change { READY_SAME, READY_DOWN, READY_NEW };

/* ready went to 0 or to a new generation: a guest reset. */
static enum ready_change scan_ready(struct vsp_host *h)
{
	uint32_t ready = sh_load32(h->bar2, G_READY);
	uint32_t version, nr;
	unsigned int i;

	if (ready == h->ready)
		return READY_SAME;
	h->st.resets++;
	/* Everything VMBus had in guest memory goes before the ack. */
	if (h->vmbus)
		vsp_vmbus_reset(h->vmbus, "guest reset");
	pthread_rwlock_wrlock(&h->flags_lock);
	for (i = 0; i < h->nr_vps; i++) {
		h->st.dropped_on_reset += h->vp[i].len;
		vsp_vp_reset(&h->vp[i], sh_load32(h->bar2, VP_EOM(i)));
		/* Forgotten: the register scan below reads them afresh. */
		h->vp[i].simp_raw = ~0ULL;
		h->vp[i].siefp_raw = ~0ULL;
	}
	pthread_rwlock_unlock(&h->flags_lock);
	h->held = false;
	vsp_log("guest ready generation %u -> %u", h->ready, ready);
	h->ready = ready;
	/* Only now may the guest free what the host has just forgotten. */
	h->header.ready_ack = cpu_to_le32(ready);
	sh_store32(h->bar2, H_READY_ACK, ready);
	if (!ready)
		return READY_DOWN;
	version = sh_load32(h->bar2, G_VERSION);
	if (version != VSC_SIM_VERSION)
		vsp_host_violation(h, VSP_V_GUEST_VERSION,
				   "guest.version %u, host speaks %u", version,
				   VSC_SIM_VERSION);
	nr = sh_load32(h->bar2, G_NR_VPS);
	if (nr == 0 || nr > h->nr_vps)
		vsp_host_violation(h, VSP_V_GUEST_NR_VPS,
				   "guest.nr_vps %u, host has %u", nr, h->nr_vps);
	return READY_NEW;
}

/* A SIMP or SIEFP changed: validate it every time. */
static void set_page(struct vsp_host *h, unsigned int n, bool simp,
		     uint64_t raw)
{
	struct vsp_vp *vp = &h->vp[n];
	enum vsp_reg_state st;
	uint64_t gpa = 0;

	st = vsp_synic_reg_parse(raw, &h->ram.layout, &gpa);
	if (st == VSP_REG_BAD_ALIGN || st == VSP_REG_BAD_RANGE)
		vsp_host_violation(h, simp ? VSP_V_SIMP_BAD : VSP_V_SIEFP_BAD,
				   "vp %u %s %#llx: %s", n,
				   simp ? "simp" : "siefp",
				   (unsigned long long)raw,
				   st == VSP_REG_BAD_ALIGN ?
				   "reserved bits set (not page aligned)" :
				   "page is not guest RAM");
	/* Pages are used only while the guest is ready (see ready_ack). */
	if (!h->ready)
		st = VSP_REG_OFF;
	if (simp) {
		vp->simp_raw = raw;
		vp->simp_on = st == VSP_REG_ON;
		vp->simp_gpa = gpa;
	} else {
		pthread_rwlock_wrlock(&h->flags_lock);
		vp->siefp_raw = raw;
		vp->siefp_on = st == VSP_REG_ON;
		vp->siefp_gpa = gpa;
		pthread_rwlock_unlock(&h->flags_lock);
	}
}

static bool scan_vps(struct vsp_host *h)
{
	bool found = false;
	unsigned int i;

	for (i = 0; i < h->nr_vps; i++) {
		struct vsp_vp *vp = &h->vp[i];
		uint64_t simp = sh_load64(h->bar2, VP_SIMP(i));
		uint64_t siefp = sh_load64(h->bar2, VP_SIEFP(i));
		uint32_t eom = sh_load32(h->bar2, VP_EOM(i));
		bool simp_new = simp != vp->simp_raw;

		if (simp_new) {
			set_page(h, i, true, simp);
			found = true;
		}
		if (siefp != vp->siefp_raw) {
			set_page(h, i, false, siefp);
			found = true;
		}
		if (eom != vp->eom_seen) {
			vsp_vp_eom(h, i, eom);
			found = true;
		} else if (simp_new) {
			/* A new message page: whatever waited may go. */
			vsp_vp_pump(h, i);
		}
	}
	return found;
}

/* A new generation: interrupts sent before MSI-X was on are lost. */
static void rearm(struct vsp_host *h)
{
	unsigned int i;

	for (i = 0; i < h->nr_vps; i++) {
		void *slot = vsp_vp_slot(h, i);
		void *flags = vsp_vp_flags(h, i);

		bool busy = slot && vsp_slot_type(slot) != VSC_HV_MSG_NONE;

		/* A message left flagged by the last generation may be EOMed. */
		if (busy && vsp_slot_pending(slot))
			h->vp[i].pending_credit = 1;
		if (busy || (flags && vsp_flags_any(flags)))
			vsp_vp_raise(h, i);
	}
}

static void on_signal(void *ctx, unsigned int conn)
{
	struct vsp_host *h = ctx;

	h->st.signals++;
	h->st.signals_by_conn[conn % VSC_SIM_CONN_IDS]++;
	if (!h->vmbus || !vsp_vmbus_signal(h->vmbus, conn))
		h->st.signals_unrouted++;
}

/* Dispatches a valid post; false if it must wait (held). */
static bool dispatch(struct vsp_host *h, const struct vsp_post *p)
{
	if (p->conn_id == VSC_SIM_ECHO_CONNECTION_ID)
		return vsp_echo_handle(h, p) != VSP_ECHO_RETRY;
	h->st.posts_vmbus++;
	if (h->vmbus)
		return vsp_vmbus_post(h->vmbus, p);
	return true;
}

static bool scan_mailbox(struct vsp_host *h)
{
	struct vsc_hv_post_message copy;
	enum vsp_mb_state st;
	uint32_t avail, prod, shared_cons, i;
	struct vsp_post post;
	enum vsp_post_err err;

	shared_cons = vsp_mailbox_cons(h->bar2);
	if (shared_cons != h->cons) {
		vsp_host_violation(h, VSP_V_CONS_WRITTEN,
				   "mailbox cons is %u, host's is %u; restored",
				   shared_cons, h->cons);
		vsp_mailbox_set_cons(h->bar2, h->cons);
	}
	st = vsp_mailbox_peek(h->bar2, h->cons, &avail, &prod);
	if (h->held) {
		/* Posts wait behind the held one: published, not ignored. */
		if (!dispatch(h, &h->held_post))
			return st != VSP_MB_EMPTY;
		h->held = false;
	}
	if (st == VSP_MB_EMPTY)
		return false;
	if (st == VSP_MB_CORRUPT) {
		vsp_host_violation(h, VSP_V_MAILBOX_OVERRUN,
				   "mailbox prod %u, cons %u: more than %u ahead",
				   prod, h->cons, VSC_SIM_MAILBOX_SLOTS);
		return true;
	}
	if (h->nasty && avail > 2) {
		/* Slow host: a couple of posts now, the rest on a later scan. */
		avail = 2;
		h->nasty_throttled++;
	}
	for (i = 0; i < avail; i++) {
		vsp_mailbox_take(h->bar2, h->cons, &copy);
		h->cons++;
		h->st.posts++;
		err = vsp_post_parse(&copy, h->vmbus_conn, &post);
		if (err != VSP_POST_OK) {
			enum vsp_violation v = err == VSP_POST_BAD_SIZE ?
				VSP_V_POST_SIZE : err == VSP_POST_BAD_CONN ?
				VSP_V_POST_CONN : VSP_V_POST_TYPE;

			vsp_host_violation(h, v,
					   "post %u: %s (connection_id %#x, message_type %#x, payload_size %u)",
					   h->cons - 1, vsp_post_err_name(err),
					   le32_to_cpu(copy.connection_id),
					   le32_to_cpu(copy.message_type),
					   le32_to_cpu(copy.payload_size));
			continue;
		}
		if (!dispatch(h, &post)) {
			h->held = true;
			h->held_post = post;
			break;
		}
	}
	return true;
}

static bool scan(struct vsp_host *h)
{
	enum ready_change ready;
	bool found;

	check_header(h);
	ready = scan_ready(h);
	found = ready != READY_SAME;
	found |= scan_vps(h);
	if (ready == READY_NEW)
		rearm(h);
	/* EOMs made room: VMBus messages waiting for it go now. */
	if (h->vmbus)
		vsp_vmbus_flush(h->vmbus);
	if (vsp_signals_take(h->bar2, on_signal, h))
		found = true;
	found |= scan_mailbox(h);
	return found;
}

void vsp_host_nasty_tick(struct vsp_host *h)
{
	uint64_t pending = __atomic_exchange_n(&h->nasty_deferred, 0,
					       __ATOMIC_ACQ_REL);
	unsigned int n;

	for (n = 0; n < h->nr_vps; n++)
		if (pending & (1ULL << n))
			vsp_vp_raise_now(h, n);
	/* xorshift: one spurious interrupt every 16 ticks, on a random VP. */
	h->nasty_rng ^= h->nasty_rng << 13;
	h->nasty_rng ^= h->nasty_rng >> 17;
	h->nasty_rng ^= h->nasty_rng << 5;
	if (!(h->nasty_rng & 15)) {
		h->nasty_spurious++;
		vsp_vp_raise_now(h, (h->nasty_rng >> 8) % h->nr_vps);
	}
	sh_xchg32(h->bar2, W_PENDING, 0);
	if (scan(h))
		h->tick_took = true;
}

bool vsp_host_doorbell(struct vsp_host *h)
{
	bool found;

	h->st.doorbells++;
	sh_xchg32(h->bar2, W_PENDING, 0);
	found = scan(h);
	/*
	 * The tick may have taken what this doorbell announces: the guest
	 * published, the tick scanned, then the guest rang (it saw the
	 * pending flag the tick had cleared). Not the guest's fault.
	 */
	if (!found && h->tick_took)
		found = true;
	h->tick_took = false;
	if (!found) {
		h->st.doorbells_empty++;
		if (h->st.doorbells_empty > VSP_EMPTY_SLACK_ABS +
		    h->st.doorbells / VSP_EMPTY_SLACK_DIV)
			vsp_host_violation(h, VSP_V_DOORBELL_EMPTY,
					   "%llu of %llu doorbells had nothing published",
					   (unsigned long long)h->st.doorbells_empty,
					   (unsigned long long)h->st.doorbells);
	}
	return found;
}
