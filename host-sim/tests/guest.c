// SPDX-License-Identifier: GPL-2.0
/* A test guest for the sim transport; see guest.h. */
#include <string.h>

#include "guest.h"
#include "shared.h"

#define G_OFF(f)	(VSC_SIM_OFF_GUEST + offsetof(struct vsc_sim_guest, f))
#define W_PENDING	(VSC_SIM_OFF_WAKE + \
			 offsetof(struct vsc_sim_wake, doorbell_pending))
#define VP_OFF(n, f)	(VSC_SIM_OFF_VPS + (size_t)(n) * \
			 sizeof(struct vsc_sim_vp) + \
			 offsetof(struct vsc_sim_vp, f))
#define MB_OFF(f)	(VSC_SIM_OFF_MAILBOX + \
			 offsetof(struct vsc_sim_mailbox, f))

void vg_init(struct vg *g, void *bar2, void *ram, uint64_t ram_size,
	     unsigned int nr_vps, void (*ring)(void *ctx), void *ring_ctx)
{
	memset(g, 0, sizeof(*g));
	g->bar2 = bar2;
	g->ram = ram;
	g->ram_size = ram_size;
	g->nr_vps = nr_vps;
	g->ring = ring;
	g->ring_ctx = ring_ctx;
	g->prod = sh_load32(bar2, MB_OFF(prod));
	pthread_mutex_init(&g->post_lock, NULL);
}

void vg_wake(struct vg *g)
{
	sh_fence();
	if (sh_xchg32(g->bar2, W_PENDING, 1) == 0) {
		__atomic_fetch_add(&g->rings, 1, __ATOMIC_RELAXED);
		if (g->ring)
			g->ring(g->ring_ctx);
	}
}

void *vg_gpa(struct vg *g, uint64_t gpa)
{
	if (gpa >= g->ram_size)
		return NULL;
	return g->ram + gpa;
}

void vg_register(struct vg *g, unsigned int vp, uint64_t simp_gpa,
		 uint64_t siefp_gpa)
{
	g->simp[vp] = simp_gpa;
	g->siefp[vp] = siefp_gpa;
	sh_store64(g->bar2, VP_OFF(vp, simp), simp_gpa | VSC_SYNIC_ENABLE);
	sh_store64(g->bar2, VP_OFF(vp, siefp), siefp_gpa | VSC_SYNIC_ENABLE);
}

void vg_register_all(struct vg *g, uint64_t base)
{
	unsigned int i;

	for (i = 0; i < g->nr_vps; i++)
		vg_register(g, i, base + i * 0x2000, base + i * 0x2000 + 0x1000);
}

void vg_ready(struct vg *g, uint32_t gen)
{
	g->generation = gen;
	sh_store32(g->bar2, G_OFF(version), VSC_SIM_VERSION);
	sh_store32(g->bar2, G_OFF(nr_vps), g->nr_vps);
	sh_store32(g->bar2, G_OFF(ready), gen);
	vg_wake(g);
}

int vg_post(struct vg *g, uint32_t conn, uint32_t type, const void *payload,
	    uint32_t size)
{
	struct vsc_hv_post_message m;
	uint32_t cons;

	if (size > VSC_HV_MESSAGE_PAYLOAD)
		return VSC_HV_STATUS_INVALID_INPUT;
	pthread_mutex_lock(&g->post_lock);
	cons = sh_load32(g->bar2, MB_OFF(cons));
	if (g->prod - cons >= VSC_SIM_MAILBOX_SLOTS) {
		g->posts_full++;
		pthread_mutex_unlock(&g->post_lock);
		return VSC_HV_STATUS_INSUFFICIENT_BUFFERS;
	}
	memset(&m, 0, sizeof(m));
	m.connection_id = cpu_to_le32(conn);
	m.message_type = cpu_to_le32(type);
	m.payload_size = cpu_to_le32(size);
	memcpy(m.payload, payload, size);
	memcpy(g->bar2 + VSC_SIM_OFF_SLOTS +
	       (g->prod % VSC_SIM_MAILBOX_SLOTS) * sizeof(m), &m, sizeof(m));
	g->prod++;
	sh_store32(g->bar2, MB_OFF(prod), g->prod);
	pthread_mutex_unlock(&g->post_lock);
	vg_wake(g);
	return VSC_HV_STATUS_SUCCESS;
}

int vg_post_echo(struct vg *g, uint32_t target_vp, uint32_t relid,
		 uint64_t cookie)
{
	struct vsc_sim_echo e = {
		.target_vp = cpu_to_le32(target_vp),
		.signal_relid = cpu_to_le32(relid),
		.cookie = cpu_to_le64(cookie),
	};

	return vg_post(g, VSC_SIM_ECHO_CONNECTION_ID, VSC_SIM_MSGTYPE_ECHO,
		       &e, sizeof(e));
}

int vg_signal(struct vg *g, uint32_t conn)
{
	if (conn >= VSC_SIM_CONN_IDS)
		return VSC_HV_STATUS_INVALID_CONNECTION_ID;
	__atomic_fetch_or(sh_u64(g->bar2, VSC_SIM_OFF_SIGNALS + conn / 64 * 8),
			  htole64(1ULL << (conn % 64)), __ATOMIC_SEQ_CST);
	vg_wake(g);
	return VSC_HV_STATUS_SUCCESS;
}

bool vg_take(struct vg *g, unsigned int vp, struct vsc_hv_message *out)
{
	uint8_t *slot = vg_gpa(g, g->simp[vp] + VSC_VMBUS_SINT *
			       VSC_HV_MESSAGE_SIZE);
	uint8_t flags;

	if (!slot || sh_load32(slot, 0) == VSC_HV_MSG_NONE)
		return false;
	memcpy(out, slot, sizeof(*out));
	sh_store32(slot, 0, VSC_HV_MSG_NONE);
	sh_fence();
	flags = sh_load8(slot, offsetof(struct vsc_hv_message_header,
					message_flags));
	if (flags & VSC_HV_MSG_PENDING) {
		g->eoms[vp]++;
		__atomic_fetch_add(sh_u32(g->bar2, VP_OFF(vp, eom_count)),
				   htole32(1), __ATOMIC_SEQ_CST);
		vg_wake(g);
	}
	return true;
}

unsigned int vg_take_flags(struct vg *g, unsigned int vp, uint64_t *word0)
{
	uint8_t *area = vg_gpa(g, g->siefp[vp] + VSC_VMBUS_SINT *
			       VSC_HV_EVENT_FLAGS_BYTES);
	unsigned int i, n = 0;

	if (word0)
		*word0 = 0;
	if (!area)
		return 0;
	for (i = 0; i < VSC_HV_EVENT_FLAGS_BYTES / 8; i++) {
		uint64_t w = sh_xchg64(area, i * 8, 0);

		if (i == 0 && word0)
			*word0 = w;
		n += __builtin_popcountll(w);
	}
	return n;
}
