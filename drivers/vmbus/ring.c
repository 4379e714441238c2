// SPDX-License-Identifier: GPL-2.0
/*
 * VMBus ring buffers: writing and reading packets, and the signalling rules.
 *
 * Layout (docs/protocol-facts.md 2.4): a control page with the write and
 * read indices (byte offsets into the data area), the reader's interrupt
 * mask, the writer's pending_send_sz and the feature bits, then the data
 * area. A packet is a descriptor and its payload, padded to 8 bytes and
 * followed by an 8-byte trailer (the packet's start offset << 32). The
 * ring is empty when both indices are equal, so a writer always leaves at
 * least 8 bytes free. The data area is mapped once: every copy that may
 * cross its end is split in two.
 *
 * The peer is not trusted. Each shared index is read once into a local and
 * checked (inside the area, aligned, moving only forward and never past
 * our own index) before anything depends on it; a packet is copied into
 * the caller's private buffer with its validated descriptor before anyone
 * parses it (or, read in place, only its descriptor is, and the caller
 * reads the body in shared memory once). A violation marks the ring broken: every later call fails
 * with -EIO at once.
 *
 * Signals: a writer signals when its packets made the ring go from empty
 * to non-empty and the reader has not set interrupt_mask; a reader signals
 * a writer waiting on pending_send_sz when the free space it made crosses
 * that size. Batches make both decisions once, when the index is updated.
 */
#ifdef __KERNEL__
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#endif

#include "ring.h"

/* Bytes from offset @from forward to offset @to, both inside the ring. */
static inline u32 vsc_ring_dist(const struct vsc_ring *ring, u32 from, u32 to)
{
	return to >= from ? to - from : ring->size - from + to;
}

/* Offset @off moved forward by @len bytes (@len at most the ring size). */
static inline u32 vsc_ring_step(const struct vsc_ring *ring, u32 off, u32 len)
{
	return len < ring->size - off ? off + len : len - (ring->size - off);
}

static inline bool vsc_ring_index_ok(const struct vsc_ring *ring, u32 idx)
{
	return idx < ring->size && !(idx & (VSC_PKT_ALIGN - 1));
}

static int vsc_ring_corrupt(struct vsc_ring *ring, const char *reason)
{
	vsc_ring_set_broken(ring, reason);
	return -EIO;
}

static void vsc_ring_signal(struct vsc_ring *ring)
{
	ring->stats.signals++;
	if (ring->signal)
		ring->signal(ring);
}

/* Copies @len bytes (at most the ring size) out of the ring at @off. */
static void vsc_ring_copy_out(const struct vsc_ring *ring, u32 off,
			      void *dst, u32 len)
{
	u32 first = ring->size - off;

	if (len <= first) {
		vsc_ring_copy(dst, ring->data + off, len);
	} else {
		vsc_ring_copy(dst, ring->data + off, first);
		vsc_ring_copy((u8 *)dst + first, ring->data, len - first);
	}
}

/* Copies @len bytes into the ring at @off; returns the offset after them. */
static u32 vsc_ring_copy_in(const struct vsc_ring *ring, u32 off,
			    const void *src, u32 len)
{
	u32 first = ring->size - off;

	if (len < first) {
		vsc_ring_copy(ring->data + off, src, len);
		return off + len;
	}
	vsc_ring_copy(ring->data + off, src, first);
	vsc_ring_copy(ring->data, (const u8 *)src + first, len - first);
	return len - first;
}

/*
 * Reads the peer's index once and checks it: inside the ring, aligned, and
 * moved only forward. The reader's peer (the write index) may not fall
 * back behind data it already made visible; the writer's peer (the read
 * index) may not run past our published write index.
 */
static int vsc_ring_peer_index(struct vsc_ring *ring, u32 idx, u32 *out)
{
	if (!vsc_ring_index_ok(ring, idx))
		return vsc_ring_corrupt(ring, "peer index out of range");

	if (ring->role == VSC_RING_READER) {
		if (vsc_ring_dist(ring, ring->cursor, idx) <
		    vsc_ring_dist(ring, ring->cursor, ring->peer))
			return vsc_ring_corrupt(ring, "write index moved back");
	} else {
		if (vsc_ring_dist(ring, idx, ring->index) >
		    vsc_ring_dist(ring, ring->peer, ring->index))
			return vsc_ring_corrupt(ring, "read index moved wrongly");
	}
	ring->peer = idx;
	*out = idx;
	return 0;
}

/* Our own index must still read back as we last wrote it. */
static int vsc_ring_own_index_ok(struct vsc_ring *ring)
{
	__le32 *own = ring->role == VSC_RING_WRITER ?
		      ring->write_index : ring->read_index;

	if (le32_to_cpu(vsc_ring_load(own)) != ring->index)
		return vsc_ring_corrupt(ring, "peer wrote our index");
	return 0;
}

/**
 * vsc_ring_control_init() - format a ring's control page
 * @ctl: the control page, owned by the side that allocates the ring
 * @features: VSC_RING_FEAT_* bits to announce
 *
 * Zeroes the indices, the interrupt mask and pending_send_sz. Call it before
 * the ring is shared; vsc_ring_init() then attaches each end to it.
 */
void vsc_ring_control_init(struct vsc_ring_control *ctl, u32 features)
{
	vsc_ring_zero(ctl, sizeof(*ctl));
	ctl->feature_bits = cpu_to_le32(features);
}
EXPORT_SYMBOL_GPL(vsc_ring_control_init);

/**
 * vsc_ring_init() - attach one end to a ring
 * @ring: private state to fill
 * @role: VSC_RING_WRITER or VSC_RING_READER
 * @ctl: the shared control page
 * @data: the shared data area, mapped once
 * @size: bytes in @data: a multiple of 8, VSC_RING_MIN_SIZE..MAX_SIZE
 * @signal: called when the rules say to signal the peer, or NULL
 *
 * Takes the current indices as they are, so an end can re-attach to a ring
 * in use (after a vsp-sim re-exec, say).
 *
 * Return: 0; -EINVAL for a bad @size or @role; -EIO if the indices in the
 * control page are invalid (@ring is then marked broken).
 */
int vsc_ring_init(struct vsc_ring *ring, enum vsc_ring_role role,
		  struct vsc_ring_control *ctl, void *data, u32 size,
		  void (*signal)(struct vsc_ring *ring))
{
	u8 *base = (u8 *)ctl;
	u32 w, r;

	vsc_ring_zero(ring, sizeof(*ring));
	if (size < VSC_RING_MIN_SIZE || size > VSC_RING_MAX_SIZE ||
	    size % VSC_PKT_ALIGN ||
	    (role != VSC_RING_WRITER && role != VSC_RING_READER)) {
		ring->broken = true;
		ring->reason = "bad ring parameters";
		return -EINVAL;
	}

	/* The control page is page-aligned: these words are aligned. */
	ring->write_index = (__le32 *)(base +
		offsetof(struct vsc_ring_control, write_index));
	ring->read_index = (__le32 *)(base +
		offsetof(struct vsc_ring_control, read_index));
	ring->interrupt_mask = (__le32 *)(base +
		offsetof(struct vsc_ring_control, interrupt_mask));
	ring->pending_send_sz = (__le32 *)(base +
		offsetof(struct vsc_ring_control, pending_send_sz));
	ring->feature_bits = (__le32 *)(base +
		offsetof(struct vsc_ring_control, feature_bits));
	ring->data = data;
	ring->size = size;
	ring->role = role;
	ring->signal = signal;

	w = le32_to_cpu(vsc_ring_load(ring->write_index));
	r = le32_to_cpu(vsc_ring_load(ring->read_index));
	if (!vsc_ring_index_ok(ring, w) || !vsc_ring_index_ok(ring, r))
		return vsc_ring_corrupt(ring, "initial index out of range");

	ring->index = role == VSC_RING_WRITER ? w : r;
	ring->peer = role == VSC_RING_WRITER ? r : w;
	ring->cursor = ring->index;
	return 0;
}
EXPORT_SYMBOL_GPL(vsc_ring_init);

/**
 * vsc_ring_set_broken() - mark a ring broken for good
 * @ring: the ring
 * @reason: a static string saying why; the first reason given is kept
 *
 * For callers that find a packet corrupt after the ring handed it over
 * (a parser error, an unknown request id). Every later call fails with -EIO.
 */
void vsc_ring_set_broken(struct vsc_ring *ring, const char *reason)
{
	if (!ring->broken)
		ring->reason = reason;
	ring->broken = true;
}
EXPORT_SYMBOL_GPL(vsc_ring_set_broken);

static int vsc_ring_check_role(struct vsc_ring *ring, enum vsc_ring_role role)
{
	if (unlikely(ring->broken))
		return -EIO;
	if (unlikely(ring->role != role))
		return -EINVAL;
	return 0;
}

/* Free bytes from @ring->cursor up to the read index last seen. */
static u32 vsc_ring_free(const struct vsc_ring *ring)
{
	return ring->size - vsc_ring_dist(ring, ring->peer, ring->cursor);
}

/* Reloads the read index; the caller holds it in ring->peer after this. */
static int vsc_ring_reload_read_index(struct vsc_ring *ring)
{
	u32 r;

	return vsc_ring_peer_index(ring,
				   le32_to_cpu(vsc_ring_load(ring->read_index)),
				   &r);
}

/**
 * vsc_ring_write_begin() - start a batch of packets
 * @ring: the writer's end
 *
 * Packets written with vsc_ring_write_next() become visible to the reader,
 * and the signal decision is made, once, in vsc_ring_write_end().
 *
 * Return: 0, -EINVAL or -EIO.
 */
int vsc_ring_write_begin(struct vsc_ring *ring)
{
	int ret = vsc_ring_check_role(ring, VSC_RING_WRITER);

	if (ret)
		return ret;
	if (ring->in_batch)
		return -EINVAL;
	ret = vsc_ring_own_index_ok(ring);
	if (!ret)
		ret = vsc_ring_reload_read_index(ring);
	if (ret)
		return ret;
	ring->cursor = ring->index;
	ring->in_batch = true;
	return 0;
}
EXPORT_SYMBOL_GPL(vsc_ring_write_begin);

/**
 * vsc_ring_write_next() - add one packet to the current batch
 * @ring: the writer's end, inside vsc_ring_write_begin()
 * @bufs: the pieces of the packet, descriptor first, written back to back
 * @nbufs: number of pieces
 *
 * Pads the packet with zeroes to 8 bytes and appends the trailer. The
 * caller builds the descriptor (vsc_ring_desc_fill()); its len8 must cover
 * the pieces. The read index is read again only when the room seen at
 * vsc_ring_write_begin() is not enough.
 *
 * Return: 0; -ENOSPC when there is no room now; -EMSGSIZE when the packet
 * cannot fit this ring at all; -EINVAL; -EIO.
 */
int vsc_ring_write_next(struct vsc_ring *ring, const struct vsc_ring_buf *bufs,
			unsigned int nbufs)
{
	static const u8 zeroes[VSC_PKT_ALIGN];
	u32 len = 0, space, off, start;
	__le64 trailer;
	unsigned int i;
	int ret;

	ret = vsc_ring_check_role(ring, VSC_RING_WRITER);
	if (ret)
		return ret;
	if (!ring->in_batch)
		return -EINVAL;

	for (i = 0; i < nbufs; i++) {
		if (bufs[i].len > VSC_RING_MAX_PACKET - len)
			return -EMSGSIZE;
		len += bufs[i].len;
	}
	if (len < sizeof(struct vsc_packet_desc))
		return -EINVAL;
	space = vsc_ring_pkt_space(len);
	/* A full ring keeps 8 bytes free: the packet needs strictly more. */
	if (space > ring->size - VSC_PKT_ALIGN)
		return -EMSGSIZE;
	if (space >= vsc_ring_free(ring)) {
		ret = vsc_ring_reload_read_index(ring);
		if (ret)
			return ret;
		if (space >= vsc_ring_free(ring)) {
			ring->stats.full++;
			return -ENOSPC;
		}
	}

	start = ring->cursor;
	off = start;
	for (i = 0; i < nbufs; i++)
		if (bufs[i].len)
			off = vsc_ring_copy_in(ring, off, bufs[i].base,
					       bufs[i].len);
	off = vsc_ring_copy_in(ring, off, zeroes,
			       space - VSC_PKT_TRAILER_SIZE - len);
	trailer = cpu_to_le64((u64)start << 32);
	off = vsc_ring_copy_in(ring, off, &trailer, sizeof(trailer));

	ring->cursor = off;
	ring->stats.packets++;
	ring->stats.bytes += space;
	return 0;
}
EXPORT_SYMBOL_GPL(vsc_ring_write_next);

/**
 * vsc_ring_write_end() - make a batch visible and signal if the rules say so
 * @ring: the writer's end
 *
 * Publishes the write index once. Signals the reader when the ring was
 * empty before the batch (the reader had caught up with our old index) and
 * the reader has not set interrupt_mask.
 *
 * Return: 0, or -EIO when the read index found here is corrupt.
 */
int vsc_ring_write_end(struct vsc_ring *ring)
{
	u32 old = ring->index, r;
	int ret;

	if (!ring->in_batch || ring->role != VSC_RING_WRITER)
		return ring->broken ? -EIO : -EINVAL;
	ring->in_batch = false;
	if (ring->broken)
		return -EIO;
	if (ring->cursor == old)
		return 0;

	/* Orders the packet bytes before the index that makes them visible. */
	vsc_ring_store_release(ring->write_index, cpu_to_le32(ring->cursor));
	ring->index = ring->cursor;
	ring->stats.batches++;

	/*
	 * Orders the write index store before the loads of interrupt_mask and
	 * the read index below; pairs with the barrier in
	 * vsc_ring_unmask_interrupts(), so either the reader sees our packets
	 * or we see its mask cleared and its index caught up.
	 */
	vsc_ring_mb();

	if (vsc_ring_load(ring->interrupt_mask))
		return 0;
	ret = vsc_ring_reload_read_index(ring);
	if (ret)
		return ret;
	r = ring->peer;
	if (r == old)
		vsc_ring_signal(ring);
	return 0;
}
EXPORT_SYMBOL_GPL(vsc_ring_write_end);

/**
 * vsc_ring_write() - write one packet and signal if the rules say so
 * @ring: the writer's end
 * @bufs: the pieces of the packet, descriptor first
 * @nbufs: number of pieces
 *
 * Return: as vsc_ring_write_next().
 */
int vsc_ring_write(struct vsc_ring *ring, const struct vsc_ring_buf *bufs,
		   unsigned int nbufs)
{
	int ret = vsc_ring_write_begin(ring);
	int end;

	if (ret)
		return ret;
	ret = vsc_ring_write_next(ring, bufs, nbufs);
	end = vsc_ring_write_end(ring);
	return ret ? ret : end;
}
EXPORT_SYMBOL_GPL(vsc_ring_write);

/**
 * vsc_ring_send() - build a descriptor and write one packet
 * @ring: the writer's end
 * @type: VSC_PKT_* packet type
 * @flags: VSC_PKT_FLAG_* bits
 * @trans_id: transaction id, echoed in the completion
 * @hdr: NULL for a plain packet, or a header that starts with a struct
 *	vsc_packet_desc (GPA direct, transfer pages) that this fills in
 * @hdr_len: bytes of @hdr, a multiple of 8; the payload starts after it
 * @payload: the payload, or NULL
 * @len: bytes of @payload
 *
 * Return: as vsc_ring_write_next().
 */
int vsc_ring_send(struct vsc_ring *ring, u16 type, u16 flags, u64 trans_id,
		  void *hdr, u32 hdr_len, const void *payload, u32 len)
{
	struct vsc_packet_desc desc;
	struct vsc_ring_buf bufs[2];
	int ret;

	if (!hdr) {
		hdr = &desc;
		hdr_len = sizeof(desc);
	}
	ret = vsc_ring_desc_fill(hdr, type, flags, trans_id, hdr_len, len);
	if (ret)
		return ret;
	bufs[0].base = hdr;
	bufs[0].len = hdr_len;
	bufs[1].base = payload;
	bufs[1].len = payload ? len : 0;
	return vsc_ring_write(ring, bufs, 2);
}
EXPORT_SYMBOL_GPL(vsc_ring_send);

/**
 * vsc_ring_write_avail() - room for the next packet
 * @ring: the writer's end, outside a batch
 *
 * Return: the largest vsc_ring_pkt_space() that fits now, or -EIO.
 */
int vsc_ring_write_avail(struct vsc_ring *ring)
{
	int ret = vsc_ring_check_role(ring, VSC_RING_WRITER);
	u32 free;

	if (!ret)
		ret = vsc_ring_reload_read_index(ring);
	if (ret)
		return ret;
	free = vsc_ring_free(ring);
	return free > VSC_PKT_ALIGN ? free - VSC_PKT_ALIGN : 0;
}
EXPORT_SYMBOL_GPL(vsc_ring_write_avail);

/**
 * vsc_ring_set_pending_send() - ask the reader to signal when room is made
 * @ring: the writer's end, after -ENOSPC
 * @bytes: vsc_ring_pkt_space() of the packet that did not fit
 *
 * Sets pending_send_sz, then looks at the read index again, so a reader
 * that made room meanwhile is not missed. The caller waits for the signal
 * only when this returns 0, and calls vsc_ring_clear_pending_send() once
 * its packet is written.
 *
 * Return: 1 when the room is already there, 0 when the caller should wait
 * for the signal, -EOPNOTSUPP when the ring does not announce the feature,
 * -EINVAL, -EIO.
 */
int vsc_ring_set_pending_send(struct vsc_ring *ring, u32 bytes)
{
	int ret = vsc_ring_check_role(ring, VSC_RING_WRITER);

	if (ret)
		return ret;
	if (!(le32_to_cpu(vsc_ring_load(ring->feature_bits)) &
	      VSC_RING_FEAT_PENDING_SEND_SZ))
		return -EOPNOTSUPP;
	if (bytes >= ring->size)
		return -EMSGSIZE;
	vsc_ring_store(ring->pending_send_sz, cpu_to_le32(bytes));

	/*
	 * Orders the pending_send_sz store before the read index load; pairs
	 * with the barrier in vsc_ring_read_end(), so either the reader sees
	 * our request or we see the room it made.
	 */
	vsc_ring_mb();

	ret = vsc_ring_reload_read_index(ring);
	if (ret)
		return ret;
	return vsc_ring_free(ring) > bytes ? 1 : 0;
}
EXPORT_SYMBOL_GPL(vsc_ring_set_pending_send);

/**
 * vsc_ring_clear_pending_send() - stop asking the reader for room
 * @ring: the writer's end
 */
void vsc_ring_clear_pending_send(struct vsc_ring *ring)
{
	if (ring->role == VSC_RING_WRITER)
		vsc_ring_store(ring->pending_send_sz, 0);
}
EXPORT_SYMBOL_GPL(vsc_ring_clear_pending_send);

/**
 * vsc_ring_read_begin() - start a batch of reads
 * @ring: the reader's end
 *
 * Reads the write index once; vsc_ring_read_next() then returns the
 * packets it covers, and vsc_ring_read_end() frees their room and makes
 * the signal decision once.
 *
 * Return: 0, -EINVAL or -EIO.
 */
int vsc_ring_read_begin(struct vsc_ring *ring)
{
	int ret = vsc_ring_check_role(ring, VSC_RING_READER);
	u32 w;

	if (ret)
		return ret;
	if (ring->in_batch)
		return -EINVAL;
	ret = vsc_ring_own_index_ok(ring);
	if (ret)
		return ret;
	ring->cursor = ring->index;
	/* Orders the write index load before the loads of the packets. */
	w = le32_to_cpu(vsc_ring_load_acquire(ring->write_index));
	ret = vsc_ring_peer_index(ring, w, &w);
	if (ret)
		return ret;
	ring->in_batch = true;
	return 0;
}
EXPORT_SYMBOL_GPL(vsc_ring_read_begin);

/*
 * The next packet of the batch: copies its descriptor out once, checks its
 * lengths against the bytes the writer made visible, and sets @plen (the
 * packet, descriptor included, trailer not). Does not move the cursor.
 */
static int vsc_ring_next_desc(struct vsc_ring *ring,
			      struct vsc_packet_desc *desc, u32 *plen)
{
	u32 avail, len, off;
	int ret;

	ret = vsc_ring_check_role(ring, VSC_RING_READER);
	if (ret)
		return ret;
	if (!ring->in_batch)
		return -EINVAL;

	avail = vsc_ring_dist(ring, ring->cursor, ring->peer);
	if (!avail)
		return -EAGAIN;
	if (avail < sizeof(*desc) + VSC_PKT_TRAILER_SIZE)
		return vsc_ring_corrupt(ring, "partial packet");

	vsc_ring_copy_out(ring, ring->cursor, desc, sizeof(*desc));
	len = (u32)le16_to_cpu(desc->len8) * VSC_PKT_ALIGN;
	off = (u32)le16_to_cpu(desc->offset8) * VSC_PKT_ALIGN;
	if (len < sizeof(*desc))
		return vsc_ring_corrupt(ring, "packet shorter than descriptor");
	if (off < sizeof(*desc) || off > len)
		return vsc_ring_corrupt(ring, "payload offset out of packet");
	if (len > avail - VSC_PKT_TRAILER_SIZE)
		return vsc_ring_corrupt(ring, "packet beyond write index");
	*plen = len;
	return 0;
}

/* Moves the cursor past the @plen-byte packet at it, trailer included. */
static int vsc_ring_next_done(struct vsc_ring *ring, u32 plen)
{
	u32 off = vsc_ring_step(ring, ring->cursor, plen);

	if (ring->flags & VSC_RING_F_STRICT) {
		__le64 trailer;

		vsc_ring_copy_out(ring, off, &trailer, sizeof(trailer));
		if (le64_to_cpu(trailer) != (u64)ring->cursor << 32)
			return vsc_ring_corrupt(ring, "bad packet trailer");
	}
	ring->cursor = vsc_ring_step(ring, off, VSC_PKT_TRAILER_SIZE);
	ring->stats.packets++;
	ring->stats.bytes += plen + VSC_PKT_TRAILER_SIZE;
	return 0;
}

/**
 * vsc_ring_read_next() - copy the next packet of the batch out of the ring
 * @ring: the reader's end, inside vsc_ring_read_begin()
 * @buf: private buffer, 8-byte aligned, that receives the packet
 * @buflen: bytes of @buf
 * @len: set to the packet's length (descriptor included, trailer not);
 *	on -ENOBUFS, to the length @buf would need
 *
 * Checks the descriptor's lengths against the bytes the writer made visible,
 * copies the packet with that same descriptor into @buf, and moves past it.
 * The packet's type and contents are the parser's business
 * (vsc_ring_pkt_parse()).
 *
 * Return: 0; -EAGAIN when the batch has no more packets; -ENOBUFS (the ring
 * is not advanced); -EINVAL; -EIO when the packet is corrupt.
 */
int vsc_ring_read_next(struct vsc_ring *ring, void *buf, u32 buflen,
		       u32 *len)
{
	struct vsc_packet_desc desc;
	u32 plen;
	int ret;

	ret = vsc_ring_next_desc(ring, &desc, &plen);
	if (ret)
		return ret;
	*len = plen;
	if (plen > buflen)
		return -ENOBUFS;

	/* The descriptor checked above, never a second fetch of it. */
	vsc_ring_copy(buf, &desc, sizeof(desc));
	vsc_ring_copy_out(ring, vsc_ring_step(ring, ring->cursor, sizeof(desc)),
			  (u8 *)buf + sizeof(desc), plen - sizeof(desc));
	return vsc_ring_next_done(ring, plen);
}
EXPORT_SYMBOL_GPL(vsc_ring_read_next);

/**
 * vsc_ring_read_next_inplace() - the next packet of the batch, left in place
 * @ring: the reader's end, inside vsc_ring_read_begin()
 * @desc: receives the packet's descriptor, copied out once and checked
 * @body: set to the packet's bytes after the descriptor (@len minus the
 *	descriptor): in the ring's data area, or in @buf when the packet
 *	wraps around the ring's end
 * @buf: private bounce buffer for a packet that wraps; may be NULL
 * @buflen: bytes of @buf
 * @len: set to the packet's length (descriptor included, trailer not)
 *
 * The in-place form of vsc_ring_read_next(): no copy of the packet unless
 * it wraps. The ring is moved past the packet at once, but its room is
 * only freed by vsc_ring_read_end(), so @body stays valid until then: a
 * burst of packets is read in place with one read index publication. The
 * descriptor is the checked private copy; @body is shared memory the peer
 * can still write, so the caller reads each byte of it once (copying it
 * out, checksumming it) and trusts nothing it read twice.
 *
 * Return: as vsc_ring_read_next(); -ENOBUFS when the packet wraps and the
 * body does not fit @buf (the ring is not advanced).
 */
int vsc_ring_read_next_inplace(struct vsc_ring *ring,
			       struct vsc_packet_desc *desc, const u8 **body,
			       void *buf, u32 buflen, u32 *len)
{
	u32 plen, off;
	int ret;

	ret = vsc_ring_next_desc(ring, desc, &plen);
	if (ret)
		return ret;
	*len = plen;
	off = vsc_ring_step(ring, ring->cursor, sizeof(*desc));
	if (plen - sizeof(*desc) <= ring->size - off) {
		*body = ring->data + off;
	} else {
		if (plen - sizeof(*desc) > buflen)
			return -ENOBUFS;
		vsc_ring_copy_out(ring, off, buf, plen - sizeof(*desc));
		*body = buf;
	}
	return vsc_ring_next_done(ring, plen);
}
EXPORT_SYMBOL_GPL(vsc_ring_read_next_inplace);

/**
 * vsc_ring_read_end() - free the room of a batch, signal if the rules say so
 * @ring: the reader's end
 *
 * Publishes the read index once. If the ring announces pending_send_sz and
 * the writer set it, signals the writer when the free space went from at
 * most pending_send_sz to more than it.
 *
 * Return: 0, or -EIO when the write index found here is corrupt.
 */
int vsc_ring_read_end(struct vsc_ring *ring)
{
	u32 consumed, pending, free, w;
	int ret;

	if (!ring->in_batch || ring->role != VSC_RING_READER)
		return ring->broken ? -EIO : -EINVAL;
	ring->in_batch = false;
	if (ring->broken)
		return -EIO;
	if (ring->cursor == ring->index)
		return 0;

	consumed = vsc_ring_dist(ring, ring->index, ring->cursor);
	/* Orders our loads of the packets before the index that frees them. */
	vsc_ring_store_release(ring->read_index, cpu_to_le32(ring->cursor));
	ring->index = ring->cursor;
	ring->stats.batches++;

	/*
	 * Orders the read index store before the loads of pending_send_sz and
	 * the write index; pairs with the barrier in
	 * vsc_ring_set_pending_send(), so either the writer sees the room we
	 * made or we see its request.
	 */
	vsc_ring_mb();

	if (!(le32_to_cpu(vsc_ring_load(ring->feature_bits)) &
	      VSC_RING_FEAT_PENDING_SEND_SZ))
		return 0;
	pending = le32_to_cpu(vsc_ring_load(ring->pending_send_sz));
	if (!pending)
		return 0;
	ret = vsc_ring_peer_index(ring,
				  le32_to_cpu(vsc_ring_load(ring->write_index)),
				  &w);
	if (ret)
		return ret;
	free = ring->size - vsc_ring_dist(ring, ring->index, w);
	if (free <= pending)
		return 0;
	/* Signal only if the room was at most @pending before this batch. */
	if (consumed < free && free - consumed > pending)
		return 0;
	vsc_ring_signal(ring);
	return 0;
}
EXPORT_SYMBOL_GPL(vsc_ring_read_end);

/**
 * vsc_ring_read() - read one packet and signal if the rules say so
 * @ring: the reader's end
 * @buf: private buffer for the packet
 * @buflen: bytes of @buf
 * @len: set as by vsc_ring_read_next()
 *
 * Return: as vsc_ring_read_next().
 */
int vsc_ring_read(struct vsc_ring *ring, void *buf, u32 buflen, u32 *len)
{
	int ret = vsc_ring_read_begin(ring);
	int end;

	if (ret)
		return ret;
	ret = vsc_ring_read_next(ring, buf, buflen, len);
	end = vsc_ring_read_end(ring);
	return ret ? ret : end;
}
EXPORT_SYMBOL_GPL(vsc_ring_read);

/**
 * vsc_ring_read_avail() - bytes written and not yet read
 * @ring: the reader's end, outside a batch
 *
 * Return: the byte count (0 when empty), or -EINVAL, -EIO.
 */
int vsc_ring_read_avail(struct vsc_ring *ring)
{
	int ret = vsc_ring_check_role(ring, VSC_RING_READER);
	u32 w;

	if (ret)
		return ret;
	if (ring->in_batch)
		return -EINVAL;
	ret = vsc_ring_peer_index(ring,
				  le32_to_cpu(vsc_ring_load(ring->write_index)),
				  &w);
	if (ret)
		return ret;
	return vsc_ring_dist(ring, ring->index, w);
}
EXPORT_SYMBOL_GPL(vsc_ring_read_avail);

/**
 * vsc_ring_mask_interrupts() - tell the writer not to signal us
 * @ring: the reader's end, about to poll
 *
 * A hint: a writer that has not seen it yet may still signal once.
 */
void vsc_ring_mask_interrupts(struct vsc_ring *ring)
{
	if (ring->role == VSC_RING_READER)
		vsc_ring_store(ring->interrupt_mask, cpu_to_le32(1));
}
EXPORT_SYMBOL_GPL(vsc_ring_mask_interrupts);

/**
 * vsc_ring_unmask_interrupts() - ask for signals again, then look once more
 * @ring: the reader's end, done polling
 *
 * Clears interrupt_mask and reads the write index again. Packets written
 * while the mask was set did not signal, so when this returns a positive
 * count the caller reads again instead of waiting.
 *
 * Return: bytes waiting (0 when the caller may wait for a signal), or
 * -EINVAL, -EIO.
 */
int vsc_ring_unmask_interrupts(struct vsc_ring *ring)
{
	int ret = vsc_ring_check_role(ring, VSC_RING_READER);

	if (ret)
		return ret;
	vsc_ring_store(ring->interrupt_mask, 0);

	/*
	 * Orders clearing the mask before the write index load in
	 * vsc_ring_read_avail(); pairs with the barrier in
	 * vsc_ring_write_end(), so either the writer sees the mask clear and
	 * signals, or we see its packets.
	 */
	vsc_ring_mb();

	return vsc_ring_read_avail(ring);
}
EXPORT_SYMBOL_GPL(vsc_ring_unmask_interrupts);
