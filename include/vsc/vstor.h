/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VSTOR, the synthetic SCSI protocol between storvsc (guest) and storvsp
 * (host), as it travels in VMBus in-band packets (docs/protocol-facts.md
 * section 4; docs/storage.md maps each structure here to its counterpart in
 * the kernel's drivers/scsi/storvsc_drv.c).
 *
 * Every packet is a struct vsc_vstor_packet: a 12-byte header and a 0x34-byte
 * body. Protocol versions before Win8 (5.1) used a 0x24-byte SCSI request,
 * so their packets were 0x10 bytes shorter; the versions this suite speaks
 * (6.2, 6.0, 5.1) all use the full size, and vsc_vstor_packet_size() gives
 * the size a version expects.
 */
#ifndef _VSC_VSTOR_H
#define _VSC_VSTOR_H

#include "types.h"

/* Versions: u16, major in the high byte. */
#define VSC_VSTOR_VERSION(major, minor) \
	((__u16)((((major) & 0xff) << 8) | ((minor) & 0xff)))
#define VSC_VSTOR_VERSION_WIN6		VSC_VSTOR_VERSION(2, 0)
#define VSC_VSTOR_VERSION_WIN7		VSC_VSTOR_VERSION(4, 2)
#define VSC_VSTOR_VERSION_WIN8		VSC_VSTOR_VERSION(5, 1)
#define VSC_VSTOR_VERSION_WIN8_1	VSC_VSTOR_VERSION(6, 0)
#define VSC_VSTOR_VERSION_WIN10		VSC_VSTOR_VERSION(6, 2)

/* Operations (vsc_vstor_packet.operation). */
#define VSC_VSTOR_OP_COMPLETE_IO		1
#define VSC_VSTOR_OP_REMOVE_DEVICE		2
#define VSC_VSTOR_OP_EXECUTE_SRB		3
#define VSC_VSTOR_OP_RESET_LUN			4
#define VSC_VSTOR_OP_RESET_ADAPTER		5
#define VSC_VSTOR_OP_RESET_BUS			6
#define VSC_VSTOR_OP_BEGIN_INITIALIZATION	7
#define VSC_VSTOR_OP_END_INITIALIZATION		8
#define VSC_VSTOR_OP_QUERY_PROTOCOL_VERSION	9
#define VSC_VSTOR_OP_QUERY_PROPERTIES		10
#define VSC_VSTOR_OP_ENUMERATE_BUS		11
#define VSC_VSTOR_OP_FCHBA_DATA			12
#define VSC_VSTOR_OP_CREATE_SUB_CHANNELS	13
#define VSC_VSTOR_OP_MAX			13

/* Packet flags: the sender wants a COMPLETE_IO answer. */
#define VSC_VSTOR_FLAG_REQUEST_COMPLETION	0x1

/* NTSTATUS values in vsc_vstor_packet.status (the host's answer). */
#define VSC_VSTOR_ST_SUCCESS			0x00000000u
#define VSC_VSTOR_ST_DEVICE_BUSY		0x80000011u
#define VSC_VSTOR_ST_UNSUCCESSFUL		0xC0000001u
#define VSC_VSTOR_ST_INVALID_PARAMETER		0xC000000Du
#define VSC_VSTOR_ST_INVALID_DEVICE_REQUEST	0xC0000010u
#define VSC_VSTOR_ST_REVISION_MISMATCH		0xC0000059u
#define VSC_VSTOR_ST_INVALID_DEVICE_STATE	0xC0000184u

/* vsc_vstor_srb.data_in: the direction of the data. */
#define VSC_VSTOR_DIR_WRITE		0
#define VSC_VSTOR_DIR_READ		1
#define VSC_VSTOR_DIR_UNKNOWN		2

/*
 * SRB status: a 6-bit code and two flags. AUTOSENSE_VALID says the sense
 * bytes of the answer are valid.
 */
#define VSC_SRB_STATUS_AUTOSENSE_VALID	0x80
#define VSC_SRB_STATUS_QUEUE_FROZEN	0x40
#define VSC_SRB_STATUS_CODE(s)		((s) & 0x3f)

#define VSC_SRB_STATUS_PENDING		0x00
#define VSC_SRB_STATUS_SUCCESS		0x01
#define VSC_SRB_STATUS_ABORTED		0x02
#define VSC_SRB_STATUS_ERROR		0x04
#define VSC_SRB_STATUS_BUSY		0x05
#define VSC_SRB_STATUS_INVALID_REQUEST	0x06
#define VSC_SRB_STATUS_INVALID_PATH_ID	0x07
#define VSC_SRB_STATUS_NO_DEVICE	0x08
#define VSC_SRB_STATUS_TIMEOUT		0x09
#define VSC_SRB_STATUS_SELECTION_TIMEOUT 0x0A
#define VSC_SRB_STATUS_BUS_RESET	0x0E
#define VSC_SRB_STATUS_DATA_OVERRUN	0x12
#define VSC_SRB_STATUS_BAD_SRB_LENGTH	0x15
#define VSC_SRB_STATUS_INVALID_LUN	0x20
#define VSC_SRB_STATUS_INVALID_TARGET	0x21
#define VSC_SRB_STATUS_BAD_FUNCTION	0x22
#define VSC_SRB_STATUS_INTERNAL_ERROR	0x30

/* SRB flags (vsc_vstor_srb.srb_flags, Win8 and later). */
#define VSC_SRB_FLAGS_QUEUE_ACTION_ENABLE	0x00000002
#define VSC_SRB_FLAGS_DISABLE_DISCONNECT	0x00000004
#define VSC_SRB_FLAGS_DISABLE_SYNCH_TRANSFER	0x00000008
#define VSC_SRB_FLAGS_BYPASS_FROZEN_QUEUE	0x00000010
#define VSC_SRB_FLAGS_DISABLE_AUTOSENSE		0x00000020
#define VSC_SRB_FLAGS_DATA_IN			0x00000040
#define VSC_SRB_FLAGS_DATA_OUT			0x00000080
#define VSC_SRB_FLAGS_NO_QUEUE_FREEZE		0x00000100
#define VSC_SRB_FLAGS_ADAPTER_CACHE_ENABLE	0x00000200
#define VSC_SRB_FLAGS_FREE_SENSE_BUFFER		0x00000400

/* Queue tag of an untagged request; the simple-tag queue action. */
#define VSC_SRB_UNTAGGED		0xff
#define VSC_SRB_SIMPLE_TAG_REQUEST	0x20

#define VSC_VSTOR_CDB_MAX		16
/* Sense bytes the request carries: 0x14 from Win8, 0x12 before. */
#define VSC_VSTOR_SENSE_SIZE		0x14
#define VSC_VSTOR_SENSE_SIZE_PRE_WIN8	0x12

/* Addressing limits of a synthetic SCSI controller. */
#define VSC_VSTOR_MAX_TARGETS		2
#define VSC_VSTOR_MAX_LUNS		255
#define VSC_VSTOR_MAX_CHANNELS		8

/*
 * The SCSI request block: the guest's command and the host's answer in the
 * same layout. The CDB and the sense data share 0x14 bytes. The last 0x10
 * bytes exist from Win8 on: older versions sent 0x24 bytes.
 */
struct vsc_vstor_srb {
	__le16 length;			/* sizeof this structure, as sent */
	__u8 srb_status;
	__u8 scsi_status;
	__u8 port_number;
	__u8 path_id;
	__u8 target_id;
	__u8 lun;
	__u8 cdb_length;
	__u8 sense_info_length;
	__u8 data_in;			/* VSC_VSTOR_DIR_* */
	__u8 reserved;
	__le32 data_transfer_length;
	union {
		__u8 cdb[VSC_VSTOR_CDB_MAX];
		__u8 sense_data[VSC_VSTOR_SENSE_SIZE];
	};
	/* Win8 and later. */
	__le16 reserve;
	__u8 queue_tag;
	__u8 queue_action;
	__le32 srb_flags;
	__le32 time_out_value;
	__le32 queue_sort_key;
} __packed;
VSC_LAYOUT(struct vsc_vstor_srb, 0x34);
VSC_FIELD(struct vsc_vstor_srb, srb_status, 2);
VSC_FIELD(struct vsc_vstor_srb, scsi_status, 3);
VSC_FIELD(struct vsc_vstor_srb, port_number, 4);
VSC_FIELD(struct vsc_vstor_srb, path_id, 5);
VSC_FIELD(struct vsc_vstor_srb, target_id, 6);
VSC_FIELD(struct vsc_vstor_srb, lun, 7);
VSC_FIELD(struct vsc_vstor_srb, cdb_length, 8);
VSC_FIELD(struct vsc_vstor_srb, sense_info_length, 9);
VSC_FIELD(struct vsc_vstor_srb, data_in, 10);
VSC_FIELD(struct vsc_vstor_srb, reserved, 11);
VSC_FIELD(struct vsc_vstor_srb, data_transfer_length, 12);
VSC_FIELD(struct vsc_vstor_srb, cdb, 16);
VSC_FIELD(struct vsc_vstor_srb, sense_data, 16);
VSC_FIELD(struct vsc_vstor_srb, reserve, 0x24);
VSC_FIELD(struct vsc_vstor_srb, queue_tag, 0x26);
VSC_FIELD(struct vsc_vstor_srb, queue_action, 0x27);
VSC_FIELD(struct vsc_vstor_srb, srb_flags, 0x28);
VSC_FIELD(struct vsc_vstor_srb, time_out_value, 0x2c);
VSC_FIELD(struct vsc_vstor_srb, queue_sort_key, 0x30);

/* The Win8 extension: what older versions' requests lack. */
#define VSC_VSTOR_SRB_SIZE_PRE_WIN8	0x24
#define VSC_VSTOR_SIZE_DELTA \
	(sizeof(struct vsc_vstor_srb) - VSC_VSTOR_SRB_SIZE_PRE_WIN8)

/* QUERY_PROPERTIES answer. */
#define VSC_VSTOR_PROP_MULTI_CHANNEL	0x1
struct vsc_vstor_props {
	__le32 reserved;
	__le16 max_channel_cnt;
	__le16 reserved1;
	__le32 flags;			/* VSC_VSTOR_PROP_* */
	__le32 max_transfer_bytes;
	__le64 reserved2;
} __packed;
VSC_LAYOUT(struct vsc_vstor_props, 24);
VSC_FIELD(struct vsc_vstor_props, max_channel_cnt, 4);
VSC_FIELD(struct vsc_vstor_props, flags, 8);
VSC_FIELD(struct vsc_vstor_props, max_transfer_bytes, 12);
VSC_FIELD(struct vsc_vstor_props, reserved2, 16);

/* QUERY_PROTOCOL_VERSION request. */
struct vsc_vstor_version {
	__le16 major_minor;		/* VSC_VSTOR_VERSION() */
	__le16 revision;		/* 0 */
} __packed;
VSC_LAYOUT(struct vsc_vstor_version, 4);

/* FCHBA_DATA: the Fibre Channel names (not used by this suite). */
struct vsc_vstor_fc_wwn {
	__u8 primary_active;
	__u8 reserved1[3];
	__u8 primary_port_wwn[8];
	__u8 primary_node_wwn[8];
	__u8 secondary_port_wwn[8];
	__u8 secondary_node_wwn[8];
} __packed;
VSC_LAYOUT(struct vsc_vstor_fc_wwn, 36);

struct vsc_vstor_packet {
	__le32 operation;		/* VSC_VSTOR_OP_* */
	__le32 flags;			/* VSC_VSTOR_FLAG_* */
	__le32 status;			/* NTSTATUS, in answers */
	union {
		struct vsc_vstor_srb srb;
		struct vsc_vstor_props props;
		struct vsc_vstor_version version;
		struct vsc_vstor_fc_wwn wwn;
		__le16 sub_channel_count;
		__u8 buffer[0x34];
	};
} __packed;
VSC_LAYOUT(struct vsc_vstor_packet, 0x40);
VSC_FIELD(struct vsc_vstor_packet, flags, 4);
VSC_FIELD(struct vsc_vstor_packet, status, 8);
VSC_FIELD(struct vsc_vstor_packet, srb, 12);
VSC_FIELD(struct vsc_vstor_packet, props, 12);
VSC_FIELD(struct vsc_vstor_packet, version, 12);
VSC_FIELD(struct vsc_vstor_packet, sub_channel_count, 12);

/* The header alone: what an unsolicited host notification must carry. */
#define VSC_VSTOR_HDR_SIZE		12

/* Bytes of a whole packet under @version (0 before any is agreed: Win8). */
static inline __u32 vsc_vstor_packet_size(__u16 version)
{
	if (version && version < VSC_VSTOR_VERSION_WIN8)
		return sizeof(struct vsc_vstor_packet) - VSC_VSTOR_SIZE_DELTA;
	return sizeof(struct vsc_vstor_packet);
}

/* Sense bytes a request may carry under @version. */
static inline __u8 vsc_vstor_sense_size(__u16 version)
{
	if (version && version < VSC_VSTOR_VERSION_WIN8)
		return VSC_VSTOR_SENSE_SIZE_PRE_WIN8;
	return VSC_VSTOR_SENSE_SIZE;
}

#endif /* _VSC_VSTOR_H */
