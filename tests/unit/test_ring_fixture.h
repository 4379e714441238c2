/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A ring in plain memory with both ends attached, for the unit tests, the
 * fuzzers and the benchmark: the same fixture everywhere.
 */
#ifndef _VSC_TEST_RING_FIXTURE_H
#define _VSC_TEST_RING_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "vmbus/ring.h"

struct ring_fixture {
	struct vsc_ring_control *ctl;
	u8 *data;
	u32 size;
	struct vsc_ring w;		/* the writer's end */
	struct vsc_ring r;		/* the reader's end */
};

/* Allocates and formats a ring of @size data bytes; 0 on success. */
static inline int ring_fixture_init(struct ring_fixture *f, u32 size,
				    u32 features)
{
	memset(f, 0, sizeof(*f));
	f->ctl = aligned_alloc(4096, sizeof(*f->ctl));
	f->data = aligned_alloc(4096, (size + 4095) & ~4095U);
	if (!f->ctl || !f->data)
		return -1;
	f->size = size;
	memset(f->data, 0xa5, size);
	vsc_ring_control_init(f->ctl, features);
	if (vsc_ring_init(&f->w, VSC_RING_WRITER, f->ctl, f->data, size, NULL))
		return -1;
	if (vsc_ring_init(&f->r, VSC_RING_READER, f->ctl, f->data, size, NULL))
		return -1;
	return 0;
}

static inline void ring_fixture_fini(struct ring_fixture *f)
{
	free(f->ctl);
	free(f->data);
	f->ctl = NULL;
	f->data = NULL;
}

/* Sets a shared word of the control page as a (hostile) peer would. */
#define ring_fixture_poke(field, v)	((field) = cpu_to_le32(v))

#endif /* _VSC_TEST_RING_FIXTURE_H */
