// SPDX-License-Identifier: GPL-2.0
/* Helpers of the back-end interface (bio.h): iovec copies, bio lists. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bio.h"

uint64_t vsp_iov_len(const struct iovec *iov, uint32_t n)
{
	uint64_t len = 0;

	for (uint32_t i = 0; i < n; i++)
		len += iov[i].iov_len;
	return len;
}

uint64_t vsp_iov_from_buf(const struct iovec *iov, uint32_t n,
			  const void *src, uint64_t len)
{
	const uint8_t *s = src;
	uint64_t done = 0;

	for (uint32_t i = 0; i < n && done < len; i++) {
		uint64_t k = iov[i].iov_len;

		if (k > len - done)
			k = len - done;
		memcpy(iov[i].iov_base, s + done, k);
		done += k;
	}
	return done;
}

uint64_t vsp_iov_to_buf(const struct iovec *iov, uint32_t n, void *dst,
			uint64_t len)
{
	uint8_t *d = dst;
	uint64_t done = 0;

	for (uint32_t i = 0; i < n && done < len; i++) {
		uint64_t k = iov[i].iov_len;

		if (k > len - done)
			k = len - done;
		memcpy(d + done, iov[i].iov_base, k);
		done += k;
	}
	return done;
}

int vsp_bio_list_push(struct vsp_bio_list *l, struct vsp_bio *bio)
{
	if (l->n == l->cap) {
		uint32_t cap = l->cap ? 2 * l->cap : 64;
		struct vsp_bio **v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = bio;
	return 0;
}

void vsp_bio_list_free(struct vsp_bio_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
