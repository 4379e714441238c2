/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few things the ring code needs from its environment, spelled once for
 * the kernel and once for userspace (vsp-sim, unit tests, fuzzers, bench):
 * kernel integer types, single loads and stores of shared words, barriers
 * against a peer that runs on another CPU (a host or another process, so
 * the kernel side uses the virt_* barriers, which stay real barriers on a
 * uniprocessor build), copies to and from the shared data area, and
 * EXPORT_SYMBOL_GPL.
 */
#ifndef _VSC_RING_OS_H
#define _VSC_RING_OS_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/string.h>
#include <asm/barrier.h>
#include <asm/byteorder.h>

#define vsc_ring_load(p)		READ_ONCE(*(p))
#define vsc_ring_store(p, v)		WRITE_ONCE(*(p), (v))
/* Orders this load before every later load and store. */
#define vsc_ring_load_acquire(p)	virt_load_acquire(p)
/* Orders every earlier load and store before this store. */
#define vsc_ring_store_release(p, v)	virt_store_release(p, v)
/* Orders every earlier load and store before every later one. */
#define vsc_ring_mb()			virt_mb()
#define vsc_ring_copy(dst, src, n)	memcpy((dst), (src), (n))
#define vsc_ring_zero(dst, n)		memset((dst), 0, (n))

/*
 * A module that links its own copy of the ring (the KUnit test module)
 * defines VSC_RING_NO_EXPORT, so that it loads beside vsc_vmbus.ko instead
 * of clashing with its exports.
 */
#ifdef VSC_RING_NO_EXPORT
#include <linux/build_bug.h>
#undef EXPORT_SYMBOL_GPL
#define EXPORT_SYMBOL_GPL(sym)		static_assert(1, #sym)
#endif

#else /* !__KERNEL__ */

#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <linux/types.h>

#include <vsc/types.h>

/*
 * Programs that already define the kernel's integer names (as the same
 * __u8..__u64 types) define VSC_RING_HAVE_KTYPES before including this.
 */
#ifndef VSC_RING_HAVE_KTYPES
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
#endif

#ifndef likely
#define likely(x)	__builtin_expect(!!(x), 1)
#endif
#ifndef unlikely
#define unlikely(x)	__builtin_expect(!!(x), 0)
#endif

#define vsc_ring_load(p)		__atomic_load_n((p), __ATOMIC_RELAXED)
#define vsc_ring_store(p, v)		__atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define vsc_ring_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define vsc_ring_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#if defined(__x86_64__)
/*
 * Orders every earlier load and store before every later one: a locked add
 * of 0 below the stack pointer does this for ordinary memory at a lower
 * cost than mfence, as the kernel's own full barrier on x86 does.
 */
static inline void vsc_ring_mb(void)
{
	__asm__ __volatile__("lock; addl $0,-4(%%rsp)" ::: "memory", "cc");
}
#else
/* Orders every earlier load and store before every later one. */
#define vsc_ring_mb()			__atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif
#define vsc_ring_copy(dst, src, n)	memcpy((dst), (src), (n))
#define vsc_ring_zero(dst, n)		memset((dst), 0, (n))

/* Userspace has no module exports: keep the statement, export nothing. */
#define EXPORT_SYMBOL_GPL(sym)		static_assert(1, #sym)

#endif /* __KERNEL__ */

#endif /* _VSC_RING_OS_H */
