// SPDX-License-Identifier: GPL-2.0
/* The VMBus server's lines for the control socket: status and channels. */
#include "chan.h"
#include "vmbus.h"

#define U(x) ((unsigned long long)(x))

static const char *const state_names[] = {
	[VSP_CH_FREE] = "free",
	[VSP_CH_OFFERED] = "closed",
	[VSP_CH_OPEN] = "open",
	[VSP_CH_RESCINDED] = "rescinded",
};

const char *vsp_class_name(unsigned int cls)
{
	const struct vsp_dev_class *k = vsp_dev_class(cls);

	return k ? k->name : "?";
}

const char *vsp_chan_state_name(enum vsp_chan_state st)
{
	return st <= VSP_CH_RESCINDED ? state_names[st] : "?";
}

unsigned int vsp_vmbus_nr_channels(const struct vsp_vmbus *vm)
{
	unsigned int r, n = 0;

	for (r = 1; r <= VSP_MAX_CHANNELS; r++)
		n += vm->ch[r].state != VSP_CH_FREE;
	return n;
}

void vsp_vmbus_channels(const struct vsp_vmbus *vm, FILE *out)
{
	unsigned int r;

	for (r = 1; r <= VSP_MAX_CHANNELS; r++) {
		const struct vsp_chan *c = &vm->ch[r];

		if (c->state == VSP_CH_FREE)
			continue;
		fprintf(out, "relid %u class %s instance %u state %s%s vp %u opens %llu",
			r, vsp_class_name(c->cls), c->instance_nr,
			vsp_chan_state_name(c->state),
			c->offered ? "" : ",unoffered",
			__atomic_load_n(&c->target_vp, __ATOMIC_RELAXED),
			U(c->opens));
		if (c->sub_index)
			fprintf(out, " sub %u of %u", c->sub_index, c->primary);
		if (c->state == VSP_CH_OPEN)
			fprintf(out, " gpadl %#x pages %u", c->gpadl,
				c->map_pages);
		vsp_worker_print(c->w, out);
		fputc('\n', out);
	}
}

void vsp_vmbus_status(const struct vsp_vmbus *vm, FILE *out)
{
	unsigned int i, n = 0;

	for (i = 0; i < VSP_MAX_GPADLS; i++)
		n += vm->gp[i].used;
	fprintf(out, "vmbus_version %#x\n", vm->version);
	fprintf(out, "vmbus_vp %u\n", vm->vp);
	fprintf(out, "vmbus_contacts %llu\n", U(vm->st.contacts));
	fprintf(out, "vmbus_unloads %llu\n", U(vm->st.unloads));
	fprintf(out, "vmbus_resets %llu\n", U(vm->st.resets));
	fprintf(out, "vmbus_sent %llu\n", U(vm->st.sent));
	fprintf(out, "vmbus_queued %u\n", vm->len);
	fprintf(out, "vmbus_held %llu\n", U(vm->st.held));
	fprintf(out, "vmbus_gpadls %u\n", n);
	fprintf(out, "vmbus_gpadls_created %llu\n", U(vm->st.gpadls_created));
	fprintf(out, "vmbus_gpadls_failed %llu\n", U(vm->st.gpadls_failed));
	fprintf(out, "vmbus_gpadls_torn %llu\n", U(vm->st.gpadls_torn));
	fprintf(out, "vmbus_opens_failed %llu\n", U(vm->st.opens_failed));
	fprintf(out, "vmbus_sub_requests %llu\n", U(vm->st.sub_requests));
	fprintf(out, "vmbus_sub_offers %llu\n", U(vm->st.sub_offers));
	fprintf(out, "vmbus_sub_dropped %llu\n", U(vm->st.sub_dropped));
	fprintf(out, "vmbus_sub_rescinds %llu\n", U(vm->st.sub_rescinds));
	fprintf(out, "vmbus_send_wakeups %llu\n",
		U(__atomic_load_n(&vm->st.send_wakeups, __ATOMIC_RELAXED)));
	for (i = 1; i < VSC_VMBUS_MSG_COUNT; i++)
		if (vm->st.msgs[i])
			fprintf(out, "vmbus_msg_%u %llu\n", i,
				U(vm->st.msgs[i]));
}
