// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of host-to-guest channel messages. The caller has copied the
 * message out of the SynIC slot; nothing here reads shared memory. Each
 * type has a minimum size; relids must be in range; types the guest sends
 * (or does not know) are refused, so that the caller can ignore them with a
 * rate-limited note.
 *
 * Return codes: 0; -EMSGSIZE shorter than its type; -ERANGE a relid out of
 * range; -EOPNOTSUPP a type a host does not send or we do not know.
 */
#include "msg.h"

struct vsc_vmbus_msg_rule {
	const char *name;
	u16 min_len;		/* 0: not sent by a host */
	bool has_relid;
};

static const struct vsc_vmbus_msg_rule vsc_vmbus_msg_rules[VSC_VMBUS_MSG_COUNT] = {
	[VSC_VMBUS_MSG_OFFERCHANNEL] = {
		"offer", sizeof(struct vsc_vmbus_offer_channel), true },
	[VSC_VMBUS_MSG_RESCIND_CHANNELOFFER] = {
		"rescind", sizeof(struct vsc_vmbus_relid_msg), true },
	[VSC_VMBUS_MSG_REQUESTOFFERS] = {
		"request-offers", 0, false },
	[VSC_VMBUS_MSG_ALLOFFERS_DELIVERED] = {
		"all-offers-delivered", sizeof(struct vsc_vmbus_msg_header), false },
	[VSC_VMBUS_MSG_OPENCHANNEL] = {
		"open", 0, false },
	[VSC_VMBUS_MSG_OPENCHANNEL_RESULT] = {
		"open-result", sizeof(struct vsc_vmbus_open_result), true },
	[VSC_VMBUS_MSG_CLOSECHANNEL] = {
		"close", 0, false },
	[VSC_VMBUS_MSG_GPADL_HEADER] = {
		"gpadl-header", 0, false },
	[VSC_VMBUS_MSG_GPADL_BODY] = {
		"gpadl-body", 0, false },
	[VSC_VMBUS_MSG_GPADL_CREATED] = {
		"gpadl-created", sizeof(struct vsc_vmbus_gpadl_created), true },
	[VSC_VMBUS_MSG_GPADL_TEARDOWN] = {
		"gpadl-teardown", 0, false },
	[VSC_VMBUS_MSG_GPADL_TORNDOWN] = {
		"gpadl-torndown", sizeof(struct vsc_vmbus_gpadl_torndown), false },
	[VSC_VMBUS_MSG_RELID_RELEASED] = {
		"relid-released", 0, false },
	[VSC_VMBUS_MSG_INITIATE_CONTACT] = {
		"initiate-contact", 0, false },
	/* Hosts before 5.0 may stop after connection_state. */
	[VSC_VMBUS_MSG_VERSION_RESPONSE] = {
		"version-response", offsetof(struct vsc_vmbus_version_response, padding), false },
	[VSC_VMBUS_MSG_UNLOAD] = {
		"unload", 0, false },
	[VSC_VMBUS_MSG_UNLOAD_RESPONSE] = {
		"unload-response", sizeof(struct vsc_vmbus_msg_header), false },
	[VSC_VMBUS_MSG_MODIFYCHANNEL] = {
		"modify-channel", 0, false },
	[VSC_VMBUS_MSG_MODIFYCHANNEL_RESPONSE] = {
		"modify-channel-response", sizeof(struct vsc_vmbus_modifychannel_response), true },
};

/**
 * vsc_vmbus_msg_name() - a channel message type's name, for messages
 * @type: VSC_VMBUS_MSG_*
 *
 * Return: a static string, "unknown" for types we do not know.
 */
const char *vsc_vmbus_msg_name(u32 type)
{
	if (type < VSC_VMBUS_MSG_COUNT && vsc_vmbus_msg_rules[type].name)
		return vsc_vmbus_msg_rules[type].name;
	return "unknown";
}

static u32 vsc_vmbus_msg_relid(const void *buf, u32 type)
{
	const struct vsc_vmbus_offer_channel *offer = buf;
	const struct vsc_vmbus_relid_msg *m = buf;

	/* Every relid-carrying reply but the offer has it right after the header. */
	if (type == VSC_VMBUS_MSG_OFFERCHANNEL)
		return le32_to_cpu(offer->child_relid);
	return le32_to_cpu(m->child_relid);
}

/**
 * vsc_vmbus_msg_parse() - check and decode a message from the host
 * @buf: the message, copied out of shared memory
 * @len: its length as the SynIC slot gave it
 * @out: the decoded message
 *
 * Return: 0 or a negative errno (see the top of this file).
 */
int vsc_vmbus_msg_parse(const void *buf, u32 len, struct vsc_vmbus_hmsg *out)
{
	const struct vsc_vmbus_msg_rule *rule;
	const struct vsc_vmbus_msg_header *h = buf;
	u32 type;

	memset(out, 0, sizeof(*out));
	if (len < sizeof(*h))
		return -EMSGSIZE;
	type = le32_to_cpu(h->msgtype);
	out->type = type;
	if (type >= VSC_VMBUS_MSG_COUNT)
		return -EOPNOTSUPP;
	rule = &vsc_vmbus_msg_rules[type];
	if (!rule->min_len)
		return -EOPNOTSUPP;
	if (len < rule->min_len)
		return -EMSGSIZE;
	if (rule->has_relid) {
		out->relid = vsc_vmbus_msg_relid(buf, type);
		if (!out->relid || out->relid > VSC_VMBUS_MAX_RELID)
			return -ERANGE;
	}

	switch (type) {
	case VSC_VMBUS_MSG_OFFERCHANNEL:
		memcpy(&out->offer, buf, sizeof(out->offer));
		break;
	case VSC_VMBUS_MSG_OPENCHANNEL_RESULT: {
		const struct vsc_vmbus_open_result *m = buf;

		out->openid = le32_to_cpu(m->openid);
		out->status = le32_to_cpu(m->status);
		break;
	}
	case VSC_VMBUS_MSG_GPADL_CREATED: {
		const struct vsc_vmbus_gpadl_created *m = buf;

		out->gpadl = le32_to_cpu(m->gpadl);
		out->status = le32_to_cpu(m->creation_status);
		break;
	}
	case VSC_VMBUS_MSG_GPADL_TORNDOWN: {
		const struct vsc_vmbus_gpadl_torndown *m = buf;

		out->gpadl = le32_to_cpu(m->gpadl);
		break;
	}
	case VSC_VMBUS_MSG_VERSION_RESPONSE: {
		const struct vsc_vmbus_version_response *m = buf;

		out->version_supported = m->version_supported;
		out->connection_state = m->connection_state;
		if (len >= sizeof(*m))
			out->msg_conn_id = le32_to_cpu(m->msg_conn_id);
		break;
	}
	case VSC_VMBUS_MSG_MODIFYCHANNEL_RESPONSE: {
		const struct vsc_vmbus_modifychannel_response *m = buf;

		out->status = le32_to_cpu(m->status);
		break;
	}
	default:
		break;
	}
	return 0;
}
