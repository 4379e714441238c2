/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixed-width little-endian types and compile-time layout checks for the
 * wire formats in include/vsc/. Usable from the kernel and from userspace
 * (vsp-sim, unit tests, fuzzers): both get __u8..__le64 from <linux/types.h>,
 * and sparse sees the __bitwise endian types on both sides.
 */
#ifndef _VSC_TYPES_H
#define _VSC_TYPES_H

#include <linux/types.h>

#ifdef __KERNEL__
#include <linux/stddef.h>
#include <asm/byteorder.h>
#else
#include <stddef.h>
#include <endian.h>
#endif

#ifndef __packed
#define __packed __attribute__((__packed__))
#endif

#ifndef __KERNEL__
/*
 * Userspace spellings of the kernel's byte-order helpers. The __force casts
 * keep sparse quiet when vsp-sim is checked with it, as in the kernel.
 */
#ifdef __CHECKER__
#define __vsc_force __attribute__((force))
#else
#define __vsc_force
#endif
#define cpu_to_le16(x) ((__vsc_force __le16)htole16(x))
#define cpu_to_le32(x) ((__vsc_force __le32)htole32(x))
#define cpu_to_le64(x) ((__vsc_force __le64)htole64(x))
#define le16_to_cpu(x) le16toh((__vsc_force __u16)(x))
#define le32_to_cpu(x) le32toh((__vsc_force __u32)(x))
#define le64_to_cpu(x) le64toh((__vsc_force __u64)(x))
#endif

/*
 * VSC_LAYOUT() pins a structure's size, VSC_FIELD() one field's offset.
 * Every wire structure carries both, next to its definition.
 */
#define VSC_LAYOUT(type, size) \
	_Static_assert(sizeof(type) == (size), "size of " #type)
#define VSC_FIELD(type, field, off) \
	_Static_assert(offsetof(type, field) == (off), \
		       "offset of " #type "." #field)

/*
 * A GUID as Hyper-V puts it on the wire: the first three fields are
 * little-endian, the last eight bytes are in order (the kernel's guid_t).
 */
struct vsc_guid {
	__u8 b[16];
};
VSC_LAYOUT(struct vsc_guid, 16);

/* Builds a struct vsc_guid from its textual form l-w1-w2-d0d1-d2..d7. */
#define VSC_GUID(l, w1, w2, d0, d1, d2, d3, d4, d5, d6, d7)		\
	((struct vsc_guid){ .b = {					\
	 (l) & 0xff, ((l) >> 8) & 0xff, ((l) >> 16) & 0xff,		\
	 ((l) >> 24) & 0xff, (w1) & 0xff, ((w1) >> 8) & 0xff,		\
	 (w2) & 0xff, ((w2) >> 8) & 0xff,				\
	 (d0), (d1), (d2), (d3), (d4), (d5), (d6), (d7) } })

#endif /* _VSC_TYPES_H */
