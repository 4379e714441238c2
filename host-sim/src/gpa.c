// SPDX-License-Identifier: GPL-2.0
/*
 * GPA validation and translation, the only gate to guest memory.
 *
 * The RAM regions, as half-open GPA intervals:
 *   [0, min(low, 0xA0000))		file offset = GPA
 *   [0x100000, low)			file offset = GPA
 *   [4G, 4G + (size - low))		file offset = GPA - 4G + low
 * where low = min(size, below4g). A range is valid only inside one region.
 * Every check is written in subtract form so that no sum can wrap.
 */
#include <stddef.h>

#include "gpa.h"

bool vsp_layout_valid(const struct vsp_ram_layout *l)
{
	return l->size > 0 && l->below4g <= VSP_GPA_4G;
}

/*
 * Is [gpa, gpa + len) inside [start, start + rsize)? If so, *rel is
 * gpa - start. Never forms gpa + len or start + rsize.
 */
static bool in_region(uint64_t gpa, uint64_t len, uint64_t start,
		      uint64_t rsize, uint64_t *rel)
{
	uint64_t r;

	if (gpa < start)
		return false;
	r = gpa - start;
	if (r >= rsize)
		return false;
	if (len > rsize - r)
		return false;
	*rel = r;
	return true;
}

bool vsp_gpa_translate(const struct vsp_ram_layout *l, uint64_t gpa,
		       uint64_t len, uint64_t *off)
{
	uint64_t low, high, rel;

	if (len == 0 || !vsp_layout_valid(l))
		return false;
	low = l->size < l->below4g ? l->size : l->below4g;
	high = l->size - low;

	/* Conventional memory below the legacy hole. */
	if (in_region(gpa, len, 0,
		      low < VSP_GPA_HOLE_START ? low : VSP_GPA_HOLE_START,
		      &rel)) {
		*off = rel;
		return true;
	}
	/* From 1 MiB up to the split. */
	if (low > VSP_GPA_HOLE_END &&
	    in_region(gpa, len, VSP_GPA_HOLE_END, low - VSP_GPA_HOLE_END,
		      &rel)) {
		*off = VSP_GPA_HOLE_END + rel;
		return true;
	}
	/* Above 4 GiB; high <= size - low, so low + rel cannot wrap. */
	if (high && in_region(gpa, len, VSP_GPA_4G, high, &rel)) {
		*off = low + rel;
		return true;
	}
	return false;
}

void *vsp_ram_ptr(const struct vsp_ram *ram, uint64_t gpa, uint64_t len)
{
	uint64_t off;

	if (!ram->base || !vsp_gpa_translate(&ram->layout, gpa, len, &off))
		return NULL;
	return ram->base + off;
}
