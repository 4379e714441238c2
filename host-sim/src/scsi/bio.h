/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The back-end interface of the storage class: a block I/O (struct vsp_bio)
 * goes to a queue (struct vsp_bq), which completes it later, or at once,
 * by calling bio->done. One queue serves one channel's worker: its
 * completions run on that thread when the worker reaps the queue, so the
 * disk and VSTOR code above need no locks. Queues: the io_uring one
 * (uring.c) for raw files and block devices, and a memory one (memq.c) for
 * tests and fuzzers.
 */
#ifndef VSP_SCSI_BIO_H
#define VSP_SCSI_BIO_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

enum vsp_bio_op {
	VSP_BIO_READ,
	VSP_BIO_WRITE,
	VSP_BIO_FLUSH,		/* data durable: fdatasync */
	VSP_BIO_DISCARD,	/* punch [off, off + len) out: reads zeroes */
};

struct vsp_bio {
	enum vsp_bio_op op;
	bool fua;		/* WRITE: durable before done (RWF_DSYNC) */
	void *target;		/* the image, in the queue's terms */
	uint64_t off;
	uint64_t len;		/* READ/WRITE: bytes of iov */
	struct iovec *iov;	/* READ/WRITE; the queue may advance it */
	uint32_t iovcnt;
	int res;		/* on done: 0 or -errno */
	void (*done)(struct vsp_bio *bio);
	void *priv;
};

struct vsp_bq {
	/* Takes @bio; bio->done runs exactly once, maybe before this returns. */
	void (*submit)(struct vsp_bq *q, struct vsp_bio *bio);
};

/* A growing array of bios (queues that hold some back). */
struct vsp_bio_list {
	struct vsp_bio **v;
	uint32_t n, cap;
};

/* Appends @bio; -ENOMEM if the array cannot grow. */
int vsp_bio_list_push(struct vsp_bio_list *l, struct vsp_bio *bio);
void vsp_bio_list_free(struct vsp_bio_list *l);

/* Bytes the iovecs hold. */
uint64_t vsp_iov_len(const struct iovec *iov, uint32_t n);
/* Copies up to @len bytes from @src into the iovecs; returns bytes copied. */
uint64_t vsp_iov_from_buf(const struct iovec *iov, uint32_t n,
			  const void *src, uint64_t len);
/* Copies up to @len bytes out of the iovecs; returns bytes copied. */
uint64_t vsp_iov_to_buf(const struct iovec *iov, uint32_t n, void *dst,
			uint64_t len);

#endif /* VSP_SCSI_BIO_H */
