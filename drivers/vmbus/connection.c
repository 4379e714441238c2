// SPDX-License-Identifier: GPL-2.0
/*
 * The connection to the host's VMBus: posting channel messages, version
 * negotiation, UNLOAD, and the dispatch of the messages the host sends.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/slab.h>

#include "hypercall/vsc_hypercall.h"
#include "vmbus_core.h"
#include "trace.h"

/* Newest first; every one of them supports UNLOAD. */
static const u32 vsc_vmbus_versions[] = {
	VSC_VMBUS_VERSION_WIN10_V5_3,
	VSC_VMBUS_VERSION_WIN10_V5_2,
	VSC_VMBUS_VERSION_WIN10_V5_1,
	VSC_VMBUS_VERSION_WIN10_V5,
	VSC_VMBUS_VERSION_WIN10_V4_1,
	VSC_VMBUS_VERSION_WIN10,
	VSC_VMBUS_VERSION_WIN8_1,
};

/* Posts to @conn_id, retrying while the host's mailbox is full. */
static int vsc_vmbus_post_to(u32 conn_id, const void *msg, u32 len)
{
	unsigned int tries, delay = 1;
	u64 status;

	for (tries = 0; tries < 100; tries++) {
		status = vsc_hc_post_message(conn_id, VSC_HV_MSGTYPE_VMBUS, msg,
					     len) & VSC_HV_STATUS_MASK;
		switch (status) {
		case VSC_HV_STATUS_SUCCESS:
			return 0;
		case VSC_HV_STATUS_INSUFFICIENT_BUFFERS:
		case VSC_HV_STATUS_INSUFFICIENT_MEMORY:
			usleep_range(delay * 10, delay * 20);
			delay = min(delay * 2, 100U);
			continue;
		case VSC_HV_STATUS_INVALID_CONNECTION_ID:
			return -ENXIO;
		default:
			return -EIO;
		}
	}
	return -EAGAIN;
}

/**
 * vsc_vmbus_post() - post a channel message to the host
 * @conn: the connection
 * @msg: the message, header included
 * @len: its length, at most 240
 *
 * May sleep. Return: 0, -EAGAIN if the host's mailbox stayed full, or
 * -ENXIO/-EIO for the hypercall's other failures.
 */
int vsc_vmbus_post(struct vsc_vmbus_conn *conn, const void *msg, u32 len)
{
	int ret = vsc_vmbus_post_to(conn->msg_conn_id, msg, len);

	trace_vsc_vmbus_msg_post(le32_to_cpu(((const struct vsc_vmbus_msg_header *)msg)->msgtype),
				 len, ret);
	return ret;
}

static int vsc_vmbus_try_version(struct vsc_vmbus_conn *conn, u32 version)
{
	struct vsc_vmbus_initiate_contact m = { 0 };
	u32 conn_id = VSC_VMBUS_MESSAGE_CONNECTION_ID;
	int vp = vsc_hc_vp_index(0), ret;

	if (vp < 0)
		return -ENODEV;
	m.header.msgtype = cpu_to_le32(VSC_VMBUS_MSG_INITIATE_CONTACT);
	m.vmbus_version_requested = cpu_to_le32(version);
	m.target_vcpu = cpu_to_le32(vp);
	if (version >= VSC_VMBUS_VERSION_WIN10_V5) {
		m.msg_sint = VSC_VMBUS_SINT;
		conn_id = VSC_VMBUS_MESSAGE_CONNECTION_ID_4;
	} else {
		m.interrupt_page = cpu_to_le64(virt_to_phys(conn->int_page));
	}
	m.monitor_page1 = cpu_to_le64(virt_to_phys(conn->monitor_pages));
	m.monitor_page2 = cpu_to_le64(virt_to_phys(conn->monitor_pages) +
				      PAGE_SIZE);

	reinit_completion(&conn->version_done);
	ret = vsc_vmbus_post_to(conn_id, &m, sizeof(m));
	if (ret)
		return ret;
	if (!wait_for_completion_timeout(&conn->version_done,
					 VSC_VMBUS_REPLY_TIMEOUT))
		return -ETIMEDOUT;
	if (!conn->version_resp.version_supported)
		return -EPROTONOSUPPORT;
	if (conn->version_resp.connection_state != VSC_VMBUS_CONNECTION_OK) {
		dev_err(conn->dev, "host accepted version %u.%u but its connection state is %u\n",
			version >> 16, version & 0xffff,
			conn->version_resp.connection_state);
		return -EIO;
	}
	conn->version = version;
	conn->msg_vp = vp;
	conn->msg_conn_id = version >= VSC_VMBUS_VERSION_WIN10_V5 ?
			    conn->version_resp.msg_conn_id :
			    VSC_VMBUS_MESSAGE_CONNECTION_ID;
	return 0;
}

/**
 * vsc_vmbus_connect() - negotiate a version, then ask for the offers
 * @conn: the connection; the ISR must be running
 *
 * Tries every version from the newest down; a host that does not know
 * connection id 4 refuses every 5.x version at once.
 *
 * Return: 0 once ALLOFFERS_DELIVERED arrived, or a negative errno.
 */
int vsc_vmbus_connect(struct vsc_vmbus_conn *conn)
{
	struct vsc_vmbus_msg_header req = {
		.msgtype = cpu_to_le32(VSC_VMBUS_MSG_REQUESTOFFERS),
	};
	unsigned int i;
	u32 v;
	int ret = -EPROTONOSUPPORT;

	conn->monitor_pages = (void *)__get_free_pages(GFP_KERNEL | __GFP_ZERO, 1);
	conn->int_page = (void *)get_zeroed_page(GFP_KERNEL);
	if (!conn->monitor_pages || !conn->int_page)
		return -ENOMEM;

	for (i = 0; i < ARRAY_SIZE(vsc_vmbus_versions); i++) {
		v = vsc_vmbus_versions[i];
		ret = vsc_vmbus_try_version(conn, v);
		if (!ret)
			break;
		if (ret == -ENXIO && v >= VSC_VMBUS_VERSION_WIN10_V5) {
			while (i + 1 < ARRAY_SIZE(vsc_vmbus_versions) &&
			       vsc_vmbus_versions[i + 1] >= VSC_VMBUS_VERSION_WIN10_V5)
				i++;
			continue;
		}
		if (ret != -EPROTONOSUPPORT)
			return ret;
	}
	if (ret) {
		dev_err(conn->dev, "the host accepts none of our VMBus versions\n");
		return ret;
	}
	dev_info(conn->dev, "VMBus version %u.%u, message connection id %#x\n",
		 conn->version >> 16, conn->version & 0xffff, conn->msg_conn_id);

	ret = vsc_vmbus_post(conn, &req, sizeof(req));
	if (ret)
		return ret;
	if (!wait_for_completion_timeout(&conn->offers_done,
					 VSC_VMBUS_REPLY_TIMEOUT)) {
		dev_err(conn->dev, "no ALLOFFERS_DELIVERED from the host\n");
		return -ETIMEDOUT;
	}
	/* Offers are created in order on conn->wq: let them land. */
	flush_workqueue(conn->wq);
	return 0;
}

/**
 * vsc_vmbus_unload() - tell the host we are going away
 * @conn: the connection
 *
 * Waits a bounded time for UNLOAD_RESPONSE; the host resets its state for
 * this guest, so a later connect starts afresh.
 */
void vsc_vmbus_unload(struct vsc_vmbus_conn *conn)
{
	struct vsc_vmbus_msg_header m = {
		.msgtype = cpu_to_le32(VSC_VMBUS_MSG_UNLOAD),
	};

	if (!conn->version)
		return;
	reinit_completion(&conn->unload_done);
	if (vsc_vmbus_post(conn, &m, sizeof(m)) ||
	    !wait_for_completion_timeout(&conn->unload_done,
					 VSC_VMBUS_REPLY_TIMEOUT))
		dev_warn(conn->dev, "no UNLOAD_RESPONSE from the host\n");
	conn->version = 0;
}

/**
 * vsc_vmbus_handle_msg() - act on a message from the host
 * @conn: the connection
 * @buf: the message, copied out of the SynIC slot
 * @len: its length
 *
 * Runs in the message tasklet. Answers to our requests complete their
 * waiters here; offers and rescinds go to the ordered workqueue.
 */
void vsc_vmbus_handle_msg(struct vsc_vmbus_conn *conn, const void *buf, u32 len)
{
	struct vsc_vmbus_hmsg m;
	int ret;

	ret = vsc_vmbus_msg_parse(buf, len, &m);
	trace_vsc_vmbus_msg_recv(m.type, len, ret);
	if (ret) {
		dev_notice_ratelimited(conn->dev, "ignoring host message type %u (%s), %u bytes: %d\n",
				       m.type, vsc_vmbus_msg_name(m.type), len, ret);
		return;
	}
	switch (m.type) {
	case VSC_VMBUS_MSG_VERSION_RESPONSE:
		/* Only an answer to our INITIATE_CONTACT: none once connected. */
		if (READ_ONCE(conn->version)) {
			dev_notice_ratelimited(conn->dev, "VERSION_RESPONSE not asked for\n");
			break;
		}
		conn->version_resp = m;
		complete(&conn->version_done);
		break;
	case VSC_VMBUS_MSG_ALLOFFERS_DELIVERED:
		complete(&conn->offers_done);
		break;
	case VSC_VMBUS_MSG_UNLOAD_RESPONSE:
		complete(&conn->unload_done);
		break;
	case VSC_VMBUS_MSG_RESCIND_CHANNELOFFER:
		vsc_vmbus_rescind_now(conn, m.relid);
		fallthrough;
	case VSC_VMBUS_MSG_OFFERCHANNEL:
		vsc_vmbus_queue_offer_msg(conn, &m);
		break;
	case VSC_VMBUS_MSG_OPENCHANNEL_RESULT:
		vsc_vmbus_open_result(conn, &m);
		break;
	case VSC_VMBUS_MSG_MODIFYCHANNEL_RESPONSE:
		vsc_vmbus_modify_answer(conn, &m);
		break;
	case VSC_VMBUS_MSG_GPADL_CREATED:
	case VSC_VMBUS_MSG_GPADL_TORNDOWN:
		vsc_vmbus_gpadl_answer(conn, &m);
		break;
	default:
		dev_notice_ratelimited(conn->dev, "host message %s not handled\n",
				       vsc_vmbus_msg_name(m.type));
		break;
	}
}
