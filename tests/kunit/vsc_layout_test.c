// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: every structure of include/vsc/ against its counterpart in the
 * kernel's own headers (<linux/hyperv.h>, <asm/hyperv-tlfs.h>): same size,
 * same offset of every field. Guest and host share our headers, so a
 * misreading there would be shared too; the kernel's drivers are the
 * independent witness.
 */
#include <kunit/test.h>
#include <linux/hyperv.h>
#include <vsc/hv.h>
#include <vsc/vmbus.h>
#include <vsc/ring.h>

#define EXPECT_SIZE(test, ours, theirs) \
	KUNIT_EXPECT_EQ_MSG(test, sizeof(ours), sizeof(theirs), \
			    #ours " vs " #theirs)
#define EXPECT_FIELD(test, ours, of, theirs, tf) \
	KUNIT_EXPECT_EQ_MSG(test, offsetof(ours, of), offsetof(theirs, tf), \
			    #ours "." #of " vs " #theirs "." #tf)

/*
 * vsc_layout_broken_test.ko builds this file with VSC_LAYOUT_BREAK: one
 * comparison names the wrong field, and make check requires that case to
 * fail, which shows the suite can.
 */
static void vsc_layout_selftest(struct kunit *test)
{
#ifdef VSC_LAYOUT_BREAK
	EXPECT_FIELD(test, struct vsc_vmbus_open_channel, target_vp,
		     struct vmbus_channel_open_channel, openid);
#else
	EXPECT_FIELD(test, struct vsc_vmbus_open_channel, target_vp,
		     struct vmbus_channel_open_channel, target_vp);
#endif
}

static void vsc_layout_synic(struct kunit *test)
{
	EXPECT_SIZE(test, struct vsc_hv_message_header, struct hv_message_header);
	EXPECT_FIELD(test, struct vsc_hv_message_header, message_type,
		     struct hv_message_header, message_type);
	EXPECT_FIELD(test, struct vsc_hv_message_header, payload_size,
		     struct hv_message_header, payload_size);
	EXPECT_FIELD(test, struct vsc_hv_message_header, message_flags,
		     struct hv_message_header, message_flags);
	EXPECT_FIELD(test, struct vsc_hv_message_header, sender,
		     struct hv_message_header, sender);
	EXPECT_SIZE(test, struct vsc_hv_message, struct hv_message);
	EXPECT_FIELD(test, struct vsc_hv_message, payload, struct hv_message, u);
	EXPECT_SIZE(test, struct vsc_hv_message_page, struct hv_message_page);
	EXPECT_SIZE(test, struct vsc_hv_event_flags, union hv_synic_event_flags);
	KUNIT_EXPECT_EQ(test, VSC_HV_MESSAGE_PAYLOAD, HV_MESSAGE_PAYLOAD_BYTE_COUNT);
	KUNIT_EXPECT_EQ(test, VSC_SINT_COUNT, HV_SYNIC_SINT_COUNT);
}

static void vsc_layout_offer(struct kunit *test)
{
	EXPECT_SIZE(test, struct vsc_vmbus_msg_header,
		    struct vmbus_channel_message_header);
	EXPECT_SIZE(test, struct vsc_vmbus_offer, struct vmbus_channel_offer);
	EXPECT_FIELD(test, struct vsc_vmbus_offer, if_instance,
		     struct vmbus_channel_offer, if_instance);
	EXPECT_FIELD(test, struct vsc_vmbus_offer, reserved1,
		     struct vmbus_channel_offer, reserved1);
	EXPECT_FIELD(test, struct vsc_vmbus_offer, chn_flags,
		     struct vmbus_channel_offer, chn_flags);
	EXPECT_FIELD(test, struct vsc_vmbus_offer, mmio_megabytes,
		     struct vmbus_channel_offer, mmio_megabytes);
	EXPECT_FIELD(test, struct vsc_vmbus_offer, user_defined,
		     struct vmbus_channel_offer, u);
	EXPECT_FIELD(test, struct vsc_vmbus_offer, sub_channel_index,
		     struct vmbus_channel_offer, sub_channel_index);
	EXPECT_SIZE(test, struct vsc_vmbus_offer_channel,
		    struct vmbus_channel_offer_channel);
	EXPECT_FIELD(test, struct vsc_vmbus_offer_channel, offer,
		     struct vmbus_channel_offer_channel, offer);
	EXPECT_FIELD(test, struct vsc_vmbus_offer_channel, child_relid,
		     struct vmbus_channel_offer_channel, child_relid);
	EXPECT_FIELD(test, struct vsc_vmbus_offer_channel, monitorid,
		     struct vmbus_channel_offer_channel, monitorid);
	EXPECT_FIELD(test, struct vsc_vmbus_offer_channel, connection_id,
		     struct vmbus_channel_offer_channel, connection_id);
	EXPECT_SIZE(test, struct vsc_vmbus_relid_msg,
		    struct vmbus_channel_rescind_offer);
	EXPECT_SIZE(test, struct vsc_vmbus_relid_msg,
		    struct vmbus_channel_close_channel);
	EXPECT_SIZE(test, struct vsc_vmbus_relid_msg,
		    struct vmbus_channel_relid_released);
	EXPECT_FIELD(test, struct vsc_vmbus_relid_msg, child_relid,
		     struct vmbus_channel_rescind_offer, child_relid);
}

static void vsc_layout_open(struct kunit *test)
{
	EXPECT_SIZE(test, struct vsc_vmbus_open_channel,
		    struct vmbus_channel_open_channel);
	EXPECT_FIELD(test, struct vsc_vmbus_open_channel, openid,
		     struct vmbus_channel_open_channel, openid);
	EXPECT_FIELD(test, struct vsc_vmbus_open_channel, ringbuffer_gpadl,
		     struct vmbus_channel_open_channel, ringbuffer_gpadlhandle);
	EXPECT_FIELD(test, struct vsc_vmbus_open_channel, target_vp,
		     struct vmbus_channel_open_channel, target_vp);
	EXPECT_FIELD(test, struct vsc_vmbus_open_channel,
		     downstream_ring_pageoffset, struct vmbus_channel_open_channel,
		     downstream_ringbuffer_pageoffset);
	EXPECT_FIELD(test, struct vsc_vmbus_open_channel, userdata,
		     struct vmbus_channel_open_channel, userdata);
	EXPECT_SIZE(test, struct vsc_vmbus_open_result,
		    struct vmbus_channel_open_result);
	EXPECT_FIELD(test, struct vsc_vmbus_open_result, openid,
		     struct vmbus_channel_open_result, openid);
	EXPECT_FIELD(test, struct vsc_vmbus_open_result, status,
		     struct vmbus_channel_open_result, status);
	EXPECT_SIZE(test, struct vsc_vmbus_modifychannel,
		    struct vmbus_channel_modifychannel);
	EXPECT_FIELD(test, struct vsc_vmbus_modifychannel, target_vp,
		     struct vmbus_channel_modifychannel, target_vp);
	EXPECT_SIZE(test, struct vsc_vmbus_modifychannel_response,
		    struct vmbus_channel_modifychannel_response);
	EXPECT_FIELD(test, struct vsc_vmbus_modifychannel_response, status,
		     struct vmbus_channel_modifychannel_response, status);
	EXPECT_SIZE(test, struct vsc_vmbus_tl_connect_request,
		    struct vmbus_channel_tl_connect_request);
	EXPECT_FIELD(test, struct vsc_vmbus_tl_connect_request, host_service_id,
		     struct vmbus_channel_tl_connect_request, host_service_id);
}

static void vsc_layout_gpadl(struct kunit *test)
{
	EXPECT_SIZE(test, struct vsc_vmbus_gpadl_header,
		    struct vmbus_channel_gpadl_header);
	EXPECT_FIELD(test, struct vsc_vmbus_gpadl_header, gpadl,
		     struct vmbus_channel_gpadl_header, gpadl);
	EXPECT_FIELD(test, struct vsc_vmbus_gpadl_header, range_buflen,
		     struct vmbus_channel_gpadl_header, range_buflen);
	EXPECT_FIELD(test, struct vsc_vmbus_gpadl_header, rangecount,
		     struct vmbus_channel_gpadl_header, rangecount);
	EXPECT_SIZE(test, struct vsc_gpa_range, struct gpa_range);
	EXPECT_FIELD(test, struct vsc_gpa_range, pfn, struct gpa_range, pfn_array);
	EXPECT_SIZE(test, struct vsc_vmbus_gpadl_body,
		    struct vmbus_channel_gpadl_body);
	EXPECT_FIELD(test, struct vsc_vmbus_gpadl_body, gpadl,
		     struct vmbus_channel_gpadl_body, gpadl);
	EXPECT_FIELD(test, struct vsc_vmbus_gpadl_body, pfn,
		     struct vmbus_channel_gpadl_body, pfn);
	EXPECT_SIZE(test, struct vsc_vmbus_gpadl_created,
		    struct vmbus_channel_gpadl_created);
	EXPECT_FIELD(test, struct vsc_vmbus_gpadl_created, creation_status,
		     struct vmbus_channel_gpadl_created, creation_status);
	EXPECT_SIZE(test, struct vsc_vmbus_gpadl_teardown,
		    struct vmbus_channel_gpadl_teardown);
	EXPECT_FIELD(test, struct vsc_vmbus_gpadl_teardown, gpadl,
		     struct vmbus_channel_gpadl_teardown, gpadl);
	EXPECT_SIZE(test, struct vsc_vmbus_gpadl_torndown,
		    struct vmbus_channel_gpadl_torndown);
	EXPECT_FIELD(test, struct vsc_vmbus_gpadl_torndown, gpadl,
		     struct vmbus_channel_gpadl_torndown, gpadl);
}

static void vsc_layout_contact(struct kunit *test)
{
	EXPECT_SIZE(test, struct vsc_vmbus_initiate_contact,
		    struct vmbus_channel_initiate_contact);
	EXPECT_FIELD(test, struct vsc_vmbus_initiate_contact,
		     vmbus_version_requested, struct vmbus_channel_initiate_contact,
		     vmbus_version_requested);
	EXPECT_FIELD(test, struct vsc_vmbus_initiate_contact, target_vcpu,
		     struct vmbus_channel_initiate_contact, target_vcpu);
	EXPECT_FIELD(test, struct vsc_vmbus_initiate_contact, interrupt_page,
		     struct vmbus_channel_initiate_contact, interrupt_page);
	EXPECT_FIELD(test, struct vsc_vmbus_initiate_contact, msg_sint,
		     struct vmbus_channel_initiate_contact, msg_sint);
	EXPECT_FIELD(test, struct vsc_vmbus_initiate_contact, msg_vtl,
		     struct vmbus_channel_initiate_contact, msg_vtl);
	EXPECT_FIELD(test, struct vsc_vmbus_initiate_contact, monitor_page1,
		     struct vmbus_channel_initiate_contact, monitor_page1);
	EXPECT_FIELD(test, struct vsc_vmbus_initiate_contact, monitor_page2,
		     struct vmbus_channel_initiate_contact, monitor_page2);
	EXPECT_SIZE(test, struct vsc_vmbus_version_response,
		    struct vmbus_channel_version_response);
	EXPECT_FIELD(test, struct vsc_vmbus_version_response, version_supported,
		     struct vmbus_channel_version_response, version_supported);
	EXPECT_FIELD(test, struct vsc_vmbus_version_response, connection_state,
		     struct vmbus_channel_version_response, connection_state);
	EXPECT_FIELD(test, struct vsc_vmbus_version_response, msg_conn_id,
		     struct vmbus_channel_version_response, msg_conn_id);
	KUNIT_EXPECT_EQ(test, VSC_VMBUS_VERSION_WIN10_V5_3, VERSION_WIN10_V5_3);
	KUNIT_EXPECT_EQ(test, VSC_VMBUS_VERSION_WIN8_1, VERSION_WIN8_1);
	KUNIT_EXPECT_EQ(test, VSC_VMBUS_MSG_MODIFYCHANNEL_RESPONSE,
			CHANNELMSG_MODIFYCHANNEL_RESPONSE);
}

static void vsc_layout_ring(struct kunit *test)
{
	EXPECT_SIZE(test, struct vsc_ring_control, struct hv_ring_buffer);
	EXPECT_FIELD(test, struct vsc_ring_control, read_index,
		     struct hv_ring_buffer, read_index);
	EXPECT_FIELD(test, struct vsc_ring_control, interrupt_mask,
		     struct hv_ring_buffer, interrupt_mask);
	EXPECT_FIELD(test, struct vsc_ring_control, pending_send_sz,
		     struct hv_ring_buffer, pending_send_sz);
	EXPECT_FIELD(test, struct vsc_ring_control, feature_bits,
		     struct hv_ring_buffer, feature_bits);
	EXPECT_SIZE(test, struct vsc_packet_desc, struct vmpacket_descriptor);
	EXPECT_FIELD(test, struct vsc_packet_desc, offset8,
		     struct vmpacket_descriptor, offset8);
	EXPECT_FIELD(test, struct vsc_packet_desc, len8,
		     struct vmpacket_descriptor, len8);
	EXPECT_FIELD(test, struct vsc_packet_desc, flags,
		     struct vmpacket_descriptor, flags);
	EXPECT_FIELD(test, struct vsc_packet_desc, trans_id,
		     struct vmpacket_descriptor, trans_id);
	EXPECT_SIZE(test, struct vsc_xfer_page_range,
		    struct vmtransfer_page_range);
	EXPECT_SIZE(test, struct vsc_xfer_page_header,
		    struct vmtransfer_page_packet_header);
	EXPECT_FIELD(test, struct vsc_xfer_page_header, xfer_pageset_id,
		     struct vmtransfer_page_packet_header, xfer_pageset_id);
	EXPECT_FIELD(test, struct vsc_xfer_page_header, sender_owns_set,
		     struct vmtransfer_page_packet_header, sender_owns_set);
	EXPECT_FIELD(test, struct vsc_xfer_page_header, range_count,
		     struct vmtransfer_page_packet_header, range_cnt);
	EXPECT_FIELD(test, struct vsc_xfer_page_header, ranges,
		     struct vmtransfer_page_packet_header, ranges);
	EXPECT_FIELD(test, struct vsc_gpa_direct_header, range_count,
		     struct vmdata_gpa_direct, range_cnt);
	KUNIT_EXPECT_EQ(test, sizeof(struct vsc_gpa_direct_header),
			offsetof(struct vmbus_packet_mpb_array, range));
	EXPECT_SIZE(test, struct vsc_gpadl_packet_header,
		    struct vmgpadl_packet_header);
	EXPECT_FIELD(test, struct vsc_gpadl_packet_header, gpadl,
		     struct vmgpadl_packet_header, gpadl);
	EXPECT_SIZE(test, struct vsc_xfer_pageset_packet,
		    struct vmadd_remove_transfer_page_set);
	EXPECT_FIELD(test, struct vsc_xfer_pageset_packet, xfer_pageset_id,
		     struct vmadd_remove_transfer_page_set, xfer_pageset_id);
	KUNIT_EXPECT_EQ(test, VSC_PKT_DATA_GPA_DIRECT, VM_PKT_DATA_USING_GPA_DIRECT);
	KUNIT_EXPECT_EQ(test, VSC_PKT_COMPLETION, VM_PKT_COMP);
}

static struct kunit_case vsc_layout_cases[] = {
	KUNIT_CASE(vsc_layout_selftest),
	KUNIT_CASE(vsc_layout_synic),
	KUNIT_CASE(vsc_layout_offer),
	KUNIT_CASE(vsc_layout_open),
	KUNIT_CASE(vsc_layout_gpadl),
	KUNIT_CASE(vsc_layout_contact),
	KUNIT_CASE(vsc_layout_ring),
	{}
};

static struct kunit_suite vsc_layout_suite = {
#ifdef VSC_LAYOUT_BREAK
	.name = "vsc_layout_broken",
#else
	.name = "vsc_layout_hyperv",
#endif
	.test_cases = vsc_layout_cases,
};
kunit_test_suite(vsc_layout_suite);

MODULE_DESCRIPTION("KUnit: VSC wire formats against the kernel's Hyper-V headers");
MODULE_LICENSE("GPL");
