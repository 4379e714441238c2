// SPDX-License-Identifier: GPL-2.0
/*
 * Zero-copy ring mapping: a GPADL's pages, wherever they are in guest
 * RAM, mapped back to back into a reserved area of vsp-sim's address
 * space, straight from the RAM file (MAP_SHARED | MAP_FIXED), so that the
 * ring code sees one contiguous data area. Runs of consecutive pages take
 * one mmap each.
 */
#include <errno.h>
#include <sys/mman.h>

#include "chan.h"

int vsp_ringmap(int fd, const uint64_t *offs, uint32_t n, void **base)
{
	size_t len = (size_t)n * VSP_PAGE;
	uint32_t i, j;
	uint8_t *b;
	void *p;

	if (!n)
		return -EINVAL;
	b = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
		 MAP_NORESERVE, -1, 0);
	if (b == MAP_FAILED)
		return -errno;
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && offs[j] == offs[j - 1] + VSP_PAGE; j++)
			;
		p = mmap(b + (size_t)i * VSP_PAGE, (size_t)(j - i) * VSP_PAGE,
			 PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd,
			 offs[i]);
		if (p == MAP_FAILED) {
			int ret = -errno;

			munmap(b, len);
			return ret;
		}
	}
	*base = b;
	return 0;
}

void vsp_ringunmap(void *base, uint32_t n)
{
	if (base)
		munmap(base, (size_t)n * VSP_PAGE);
}
