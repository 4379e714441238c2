// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: GPA validation. Any layout, any range: the answer of
 * vsp_gpa_translate() must equal a 128-bit model of the spec's layout,
 * and an accepted range must lie inside the RAM file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gpa.h"

static uint64_t rd64(const uint8_t **p, size_t *n)
{
	uint64_t v = 0;
	size_t k = *n < 8 ? *n : 8;

	memcpy(&v, *p, k);
	*p += k;
	*n -= k;
	return v;
}

static int model(uint64_t size, uint64_t below, uint64_t gpa, uint64_t len,
		 uint64_t *off)
{
	unsigned __int128 end = (unsigned __int128)gpa + len;
	uint64_t low = size < below ? size : below;
	uint64_t conv = low < 0xa0000 ? low : 0xa0000;

	if (!len || !size || below > VSP_GPA_4G)
		return 0;
	if (end <= conv) {
		*off = gpa;
		return 1;
	}
	if (gpa >= 0x100000 && end <= low) {
		*off = gpa;
		return 1;
	}
	if (gpa >= VSP_GPA_4G && end <= (unsigned __int128)VSP_GPA_4G + (size - low)) {
		*off = gpa - VSP_GPA_4G + low;
		return 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vsp_ram_layout l;
	uint64_t gpa, len, off = ~0ULL, moff = ~0ULL;
	uint8_t shape;
	int ok, want;

	if (size < 1)
		return 0;
	shape = data[0];
	data++;
	size--;
	l.size = rd64(&data, &size);
	l.below4g = rd64(&data, &size);
	gpa = rd64(&data, &size);
	len = rd64(&data, &size);
	/* Steer some inputs to realistic layouts and small lengths. */
	if (shape & 1)
		l.size &= 0xffffffffffULL;
	if (shape & 2)
		l.below4g &= 0x1ffffffffULL;
	if (shape & 4)
		len &= 0x1ffff;
	if (shape & 8)
		gpa = (gpa & 0x1ffffffffULL) | (shape & 16 ? VSP_GPA_4G : 0);
	ok = vsp_gpa_translate(&l, gpa, len, &off);
	want = model(l.size, l.below4g, gpa, len, &moff);
	if (ok != want || (ok && off != moff))
		abort();
	/* Inside the file, never wrapping. */
	if (ok && (off >= l.size || len > l.size - off))
		abort();
	return 0;
}
