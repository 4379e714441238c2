/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The echo protocol (include/vsc/echo.h), as pure functions over a parsed
 * packet: what to answer, and whether the guest's payload keeps the
 * pattern. The echo class (echo.c) holds and sends the answers.
 */
#ifndef VSP_ECHO_MSG_H
#define VSP_ECHO_MSG_H

#include <stdbool.h>
#include <stdint.h>

enum vsp_echo_completion {
	VSP_ECHO_COMP_REQUESTED,	/* completion when asked, else in-band */
	VSP_ECHO_COMP_NEVER,		/* always in-band (a nasty host) */
};

/*
 * The echo class's settings, one set per server (dev.h: cfg). Workers
 * read them with relaxed atomic loads: `ctl class echo` changes them.
 */
struct vsp_echo_cfg {
	uint32_t delay_us;		/* the worker sleeps this long per packet */
	uint32_t max_bytes;		/* payloads above: refused; 0: no limit */
	enum vsp_echo_completion completion;
	uint32_t reorder;		/* answer in batches of N, reversed; 0, 1: no */
	uint32_t hold_us;		/* hold each answer this long, reading on */
};

#define VSP_ECHO_MAX_REORDER	1024
#define VSP_ECHO_MAX_HOLD_US	10000000	/* 10 s */

enum vsp_echo_verdict {
	VSP_ED_REPLY,		/* answer as *r says */
	VSP_ED_BAD_PATTERN,	/* answer too, but the guest broke the pattern */
	VSP_ED_REFUSED,		/* larger than max_bytes: answer *r (empty) */
	VSP_ED_BAD_TYPE,	/* a packet type echo does not take: no answer */
};

struct vsp_echo_reply {
	uint16_t type;		/* VSC_PKT_COMPLETION or VSC_PKT_DATA_INBAND */
	uint64_t trans_id;
	const uint8_t *data;	/* into the packet, or hdr */
	uint32_t len;
	uint8_t hdr[16];	/* a SINK's answer: its header, len 0 */
};

struct vsc_ring_pkt;

/*
 * Decides the answer to one packet parsed with VSC_RING_VIEW_HOST. The
 * reply echoes the echo message proper (header and pattern, without the
 * ring's padding) when it is well formed, else the whole payload; a SINK
 * message (VSC_ECHO_MAGIC_SINK) is answered with its header only, len 0.
 */
enum vsp_echo_verdict vsp_echo_dev_handle(const struct vsp_echo_cfg *cfg,
					  const struct vsc_ring_pkt *pkt,
					  struct vsp_echo_reply *r);

/*
 * A CTRL message (include/vsc/echo.h): true if the packet's payload starts
 * with VSC_ECHO_MAGIC_CTRL; it then goes to vsp_echo_dev_ctrl(), not to
 * vsp_echo_dev_handle().
 */
bool vsp_echo_dev_is_ctrl(const struct vsc_ring_pkt *pkt);

/*
 * Answers a CTRL message on a channel that is the device's primary (or
 * not), that already asked for sub-channels during this open (busy) or
 * not. The answer (a struct vsc_echo_ctrl) goes in r->hdr; *grant is the
 * number of sub-channels to offer now (0 when refused).
 */
void vsp_echo_dev_ctrl(const struct vsp_echo_cfg *cfg,
		       const struct vsc_ring_pkt *pkt, bool primary, bool busy,
		       struct vsp_echo_reply *r, uint32_t *grant);

/*
 * True if data[0..len) is an echo or sink message with a correct pattern;
 * *msg_len is its length without padding, *sink says which magic.
 */
bool vsp_echo_dev_check(const uint8_t *data, uint32_t len, uint32_t *msg_len,
			bool *sink);

#endif /* VSP_ECHO_MSG_H */
