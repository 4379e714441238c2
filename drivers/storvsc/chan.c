// SPDX-License-Identifier: GPL-2.0
/*
 * The VMBus channel of a vsc_storvsc controller: open it, run the VSTOR
 * init sequence one step at a time (init.c says what to send and checks
 * each answer), take packets off the ring in the channel callback, and
 * reset the bus for the SCSI error handler.
 *
 * Control packets (init steps, resets) carry ids of their own and are
 * answered through @ctl_done; everything else the host sends goes to
 * vsc_stor_complete(), which trusts none of it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>

#include "init.h"
#include "storvsc.h"

/* The host broke the protocol: no more I/O on this controller. */
static void vsc_stor_broken(struct vsc_stor *s, const char *why)
{
	if (why)
		vsc_vmbus_chan_broken(s->ch, why);
	WRITE_ONCE(s->gone, true);
	vsc_stor_fail_all(s, DID_NO_CONNECT);
}

/* An answer to the control packet in flight, if it is the one. */
static bool vsc_stor_ctl_answer(struct vsc_stor *s, const struct vsc_ring_pkt *pkt)
{
	bool mine;

	spin_lock(&s->ctl_spin);
	mine = s->ctl_id && pkt->trans_id == s->ctl_id;
	if (mine) {
		s->ctl_len = min_t(u32, pkt->data_len, sizeof(s->ctl_reply));
		memcpy(s->ctl_reply, pkt->data, s->ctl_len);
		s->ctl_id = 0;
		complete(&s->ctl_done);
	}
	spin_unlock(&s->ctl_spin);
	return mine;
}

/*
 * Reads a batch: one lock, one read-index publication, one signal decision
 * for all of it. A completion is handled in place (the midlayer's
 * scsi_done() does not sleep), control answers are copied out.
 */
static void vsc_stor_onchannel(struct vsc_vmbus_channel *ch, void *ctx)
{
	struct vsc_stor *s = ctx;
	struct vsc_ring_pkt pkt;
	unsigned int n;
	u32 len;
	int ret;

	ret = vsc_vmbus_recv_begin(ch);
	for (n = 0; !ret && n < VSC_STOR_BUDGET; n++) {
		ret = vsc_vmbus_recv_pkt(ch, &pkt, &len);
		if (ret)
			break;
		if (pkt.type != VSC_PKT_COMPLETION &&
		    pkt.type != VSC_PKT_DATA_INBAND) {
			dev_err_ratelimited(&s->vdev->dev,
					    "packet type %u ignored\n", pkt.type);
			continue;
		}
		if (vsc_stor_ctl_answer(s, &pkt))
			continue;
		vsc_stor_complete(s, pkt.data, pkt.data_len, pkt.trans_id);
	}
	vsc_vmbus_recv_end(ch);
	/* -EIO: the bus found the ring corrupt and calls vsc_stor_ring_broken. */
	if (ret == -EMSGSIZE)
		vsc_stor_broken(s, "packet longer than any VSTOR packet");
}

/* The bus found a ring of the channel corrupt (process context). */
static void vsc_stor_ring_broken(struct vsc_vmbus_channel *ch, void *ctx)
{
	vsc_stor_broken(ctx, NULL);
}

/*
 * Sends a control packet and waits for its answer, left in s->ctl_reply.
 * Caller holds ctl_lock.
 */
static int vsc_stor_ctl(struct vsc_stor *s, struct vsc_vstor_packet *p, u64 id,
			unsigned long timeout)
{
	int ret;

	reinit_completion(&s->ctl_done);
	spin_lock_bh(&s->ctl_spin);
	s->ctl_id = id;
	spin_unlock_bh(&s->ctl_spin);
	ret = vsc_vmbus_send(s->ch, p, vsc_vstor_packet_size(s->version), id,
			     true);
	if (!ret && !wait_for_completion_timeout(&s->ctl_done, timeout))
		ret = -ETIMEDOUT;
	spin_lock_bh(&s->ctl_spin);
	if (s->ctl_id == id) {	/* no answer: a late one is dropped */
		s->ctl_id = 0;
		if (!ret)
			ret = -ETIMEDOUT;
	}
	spin_unlock_bh(&s->ctl_spin);
	return ret;
}

static int vsc_stor_handshake(struct vsc_stor *s)
{
	struct vsc_vstor_packet p;
	struct vsc_stor_init st;
	int ret;

	mutex_lock(&s->ctl_lock);
	s->version = 0;
	vsc_stor_init_start(&st, &p);
	do {
		ret = vsc_stor_ctl(s, &p, VSC_STOR_ID_INIT, VSC_STOR_INIT_TIMEOUT);
		if (ret) {
			dev_err(&s->vdev->dev, "VSTOR %s: %s\n",
				vsc_stor_init_step(&st),
				ret == -ETIMEDOUT ? "no answer in 5 s" : "send failed");
			break;
		}
		ret = vsc_stor_init_next(&st, s->ctl_reply, s->ctl_len, &p);
		if (ret < 0)
			dev_err(&s->vdev->dev, "VSTOR %s failed: %d, host status %#x\n",
				vsc_stor_init_step(&st), ret, st.status);
	} while (ret > 0);
	mutex_unlock(&s->ctl_lock);
	if (ret)
		return ret;
	s->version = st.version;
	s->props = st.props;
	dev_info(&s->vdev->dev, "VSTOR %u.%u, max transfer %u KiB%s\n",
		 st.version >> 8, st.version & 0xff, st.props.max_transfer / 1024,
		 st.props.multi_channel ? ", multi-channel" : "");
	return 0;
}

/**
 * vsc_stor_connect() - open the controller's channel and initialize VSTOR
 * @s: the controller, with @vdev set
 *
 * Return: 0, or a negative errno after the reason was logged.
 */
int vsc_stor_connect(struct vsc_stor *s)
{
	struct vsc_vmbus_open_opts o = {
		.send_bytes = VSC_STOR_RING,
		.recv_bytes = VSC_STOR_RING,
		.cpu = -1,			/* the bus spreads controllers */
		.max_pkt = VSC_STOR_RX,
		.onchannel = vsc_stor_onchannel,
		.ctx = s,
		.broken = vsc_stor_ring_broken,
	};
	int ret;

	s->ch = s->vdev->channel;
	mutex_init(&s->ctl_lock);
	spin_lock_init(&s->ctl_spin);
	init_completion(&s->ctl_done);
	s->gen = 1;
	ret = vsc_vmbus_open_with(s->ch, &o);
	if (ret) {
		dev_err(&s->vdev->dev, "cannot open the channel: %d\n", ret);
		return ret;
	}
	ret = vsc_stor_handshake(s);
	if (ret)
		vsc_vmbus_close(s->ch);
	return ret;
}

/**
 * vsc_stor_disconnect() - close the channel
 * @s: the controller
 *
 * The SCSI host is gone by now, so no command is in flight, except after
 * a rescind, where vsc_stor_fail_all() has completed them.
 */
void vsc_stor_disconnect(struct vsc_stor *s)
{
	vsc_vmbus_close(s->ch);
}

/**
 * vsc_stor_reset() - reset the bus, for the SCSI error handler
 * @s: the controller
 *
 * The host answers RESET_BUS once every request it had has completed; the
 * generation moves on so that a completion sent even later is dropped.
 *
 * Return: 0, or a negative errno.
 */
int vsc_stor_reset(struct vsc_stor *s)
{
	struct vsc_vstor_packet p;
	int ret;

	if (READ_ONCE(s->gone))
		return -ENODEV;
	mutex_lock(&s->ctl_lock);
	vsc_stor_build(&p, VSC_VSTOR_OP_RESET_BUS);
	ret = vsc_stor_ctl(s, &p, VSC_STOR_ID_RESET, VSC_STOR_RESET_TIMEOUT);
	/* The host answers only after every request it had completed. */
	if (!ret)
		WRITE_ONCE(s->gen, s->gen + 1);
	mutex_unlock(&s->ctl_lock);
	if (ret)
		dev_err(&s->vdev->dev, "bus reset: %s\n",
			ret == -ETIMEDOUT ? "no answer in 30 s" : "send failed");
	return ret;
}
