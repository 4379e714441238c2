/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SCSI constants vsp-sim's disk emulation and its tests need, without the
 * kernel's headers: operation codes (SPC-3, SBC-3), status bytes, sense
 * keys and additional sense codes, VPD and mode page codes. The kernel's
 * <scsi/scsi_proto.h> has the same values under other names.
 */
#ifndef _VSC_SCSI_H
#define _VSC_SCSI_H

/* Operation codes. */
#define VSC_SCSI_TEST_UNIT_READY	0x00
#define VSC_SCSI_REQUEST_SENSE		0x03
#define VSC_SCSI_READ_6			0x08
#define VSC_SCSI_WRITE_6		0x0a
#define VSC_SCSI_INQUIRY		0x12
#define VSC_SCSI_MODE_SELECT_6		0x15
#define VSC_SCSI_MODE_SENSE_6		0x1a
#define VSC_SCSI_START_STOP_UNIT	0x1b
#define VSC_SCSI_SEND_DIAGNOSTIC	0x1d
#define VSC_SCSI_PREVENT_ALLOW		0x1e
#define VSC_SCSI_READ_CAPACITY_10	0x25
#define VSC_SCSI_READ_10		0x28
#define VSC_SCSI_WRITE_10		0x2a
#define VSC_SCSI_VERIFY_10		0x2f
#define VSC_SCSI_SYNCHRONIZE_CACHE_10	0x35
#define VSC_SCSI_WRITE_SAME_10		0x41
#define VSC_SCSI_UNMAP			0x42
#define VSC_SCSI_MODE_SELECT_10		0x55
#define VSC_SCSI_MODE_SENSE_10		0x5a
#define VSC_SCSI_READ_16		0x88
#define VSC_SCSI_WRITE_16		0x8a
#define VSC_SCSI_SYNCHRONIZE_CACHE_16	0x91
#define VSC_SCSI_WRITE_SAME_16		0x93
#define VSC_SCSI_SERVICE_ACTION_IN_16	0x9e
#define VSC_SCSI_SAI_READ_CAPACITY_16	0x10
#define VSC_SCSI_REPORT_LUNS		0xa0
#define VSC_SCSI_MAINTENANCE_IN		0xa3
#define VSC_SCSI_READ_12		0xa8
#define VSC_SCSI_WRITE_12		0xaa

/* Status byte. */
#define VSC_SCSI_STATUS_GOOD		0x00
#define VSC_SCSI_STATUS_CHECK_CONDITION	0x02
#define VSC_SCSI_STATUS_BUSY		0x08
#define VSC_SCSI_STATUS_TASK_SET_FULL	0x28

/* Sense keys. */
#define VSC_SENSE_NO_SENSE		0x0
#define VSC_SENSE_NOT_READY		0x2
#define VSC_SENSE_MEDIUM_ERROR		0x3
#define VSC_SENSE_HARDWARE_ERROR	0x4
#define VSC_SENSE_ILLEGAL_REQUEST	0x5
#define VSC_SENSE_UNIT_ATTENTION	0x6
#define VSC_SENSE_DATA_PROTECT		0x7
#define VSC_SENSE_ABORTED_COMMAND	0xb

/* Additional sense code and qualifier, as (asc << 8 | ascq). */
#define VSC_ASC_NONE			0x0000
#define VSC_ASC_WRITE_ERROR		0x0c00
#define VSC_ASC_READ_ERROR		0x1100
#define VSC_ASC_PARAM_LIST_LENGTH	0x1a00
#define VSC_ASC_INVALID_OPCODE		0x2000
#define VSC_ASC_LBA_OUT_OF_RANGE	0x2100
#define VSC_ASC_INVALID_FIELD_IN_CDB	0x2400
#define VSC_ASC_LUN_NOT_SUPPORTED	0x2500
#define VSC_ASC_INVALID_FIELD_IN_PARAM	0x2600
#define VSC_ASC_WRITE_PROTECTED		0x2700
#define VSC_ASC_SAVING_NOT_SUPPORTED	0x3900
#define VSC_ASC_INTERNAL_TARGET_FAILURE	0x4400

/* Fixed-format sense data: response code, and the size we produce. */
#define VSC_SENSE_FIXED_CURRENT		0x70
#define VSC_SENSE_FIXED_LEN		18

/* VPD pages. */
#define VSC_VPD_SUPPORTED		0x00
#define VSC_VPD_SERIAL			0x80
#define VSC_VPD_DEVICE_ID		0x83
#define VSC_VPD_BLOCK_LIMITS		0xb0
#define VSC_VPD_BLOCK_CHARACTERISTICS	0xb1
#define VSC_VPD_LB_PROVISIONING		0xb2

/* Mode pages. */
#define VSC_MODE_PAGE_CACHING		0x08
#define VSC_MODE_PAGE_CONTROL		0x0a
#define VSC_MODE_PAGE_ALL		0x3f

#endif /* _VSC_SCSI_H */
