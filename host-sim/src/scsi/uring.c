// SPDX-License-Identifier: GPL-2.0
/* The raw-image back end over io_uring (uring.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "disk.h"
#include "uring.h"

#define VSP_DIO_ALIGN	4096u

int vsp_file_open(struct vsp_file *f, const char *path, bool read_only,
		  bool direct)
{
	int flags = (read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC;
	struct stat st;

	memset(f, 0, sizeof(*f));
	f->dfd = -1;
	f->read_only = read_only;
	f->fd = open(path, flags);
	if (f->fd < 0)
		return -errno;
	if (fstat(f->fd, &st) < 0)
		goto fail;
	f->is_blk = S_ISBLK(st.st_mode);
	if (f->is_blk) {
		if (ioctl(f->fd, BLKGETSIZE64, &f->size) < 0)
			goto fail;
	} else if (S_ISREG(st.st_mode)) {
		f->size = (uint64_t)st.st_size;
	} else {
		errno = EINVAL;
		goto fail;
	}
	/* A block device zeroes a punched range; a file reads holes as 0. */
	if (!read_only)
		f->can_punch = f->is_blk ||
			!fallocate(f->fd, FALLOC_FL_PUNCH_HOLE |
				   FALLOC_FL_KEEP_SIZE, (off_t)f->size, 4096);
	f->dio_align = VSP_DIO_ALIGN;
	if (direct)
		f->dfd = open(path, flags | O_DIRECT);
	return 0;
fail:
	flags = -errno;
	close(f->fd);
	f->fd = -1;
	return flags;
}

void vsp_file_close(struct vsp_file *f)
{
	if (f->dfd >= 0)
		close(f->dfd);
	if (f->fd >= 0)
		close(f->fd);
	f->fd = f->dfd = -1;
}

int vsp_file_serial(const char *path, char serial[21])
{
	char *real = realpath(path, NULL);
	uint64_t h;

	if (!real)
		return -errno;
	h = vsp_scsi_hash(real, VSP_HASH_SEED);
	free(real);
	snprintf(serial, 21, "VSC%016llx", (unsigned long long)h);
	return 0;
}

/* The O_DIRECT descriptor if the bio meets its alignment, else the other. */
static int vsp_pick_fd(const struct vsp_file *f, const struct vsp_bio *bio)
{
	uint32_t a = f->dio_align;

	if (f->dfd < 0 || bio->off % a)
		return f->fd;
	for (uint32_t i = 0; i < bio->iovcnt; i++)
		if ((uintptr_t)bio->iov[i].iov_base % a || bio->iov[i].iov_len % a)
			return f->fd;
	return f->dfd;
}

/* Puts @bio into an SQE; false if the ring has no room. */
static bool vsp_uring_prep(struct vsp_uring *u, struct vsp_bio *bio)
{
	const struct vsp_file *f = bio->target;
	struct io_uring_sqe *sqe;

	if (u->inflight >= u->depth)
		return false;
	sqe = io_uring_get_sqe(&u->ring);
	if (!sqe) {
		io_uring_submit(&u->ring);
		sqe = io_uring_get_sqe(&u->ring);
		if (!sqe)
			return false;
	}
	switch (bio->op) {
	case VSP_BIO_READ:
		io_uring_prep_readv(sqe, vsp_pick_fd(f, bio), bio->iov,
				    bio->iovcnt, bio->off);
		break;
	case VSP_BIO_WRITE:
		io_uring_prep_writev2(sqe, vsp_pick_fd(f, bio), bio->iov,
				      bio->iovcnt, bio->off,
				      bio->fua ? RWF_DSYNC : 0);
		break;
	case VSP_BIO_FLUSH:
		io_uring_prep_fsync(sqe, f->fd, IORING_FSYNC_DATASYNC);
		break;
	case VSP_BIO_DISCARD:
		io_uring_prep_fallocate(sqe, f->fd, FALLOC_FL_PUNCH_HOLE |
					FALLOC_FL_KEEP_SIZE, (off_t)bio->off,
					(off_t)bio->len);
		break;
	}
	io_uring_sqe_set_data(sqe, bio);
	u->inflight++;
	if (u->inflight > u->peak)
		u->peak = u->inflight;
	return true;
}

static void vsp_uring_submit(struct vsp_bq *q, struct vsp_bio *bio)
{
	struct vsp_uring *u = (struct vsp_uring *)q;

	if (!u->wait.n && vsp_uring_prep(u, bio)) {
		io_uring_submit(&u->ring);
		return;
	}
	if (vsp_bio_list_push(&u->wait, bio)) {
		bio->res = -ENOMEM;
		bio->done(bio);
	}
}

/* Moves waiting bios into the ring while there is room. */
static void vsp_uring_refill(struct vsp_uring *u)
{
	uint32_t i = 0;

	while (i < u->wait.n && vsp_uring_prep(u, u->wait.v[i]))
		i++;
	if (!i)
		return;
	memmove(u->wait.v, u->wait.v + i, (u->wait.n - i) * sizeof(*u->wait.v));
	u->wait.n -= i;
	io_uring_submit(&u->ring);
}

/* Skips @n bytes of a read or write that the kernel did only in part. */
static void vsp_bio_advance(struct vsp_bio *bio, uint64_t n)
{
	bio->off += n;
	bio->len -= n;
	while (n && bio->iovcnt) {
		if (bio->iov->iov_len > n) {
			bio->iov->iov_base = (uint8_t *)bio->iov->iov_base + n;
			bio->iov->iov_len -= n;
			return;
		}
		n -= bio->iov->iov_len;
		bio->iov++;
		bio->iovcnt--;
	}
}

/* True if the bio is finished; else it went back into the queue. */
static bool vsp_uring_result(struct vsp_uring *u, struct vsp_bio *bio, int res)
{
	bool rw = bio->op == VSP_BIO_READ || bio->op == VSP_BIO_WRITE;

	if (res == -EAGAIN || res == -EINTR) {
		vsp_uring_submit(&u->q, bio);
		return false;
	}
	if (res < 0) {
		bio->res = res;
		return true;
	}
	bio->res = 0;
	if (!rw || (uint64_t)res >= bio->len)
		return true;
	if (!res) {			/* end of file inside the disk */
		bio->res = -EIO;
		return true;
	}
	vsp_bio_advance(bio, (uint64_t)res);
	vsp_uring_submit(&u->q, bio);
	return false;
}

uint32_t vsp_uring_reap(struct vsp_uring *u)
{
	struct io_uring_cqe *cqe;
	uint64_t ev;
	uint32_t n = 0;

	if (read(u->efd, &ev, sizeof(ev)) < 0 && errno != EAGAIN)
		return 0;
	while (io_uring_peek_cqe(&u->ring, &cqe) == 0) {
		struct vsp_bio *bio = io_uring_cqe_get_data(cqe);
		int res = cqe->res;

		io_uring_cqe_seen(&u->ring, cqe);
		u->inflight--;
		if (vsp_uring_result(u, bio, res)) {
			bio->done(bio);
			n++;
		}
	}
	vsp_uring_refill(u);
	return n;
}

int vsp_uring_init(struct vsp_uring *u, uint32_t depth)
{
	int ret;

	memset(u, 0, sizeof(*u));
	u->q.submit = vsp_uring_submit;
	u->depth = depth;
	ret = io_uring_queue_init(depth, &u->ring, 0);
	if (ret < 0)
		return ret;
	u->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (u->efd < 0) {
		ret = -errno;
		io_uring_queue_exit(&u->ring);
		return ret;
	}
	ret = io_uring_register_eventfd(&u->ring, u->efd);
	if (ret < 0) {
		close(u->efd);
		io_uring_queue_exit(&u->ring);
	}
	return ret;
}

void vsp_uring_drain(struct vsp_uring *u)
{
	struct io_uring_cqe *cqe;

	while (vsp_uring_busy(u)) {
		vsp_uring_refill(u);
		if (io_uring_wait_cqe(&u->ring, &cqe) < 0)
			continue;
		vsp_uring_reap(u);
	}
}

void vsp_uring_exit(struct vsp_uring *u)
{
	vsp_uring_drain(u);
	io_uring_queue_exit(&u->ring);
	close(u->efd);
	vsp_bio_list_free(&u->wait);
}
