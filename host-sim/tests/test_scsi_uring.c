// SPDX-License-Identifier: GPL-2.0
/*
 * The io_uring back end (src/scsi/uring.c) on a temporary image file: reads
 * and writes through O_DIRECT and through the page cache when a buffer is
 * not aligned, FUA and flush, hole punching (the file's allocated blocks
 * shrink), many bios with a shallow ring, and a disk on top of it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include <vsc/scsi.h>

#include "scsi/disk.h"
#include "scsi/uring.h"
#include "scsi_fix.h"

#define IMG	(8u << 20)

struct tu {
	char path[64];
	struct vsp_file f;
	struct vsp_uring u;
	uint32_t done;
};

static int tu_setup(void **state)
{
	struct tu *t = calloc(1, sizeof(*t));
	int fd;

	assert_non_null(t);
	strcpy(t->path, "/tmp/vsp-uring-XXXXXX");
	fd = mkstemp(t->path);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, IMG), 0);
	close(fd);
	assert_int_equal(vsp_file_open(&t->f, t->path, false, true), 0);
	assert_int_equal(vsp_uring_init(&t->u, 8), 0);
	*state = t;
	return 0;
}

static int tu_teardown(void **state)
{
	struct tu *t = *state;

	vsp_uring_exit(&t->u);
	vsp_file_close(&t->f);
	unlink(t->path);
	free(t);
	return 0;
}

static void bio_done(struct vsp_bio *bio)
{
	((struct tu *)bio->priv)->done++;
}

/* Polls the eventfd and reaps until @n bios are done. */
static void wait_done(struct tu *t, uint32_t n)
{
	struct pollfd p = { .fd = vsp_uring_fd(&t->u), .events = POLLIN };

	while (t->done < n) {
		assert_true(poll(&p, 1, 5000) == 1);
		vsp_uring_reap(&t->u);
	}
}

static void one(struct tu *t, struct vsp_bio *b, enum vsp_bio_op op,
		uint64_t off, struct iovec *iov, uint32_t cnt)
{
	memset(b, 0, sizeof(*b));
	b->op = op;
	b->target = &t->f;
	b->off = off;
	b->iov = iov;
	b->iovcnt = cnt;
	b->len = vsp_iov_len(iov, cnt);
	b->done = bio_done;
	b->priv = t;
	t->done = 0;
	t->u.q.submit(&t->u.q, b);
	wait_done(t, 1);
}

static void test_rw_direct_and_buffered(void **state)
{
	struct tu *t = *state;
	struct iovec iov[2];
	struct vsp_bio b;
	uint8_t *a, *r;

	assert_int_equal(t->f.size, IMG);
	assert_true(t->f.can_punch);
	if (t->f.dfd < 0)			/* tmpfs before 6.6 */
		print_message("no O_DIRECT here: page cache only\n");
	assert_int_equal(posix_memalign((void **)&a, 4096, 3 * 4096), 0);
	assert_int_equal(posix_memalign((void **)&r, 4096, 3 * 4096), 0);
	for (int i = 0; i < 3 * 4096; i++)
		a[i] = (uint8_t)(i * 31 + 1);
	/* aligned: O_DIRECT, FUA */
	iov[0] = (struct iovec){ a, 8192 };
	b.fua = true;
	one(t, &b, VSP_BIO_WRITE, 4096, iov, 1);
	assert_int_equal(b.res, 0);
	iov[0] = (struct iovec){ r, 4096 };
	iov[1] = (struct iovec){ r + 4096, 4096 };
	one(t, &b, VSP_BIO_READ, 4096, iov, 2);
	assert_int_equal(b.res, 0);
	assert_memory_equal(a, r, 8192);
	/* 512 bytes at an odd address and offset: the page cache */
	iov[0] = (struct iovec){ a + 1, 512 };
	one(t, &b, VSP_BIO_WRITE, 4096 + 512, iov, 1);
	assert_int_equal(b.res, 0);
	memset(r, 0, 8192);
	iov[0] = (struct iovec){ r, 8192 };
	one(t, &b, VSP_BIO_READ, 4096, iov, 1);
	assert_memory_equal(r + 512, a + 1, 512);
	assert_memory_equal(r + 1024, a + 1024, 8192 - 1024);
	one(t, &b, VSP_BIO_FLUSH, 0, NULL, 0);
	assert_int_equal(b.res, 0);
	free(a);
	free(r);
}

static uint64_t allocated(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return (uint64_t)st.st_blocks * 512;
}

static void test_punch(void **state)
{
	struct tu *t = *state;
	uint8_t *a = malloc(1 << 20);
	struct iovec iov = { a, 1 << 20 };
	struct vsp_bio b;
	uint64_t before;

	memset(a, 0x77, 1 << 20);
	one(t, &b, VSP_BIO_WRITE, 2 << 20, &iov, 1);
	one(t, &b, VSP_BIO_FLUSH, 0, NULL, 0);
	before = allocated(t->path);
	assert_true(before >= (1 << 20));
	memset(&b, 0, sizeof(b));
	b.len = 1 << 20;
	b.op = VSP_BIO_DISCARD;
	b.off = 2 << 20;
	b.target = &t->f;
	b.done = bio_done;
	b.priv = t;
	t->done = 0;
	t->u.q.submit(&t->u.q, &b);
	wait_done(t, 1);
	assert_int_equal(b.res, 0);
	assert_true(allocated(t->path) <= before - (1 << 20));
	one(t, &b, VSP_BIO_READ, 2 << 20, &iov, 1);
	for (int i = 0; i < (1 << 20); i += 4093)
		assert_int_equal(a[i], 0);
	assert_int_equal(t->f.size, IMG);
	free(a);
}

static void test_many_in_flight(void **state)
{
	struct tu *t = *state;
	enum { N = 64 };
	struct vsp_bio b[N];
	struct iovec iov[N];
	uint8_t *buf;

	assert_int_equal(posix_memalign((void **)&buf, 4096, N * 4096), 0);
	t->done = 0;
	for (int i = 0; i < N; i++) {
		memset(buf + i * 4096, i, 4096);
		iov[i] = (struct iovec){ buf + i * 4096, 4096 };
		memset(&b[i], 0, sizeof(b[i]));
		b[i].op = VSP_BIO_WRITE;
		b[i].target = &t->f;
		b[i].off = (uint64_t)i * 4096;
		b[i].len = 4096;
		b[i].iov = &iov[i];
		b[i].iovcnt = 1;
		b[i].done = bio_done;
		b[i].priv = t;
		t->u.q.submit(&t->u.q, &b[i]);
	}
	assert_true(vsp_uring_busy(&t->u) > 0);
	vsp_uring_drain(&t->u);
	assert_int_equal(t->done, N);
	assert_int_equal(vsp_uring_busy(&t->u), 0);
	assert_true(t->u.peak <= 8);
	for (int i = 0; i < N; i++)
		assert_int_equal(b[i].res, 0);
	free(buf);
}

static void cmd_done(struct vsp_scsi_cmd *c)
{
	((struct tu *)c->priv)->done++;
}

static void test_disk_on_file(void **state)
{
	struct vsp_disk_cfg cfg = {
		.lbs = 4096, .pbs = 4096, .lbprz = true, .max_xfer = 1 << 20,
	};
	static const uint8_t sync10[10] = { 0x35 };
	uint8_t w[10] = { 0x2a, 0x08, 0, 0, 0, 5, 0, 0, 2, 0 };
	struct tu *t = *state;
	struct vsp_scsi_cmd c;
	struct vsp_disk d;
	uint8_t buf[8192], back[8192];
	struct iovec iov = { buf, sizeof(buf) };

	cfg.can_unmap = t->f.can_punch;
	assert_int_equal(vsp_file_serial(t->path, cfg.serial), 0);
	assert_int_equal(strlen(cfg.serial), 19);
	assert_int_equal(vsp_disk_init(&d, &cfg, &t->f, t->f.size), 0);
	assert_int_equal(d.blocks, IMG / 4096);
	memset(buf, 0xc3, sizeof(buf));
	memset(&c, 0, sizeof(c));
	memcpy(c.cdb, w, 10);
	c.cdb_len = 10;
	c.dir = VSP_DIR_OUT;
	c.iov = &iov;
	c.iovcnt = 1;
	c.xfer_len = sizeof(buf);
	c.done = cmd_done;
	c.priv = t;
	t->done = 0;
	vsp_disk_submit(&d, &t->u.q, &c);
	wait_done(t, 1);
	assert_int_equal(c.status, 0);
	assert_int_equal(c.transferred, 8192);
	assert_int_equal(pread(t->f.fd, back, sizeof(back), 5 * 4096), 8192);
	assert_memory_equal(back, buf, sizeof(back));
	memcpy(c.cdb, sync10, 10);
	c.dir = VSP_DIR_NONE;
	c.xfer_len = 0;
	t->done = 0;
	vsp_disk_submit(&d, &t->u.q, &c);
	wait_done(t, 1);
	assert_int_equal(c.status, 0);
}

static void test_open_errors_and_serial(void **state)
{
	struct vsp_file f;
	char a[21], b[21];
	struct tu *t = *state;

	assert_int_equal(vsp_file_open(&f, "/nonexistent/x", false, false), -ENOENT);
	assert_int_equal(vsp_file_open(&f, "/tmp", false, false), -EISDIR);
	assert_int_equal(vsp_file_serial(t->path, a), 0);
	assert_int_equal(vsp_file_serial(t->path, b), 0);
	assert_string_equal(a, b);
	assert_int_equal(vsp_file_serial("/etc/hostname", b), 0);
	assert_string_not_equal(a, b);
	/* read-only: no punching */
	assert_int_equal(vsp_file_open(&f, t->path, true, false), 0);
	assert_false(f.can_punch);
	assert_true(f.read_only);
	vsp_file_close(&f);
}

/*
 * The VSTOR server on a file through io_uring, as the storage class will
 * run it: 32 writes of 8 KiB from guest RAM in flight at once, answered as
 * the worker reaps, then read back.
 */
static void test_vstor_on_file(void **state)
{
	struct vsp_disk_cfg cfg = {
		.lbs = 512, .pbs = 4096, .lbprz = true, .max_xfer = 64 * 1024,
		.serial = "E2E",
	};
	uint8_t w[10] = { 0x2a, 0x08, 0, 0, 0, 0, 0, 0, 16, 0 };
	struct tu *t = *state;
	struct fix *f = calloc(1, sizeof(*f));
	struct pollfd p = { .events = POLLIN };
	struct vsp_uring deep;
	struct vsp_disk d;
	uint8_t back[8192];

	assert_non_null(f);
	assert_int_equal(vsp_uring_init(&deep, 32), 0);
	p.fd = vsp_uring_fd(&deep);
	assert_int_equal(fix_init(f, 64 * 1024), 0);
	f->ch.q = &deep.q;
	cfg.can_unmap = t->f.can_punch;
	assert_int_equal(vsp_disk_init(&d, &cfg, &t->f, t->f.size), 0);
	assert_int_equal(vsp_vstor_add_lun(&f->v, 0, 0, &d), 0);
	assert_int_equal(fix_handshake(f), 0);
	for (uint32_t i = 0; i < 32; i++) {
		memset(f->ram + i * 8192, (int)i + 1, 8192);
		vsp_put_be32(w + 2, i * 16);
		assert_int_equal(fix_srb(f, 0, w, 10, VSC_VSTOR_DIR_WRITE, 8192,
					 2 * i, 0, 100 + i), 0);
	}
	assert_int_equal(f->ch.inflight, 32);
	assert_true(deep.peak >= 16);
	while (f->ch.inflight) {
		assert_true(poll(&p, 1, 5000) == 1);
		vsp_uring_reap(&deep);
	}
	assert_int_equal(f->replies, 4 + 32);
	assert_int_equal(f->reply.srb.srb_status, VSC_SRB_STATUS_SUCCESS);
	assert_int_equal(le32_to_cpu(f->reply.srb.data_transfer_length), 8192);
	for (uint32_t i = 0; i < 32; i += 7) {
		assert_int_equal(pread(t->f.fd, back, sizeof(back), i * 8192), 8192);
		assert_memory_equal(back, f->ram + i * 8192, sizeof(back));
	}
	assert_int_equal(f->v.rejected, 0);
	vsp_uring_exit(&deep);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rw_direct_and_buffered,
						tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_punch, tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_many_in_flight,
						tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_disk_on_file,
						tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_open_errors_and_serial,
						tu_setup, tu_teardown),
		cmocka_unit_test_setup_teardown(test_vstor_on_file,
						tu_setup, tu_teardown),
	};

	return cmocka_run_group_tests_name("scsi_uring", tests, NULL, NULL);
}
