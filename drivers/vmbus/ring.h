/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One end of a VMBus ring buffer, the same code in vsc_vmbus.ko and in
 * userspace (vsp-sim, tests, fuzzers, bench).
 *
 * A ring has one writer and one reader. Each side keeps a struct vsc_ring
 * in its own memory: the shared control page and data area are only ever
 * read through it, each shared index once per decision, and checked before
 * use. The caller serialises the calls on one struct vsc_ring (one writer
 * context, one reader context); the two ends need no common lock.
 *
 * Return codes, everywhere:
 *   -EAGAIN    empty: nothing to read
 *   -ENOSPC    full: no room for this packet now (retry when signalled)
 *   -EMSGSIZE  the packet can never fit this ring
 *   -ENOBUFS   the caller's buffer is too small for the next packet
 *   -EINVAL    the caller broke the API (bad argument or call order)
 *   -EIO       the peer corrupted the ring; it is now broken for good
 *
 * Signals: the @signal callback given to vsc_ring_init() runs, in the
 * caller's context (possibly atomic), whenever the rules say to signal the
 * peer; the ring counts each one in stats.signals. A writer:
 *
 *	ret = vsc_ring_send(...);		(or write_begin/next.../end)
 *	if (ret == -ENOSPC &&
 *	    vsc_ring_set_pending_send(ring, vsc_ring_pkt_space(len)) == 0)
 *		wait for the reader's signal, then clear_pending_send, retry
 *
 * A reader, woken by a signal (masking is optional; the last step is not):
 *
 *	do {
 *		vsc_ring_mask_interrupts(ring);
 *		vsc_ring_read_begin(ring);
 *		while (!vsc_ring_read_next(ring, buf, size, &len))
 *			vsc_ring_pkt_parse(buf, len, view, &pkt), handle it;
 *		vsc_ring_read_end(ring);
 *	} while (vsc_ring_unmask_interrupts(ring) > 0);
 *
 * vsc_ring_read_next_inplace() reads the same burst without copying each
 * packet out: a checked copy of the descriptor and a pointer to the body
 * in the ring, valid until vsc_ring_read_end() frees the burst's room.
 */
#ifndef _VSC_DRV_RING_H
#define _VSC_DRV_RING_H

#include "ring_os.h"
#include <vsc/ring.h>

/* Data area bounds; tests use small rings to exercise wrap-around. */
#define VSC_RING_MIN_SIZE	64U
#define VSC_RING_MAX_SIZE	0x40000000U	/* 1 GiB */
/* len8 is 16 bits wide: the largest packet, descriptor included. */
#define VSC_RING_MAX_PACKET	(0xffffU * VSC_PKT_ALIGN)

/* Reader flags. */
#define VSC_RING_F_STRICT	0x1	/* check every packet's trailer */

enum vsc_ring_role {
	VSC_RING_WRITER,
	VSC_RING_READER,
};

/**
 * struct vsc_ring_buf - one piece of a packet to write
 * @base: first byte
 * @len: length in bytes
 */
struct vsc_ring_buf {
	const void *base;
	u32 len;
};

/**
 * struct vsc_ring_stats - what one end did, for tests and benchmarks
 * @packets: packets written or read
 * @bytes: bytes of those packets, trailers and padding included
 * @batches: index updates made visible to the peer
 * @signals: signals the rules called for (the @signal callback ran)
 * @full: writes refused with -ENOSPC
 */
struct vsc_ring_stats {
	u64 packets;
	u64 bytes;
	u64 batches;
	u64 signals;
	u64 full;
};

/**
 * struct vsc_ring - private state of one end of a ring
 * @write_index: shared write index, in the control page
 * @read_index: shared read index
 * @interrupt_mask: shared; the reader sets it to say "do not signal me"
 * @pending_send_sz: shared; free bytes the writer is waiting for
 * @feature_bits: shared; VSC_RING_FEAT_PENDING_SEND_SZ
 * @data: the shared data area
 * @size: bytes in the data area
 * @role: which end this is
 * @flags: VSC_RING_F_*
 * @index: our own index as last made visible to the peer
 * @cursor: our own index inside a batch, ahead of @index
 * @peer: the peer's index as last read and checked
 * @in_batch: between a *_begin() and its *_end()
 * @broken: the peer corrupted the ring; every call now fails with -EIO
 * @reason: why the ring broke, a static string
 * @signal: called when the rules say to signal the peer; may be NULL
 * @priv: for the owner of the ring
 * @stats: counters
 */
struct vsc_ring {
	__le32 *write_index;
	__le32 *read_index;
	__le32 *interrupt_mask;
	__le32 *pending_send_sz;
	__le32 *feature_bits;
	u8 *data;
	u32 size;
	enum vsc_ring_role role;
	u32 flags;
	u32 index;
	u32 cursor;
	u32 peer;
	bool in_batch;
	bool broken;
	const char *reason;
	void (*signal)(struct vsc_ring *ring);
	void *priv;
	struct vsc_ring_stats stats;
};

/* Bytes a packet of @len bytes takes in the ring: padding and trailer. */
static inline u32 vsc_ring_pkt_space(u32 len)
{
	return ((len + VSC_PKT_ALIGN - 1) & ~(VSC_PKT_ALIGN - 1)) +
	       VSC_PKT_TRAILER_SIZE;
}

static inline bool vsc_ring_is_broken(const struct vsc_ring *ring)
{
	return ring->broken;
}

void vsc_ring_control_init(struct vsc_ring_control *ctl, u32 features);
int vsc_ring_init(struct vsc_ring *ring, enum vsc_ring_role role,
		  struct vsc_ring_control *ctl, void *data, u32 size,
		  void (*signal)(struct vsc_ring *ring));
void vsc_ring_set_broken(struct vsc_ring *ring, const char *reason);

/* Writer. */
int vsc_ring_write_begin(struct vsc_ring *ring);
int vsc_ring_write_next(struct vsc_ring *ring, const struct vsc_ring_buf *bufs,
			unsigned int nbufs);
int vsc_ring_write_end(struct vsc_ring *ring);
int vsc_ring_write(struct vsc_ring *ring, const struct vsc_ring_buf *bufs,
		   unsigned int nbufs);
int vsc_ring_send(struct vsc_ring *ring, u16 type, u16 flags, u64 trans_id,
		  void *hdr, u32 hdr_len, const void *payload, u32 len);
int vsc_ring_write_avail(struct vsc_ring *ring);
int vsc_ring_set_pending_send(struct vsc_ring *ring, u32 bytes);
void vsc_ring_clear_pending_send(struct vsc_ring *ring);

/* Reader. */
int vsc_ring_read_begin(struct vsc_ring *ring);
int vsc_ring_read_next(struct vsc_ring *ring, void *buf, u32 buflen,
		       u32 *len);
int vsc_ring_read_next_inplace(struct vsc_ring *ring,
			       struct vsc_packet_desc *desc, const u8 **body,
			       void *buf, u32 buflen, u32 *len);
int vsc_ring_read_end(struct vsc_ring *ring);
int vsc_ring_read(struct vsc_ring *ring, void *buf, u32 buflen, u32 *len);
int vsc_ring_read_avail(struct vsc_ring *ring);
void vsc_ring_mask_interrupts(struct vsc_ring *ring);
int vsc_ring_unmask_interrupts(struct vsc_ring *ring);

#include "ring_pkt.h"

#endif /* _VSC_DRV_RING_H */
