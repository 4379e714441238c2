// SPDX-License-Identifier: GPL-2.0
/*
 * The disk's commands that need no back end: TEST UNIT READY, INQUIRY
 * (standard data and VPD pages 0x00, 0x80, 0x83, 0xB0, 0xB1, 0xB2), READ
 * CAPACITY 10 and 16, MODE SENSE 6 and 10, REQUEST SENSE, START STOP UNIT,
 * and REPORT LUNS for the VSTOR server. Every answer is built in a local
 * buffer and cut to the allocation length and the guest's buffer.
 */
#include <string.h>

#include <vsc/scsi.h>

#include "disk.h"

void vsp_scsi_check(struct vsp_scsi_cmd *cmd, uint8_t key, uint16_t asc)
{
	cmd->status = VSC_SCSI_STATUS_CHECK_CONDITION;
	cmd->transferred = 0;
	memset(cmd->sense, 0, sizeof(cmd->sense));
	cmd->sense[0] = VSC_SENSE_FIXED_CURRENT;
	cmd->sense[2] = key;
	cmd->sense[7] = VSC_SENSE_FIXED_LEN - 8;	/* additional length */
	cmd->sense[12] = (uint8_t)(asc >> 8);
	cmd->sense[13] = (uint8_t)asc;
	cmd->sense_len = VSC_SENSE_FIXED_LEN;
}

void vsp_scsi_good(struct vsp_scsi_cmd *cmd)
{
	cmd->status = VSC_SCSI_STATUS_GOOD;
	cmd->sense_len = 0;
}

void vsp_scsi_data_in(struct vsp_scsi_cmd *cmd, const void *buf, uint32_t len,
		      uint32_t alloc)
{
	if (len > alloc)
		len = alloc;
	if (len > cmd->xfer_len)
		len = cmd->xfer_len;
	cmd->transferred = (uint32_t)vsp_iov_from_buf(cmd->iov, cmd->iovcnt,
						      buf, len);
	vsp_scsi_good(cmd);
}

static void vsp_inquiry_std(struct vsp_scsi_cmd *cmd, uint8_t pdt, uint32_t alloc)
{
	uint8_t b[36] = { 0 };

	b[0] = pdt;
	b[2] = 0x05;			/* SPC-3 */
	b[3] = 0x12;			/* HiSup, response data format 2 */
	b[4] = sizeof(b) - 5;
	b[7] = 0x02;			/* CmdQue */
	memcpy(b + 8, "VSC     ", 8);
	memcpy(b + 16, "Virtual Disk    ", 16);
	memcpy(b + 32, "1.0 ", 4);
	vsp_scsi_data_in(cmd, b, sizeof(b), alloc);
}

void vsp_scsi_no_lun(struct vsp_scsi_cmd *cmd)
{
	const uint8_t *c = cmd->cdb;

	if (c[0] != VSC_SCSI_INQUIRY || (c[1] & 1)) {
		vsp_scsi_check(cmd, VSC_SENSE_ILLEGAL_REQUEST,
			       VSC_ASC_LUN_NOT_SUPPORTED);
		return;
	}
	/* Peripheral qualifier 3, type 0x1f: no device at this LUN. */
	vsp_inquiry_std(cmd, 0x7f, vsp_get_be16(c + 3));
}

uint64_t vsp_scsi_hash(const char *s, uint64_t h)
{
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 0x100000001b3ull;
	return h;
}

static uint32_t vsp_vpd_device_id(const struct vsp_disk *d, uint8_t *b)
{
	uint32_t n = 4, slen = (uint32_t)strlen(d->cfg.serial);
	uint64_t h2 = vsp_scsi_hash(d->cfg.serial, ~VSP_HASH_SEED);

	/* NAA 6 (binary, addressed LUN): 16 bytes from the serial's hashes. */
	b[n++] = 0x01;
	b[n++] = 0x03;
	b[n++] = 0;
	b[n++] = 16;
	vsp_put_be64(b + n, d->naa);
	b[n] = (uint8_t)(0x60 | (b[n] & 0x0f));
	vsp_put_be64(b + n + 8, h2);
	n += 16;
	/* T10 vendor id (ASCII): vendor and serial. */
	b[n++] = 0x02;
	b[n++] = 0x01;
	b[n++] = 0;
	b[n++] = (uint8_t)(8 + slen);
	memcpy(b + n, "VSC     ", 8);
	memcpy(b + n + 8, d->cfg.serial, slen);
	n += 8 + slen;
	return n;
}

static void vsp_inquiry_vpd(struct vsp_disk *d, struct vsp_scsi_cmd *cmd,
			    uint8_t page, uint32_t alloc)
{
	static const uint8_t pages[] = { 0x00, 0x80, 0x83, 0xb0, 0xb1, 0xb2 };
	uint32_t lbs = d->cfg.lbs, ratio = d->cfg.pbs / lbs, n;
	uint8_t b[96] = { 0 };

	b[1] = page;
	switch (page) {
	case VSC_VPD_SUPPORTED:
		memcpy(b + 4, pages, sizeof(pages));
		n = 4 + sizeof(pages);
		break;
	case VSC_VPD_SERIAL:
		n = (uint32_t)strlen(d->cfg.serial);
		memcpy(b + 4, d->cfg.serial, n);
		n += 4;
		break;
	case VSC_VPD_DEVICE_ID:
		n = vsp_vpd_device_id(d, b);
		break;
	case VSC_VPD_BLOCK_LIMITS:
		n = 0x40;
		b[4] = 0x01;				/* WSNZ */
		vsp_put_be16(b + 6, (uint16_t)ratio);	/* optimal granularity */
		vsp_put_be32(b + 8, d->cfg.max_xfer / lbs);
		vsp_put_be32(b + 12, d->cfg.max_xfer / lbs);
		if (d->cfg.can_unmap && !d->cfg.read_only) {
			vsp_put_be32(b + 20, VSP_MAX_UNMAP_BLOCKS);
			vsp_put_be32(b + 24, VSP_MAX_UNMAP_DESC);
			vsp_put_be32(b + 28, lbs < 4096 ? 4096 / lbs : 1);
		}
		vsp_put_be64(b + 36, VSP_MAX_WS_BLOCKS);
		break;
	case VSC_VPD_BLOCK_CHARACTERISTICS:
		n = 0x40;
		vsp_put_be16(b + 4, 1);			/* non-rotating */
		break;
	case VSC_VPD_LB_PROVISIONING:
		n = 8;
		if (d->cfg.can_unmap && !d->cfg.read_only) {
			/* LBPU, LBPWS, LBPRZ as the back end says */
			b[5] = 0xc0 | (d->cfg.lbprz ? 0x04 : 0);
			b[6] = 0x02;			/* thin provisioned */
		}
		break;
	default:
		vsp_scsi_check(cmd, VSC_SENSE_ILLEGAL_REQUEST,
			       VSC_ASC_INVALID_FIELD_IN_CDB);
		return;
	}
	vsp_put_be16(b + 2, (uint16_t)(n - 4));
	vsp_scsi_data_in(cmd, b, n, alloc);
}

static void vsp_inquiry(struct vsp_disk *d, struct vsp_scsi_cmd *cmd)
{
	const uint8_t *c = cmd->cdb;
	uint32_t alloc = vsp_get_be16(c + 3);

	if (c[1] & 0xfe) {			/* CmdDt, obsolete bits */
		vsp_scsi_check(cmd, VSC_SENSE_ILLEGAL_REQUEST,
			       VSC_ASC_INVALID_FIELD_IN_CDB);
	} else if (c[1] & 1) {
		vsp_inquiry_vpd(d, cmd, c[2], alloc);
	} else if (c[2]) {
		vsp_scsi_check(cmd, VSC_SENSE_ILLEGAL_REQUEST,
			       VSC_ASC_INVALID_FIELD_IN_CDB);
	} else {
		vsp_inquiry_std(cmd, 0x00, alloc);
	}
}

static void vsp_read_capacity(struct vsp_disk *d, struct vsp_scsi_cmd *cmd)
{
	const uint8_t *c = cmd->cdb;
	uint64_t last = d->blocks - 1;
	uint8_t b[32] = { 0 };
	uint8_t exp = 0;

	if (c[0] == VSC_SCSI_READ_CAPACITY_10) {
		vsp_put_be32(b, last > 0xffffffffu ? 0xffffffffu : (uint32_t)last);
		vsp_put_be32(b + 4, d->cfg.lbs);
		vsp_scsi_data_in(cmd, b, 8, 8);
		return;
	}
	while ((d->cfg.lbs << exp) < d->cfg.pbs)
		exp++;
	vsp_put_be64(b, last);
	vsp_put_be32(b + 8, d->cfg.lbs);
	b[13] = exp;
	if (d->cfg.can_unmap && !d->cfg.read_only)
		b[14] = 0x80 | (d->cfg.lbprz ? 0x40 : 0);	/* LBPME, LBPRZ */
	vsp_scsi_data_in(cmd, b, sizeof(b), vsp_get_be32(c + 10));
}

/* Appends the pages @page asks for; false if it names none we have. */
static bool vsp_mode_pages(struct vsp_disk *d, uint8_t pc, uint8_t page,
			   uint8_t *b, uint32_t *n)
{
	bool all = page == VSC_MODE_PAGE_ALL, found = false;

	(void)d;
	if (all || page == VSC_MODE_PAGE_CACHING) {
		b[*n] = VSC_MODE_PAGE_CACHING;
		b[*n + 1] = 0x12;
		/* WCE: a volatile cache the guest must flush; not changeable */
		b[*n + 2] = pc == 1 ? 0 : 0x04;
		*n += 0x14;
		found = true;
	}
	if (all || page == VSC_MODE_PAGE_CONTROL) {
		b[*n] = VSC_MODE_PAGE_CONTROL;
		b[*n + 1] = 0x0a;
		*n += 0x0c;
		found = true;
	}
	return found;
}

static void vsp_mode_sense(struct vsp_disk *d, struct vsp_scsi_cmd *cmd)
{
	const uint8_t *c = cmd->cdb;
	bool ten = c[0] == VSC_SCSI_MODE_SENSE_10;
	bool dbd = c[1] & 0x08, llba = ten && (c[1] & 0x10);
	uint8_t pc = c[2] >> 6, page = c[2] & 0x3f, sub = c[3];
	uint32_t hdr = ten ? 8 : 4, bd = dbd ? 0 : (llba ? 16 : 8), n;
	uint32_t alloc = ten ? vsp_get_be16(c + 7) : c[4];
	uint8_t b[128] = { 0 };
	uint8_t devspec = 0x10;		/* DPOFUA */

	if (pc == 3) {
		vsp_scsi_check(cmd, VSC_SENSE_ILLEGAL_REQUEST,
			       VSC_ASC_SAVING_NOT_SUPPORTED);
		return;
	}
	n = hdr + bd;
	if ((sub && sub != 0xff) || !vsp_mode_pages(d, pc, page, b, &n)) {
		vsp_scsi_check(cmd, VSC_SENSE_ILLEGAL_REQUEST,
			       VSC_ASC_INVALID_FIELD_IN_CDB);
		return;
	}
	if (d->cfg.read_only)
		devspec |= 0x80;	/* WP */
	if (bd == 8) {
		uint64_t nb = d->blocks > 0xffffffffu ? 0xffffffffu : d->blocks;

		vsp_put_be32(b + hdr, (uint32_t)nb);
		vsp_put_be32(b + hdr + 4, d->cfg.lbs & 0xffffff);
	} else if (bd == 16) {
		vsp_put_be64(b + hdr, d->blocks);
		vsp_put_be32(b + hdr + 12, d->cfg.lbs);
	}
	if (ten) {
		vsp_put_be16(b, (uint16_t)(n - 2));
		b[3] = devspec;
		b[4] = llba ? 1 : 0;
		vsp_put_be16(b + 6, (uint16_t)bd);
	} else {
		b[0] = (uint8_t)(n - 1);
		b[2] = devspec;
		b[3] = (uint8_t)bd;
	}
	vsp_scsi_data_in(cmd, b, n, alloc);
}

static void vsp_request_sense(struct vsp_scsi_cmd *cmd)
{
	uint8_t b[VSC_SENSE_FIXED_LEN] = { 0 };

	/* Sense travels with each command (autosense): nothing is pending. */
	if (cmd->cdb[1] & 1) {
		vsp_scsi_check(cmd, VSC_SENSE_ILLEGAL_REQUEST,
			       VSC_ASC_INVALID_FIELD_IN_CDB);
		return;
	}
	b[0] = VSC_SENSE_FIXED_CURRENT;
	b[7] = VSC_SENSE_FIXED_LEN - 8;
	vsp_scsi_data_in(cmd, b, sizeof(b), cmd->cdb[4]);
}

void vsp_scsi_report_luns(struct vsp_scsi_cmd *cmd, const uint16_t *luns,
			  uint32_t n)
{
	uint8_t b[8 + 8 * 256] = { 0 };
	uint32_t alloc = vsp_get_be32(cmd->cdb + 6);

	if (n > 256)
		n = 256;
	if (cmd->cdb[2] > 2 || alloc < 16) {
		vsp_scsi_check(cmd, VSC_SENSE_ILLEGAL_REQUEST,
			       VSC_ASC_INVALID_FIELD_IN_CDB);
		return;
	}
	vsp_put_be32(b, n * 8);
	for (uint32_t i = 0; i < n; i++) {
		/* Peripheral device addressing below 256, flat above. */
		uint16_t l = luns[i];

		vsp_put_be16(b + 8 + 8 * i, l < 256 ? l : (uint16_t)(0x4000 | l));
	}
	vsp_scsi_data_in(cmd, b, 8 + n * 8, alloc);
}

bool vsp_disk_info(struct vsp_disk *d, struct vsp_scsi_cmd *cmd)
{
	switch (cmd->cdb[0]) {
	case VSC_SCSI_TEST_UNIT_READY:
	case VSC_SCSI_START_STOP_UNIT:
		vsp_scsi_good(cmd);
		return true;
	case VSC_SCSI_INQUIRY:
		vsp_inquiry(d, cmd);
		return true;
	case VSC_SCSI_READ_CAPACITY_10:
		vsp_read_capacity(d, cmd);
		return true;
	case VSC_SCSI_SERVICE_ACTION_IN_16:
		if ((cmd->cdb[1] & 0x1f) != VSC_SCSI_SAI_READ_CAPACITY_16)
			return false;
		vsp_read_capacity(d, cmd);
		return true;
	case VSC_SCSI_MODE_SENSE_6:
	case VSC_SCSI_MODE_SENSE_10:
		vsp_mode_sense(d, cmd);
		return true;
	case VSC_SCSI_REQUEST_SENSE:
		vsp_request_sense(cmd);
		return true;
	default:
		return false;
	}
}
