// SPDX-License-Identifier: GPL-2.0
/* The memory back-end queue (memq.h). */
#include <errno.h>
#include <string.h>

#include "memq.h"

static void vsp_memq_do(struct vsp_memq *m, struct vsp_bio *bio)
{
	struct vsp_memdisk *d = bio->target;

	bio->res = m->fail;
	if (!bio->res && (bio->off > d->size || bio->len > d->size - bio->off))
		bio->res = -EIO;
	if (!bio->res) {
		uint8_t *p = d->data + bio->off;

		switch (bio->op) {
		case VSP_BIO_READ:
			vsp_iov_from_buf(bio->iov, bio->iovcnt, p, bio->len);
			break;
		case VSP_BIO_WRITE:
			vsp_iov_to_buf(bio->iov, bio->iovcnt, p, bio->len);
			m->fua_writes += bio->fua;
			break;
		case VSP_BIO_FLUSH:
			m->flushes++;
			break;
		case VSP_BIO_DISCARD:
			memset(p, 0, bio->len);
			m->discards++;
			break;
		}
	}
	bio->done(bio);
}

static void vsp_memq_submit(struct vsp_bq *q, struct vsp_bio *bio)
{
	struct vsp_memq *m = (struct vsp_memq *)q;

	if (!m->defer) {
		vsp_memq_do(m, bio);
		return;
	}
	if (vsp_bio_list_push(&m->held, bio)) {
		bio->res = -ENOMEM;
		bio->done(bio);
	}
}

void vsp_memq_init(struct vsp_memq *m)
{
	memset(m, 0, sizeof(*m));
	m->q.submit = vsp_memq_submit;
}

uint32_t vsp_memq_run(struct vsp_memq *m)
{
	uint32_t n = 0;

	while (m->held.n) {
		vsp_memq_do(m, m->held.v[--m->held.n]);
		n++;
	}
	return n;
}

void vsp_memq_exit(struct vsp_memq *m)
{
	vsp_memq_run(m);
	vsp_bio_list_free(&m->held);
}
