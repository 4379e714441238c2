/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest physical layout (docs/sim-transport.md, "Wiring"): RAM below the
 * split maps to the start of the RAM file, RAM above 4 GiB follows it, and
 * the legacy hole 0xA0000-0xFFFFF is never a valid guest page.
 *
 * vsp_gpa_translate() is the one place that decides whether a GPA range
 * is guest RAM; vsp_ram_ptr() is the one way vsp-sim turns a GPA into a
 * pointer. Both are pure: the layout is plain numbers and the RAM a buffer.
 */
#ifndef VSP_GPA_H
#define VSP_GPA_H

#include <stdbool.h>
#include <stdint.h>

#define VSP_GPA_HOLE_START	0xa0000ULL
#define VSP_GPA_HOLE_END	0x100000ULL	/* exclusive */
#define VSP_GPA_4G		0x100000000ULL

struct vsp_ram_layout {
	uint64_t size;		/* bytes of guest RAM (the file's mapped part) */
	uint64_t below4g;	/* split: RAM below 4 GiB, at most 4 GiB */
};

struct vsp_ram {
	struct vsp_ram_layout layout;
	uint8_t *base;		/* the mapped RAM file, layout.size bytes */
};

/* True when the layout itself is coherent (split <= 4 GiB, size > 0). */
bool vsp_layout_valid(const struct vsp_ram_layout *l);

/*
 * Translates [gpa, gpa + len) to an offset in the RAM file. Returns true
 * and sets *off only when the whole range is RAM, inside one region, and
 * len > 0. Overflow-safe for any inputs.
 */
bool vsp_gpa_translate(const struct vsp_ram_layout *l, uint64_t gpa,
		       uint64_t len, uint64_t *off);

/* Pointer to [gpa, gpa + len) in ram, or NULL if it is not RAM. */
void *vsp_ram_ptr(const struct vsp_ram *ram, uint64_t gpa, uint64_t len);

#endif /* VSP_GPA_H */
