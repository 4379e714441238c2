/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Accessors for memory the guest shares with us (BAR2 and guest RAM).
 *
 * Every shared field is read once, through one of these, into a local that
 * is then validated; none is ever dereferenced twice in one decision. The
 * fields are little-endian; the helpers convert. Offsets are byte offsets
 * from a base, so that no code takes the address of a member of a packed
 * wire structure, and every caller has bounds-checked the offset first.
 */
#ifndef VSP_SHARED_H
#define VSP_SHARED_H

#include <stddef.h>
#include <stdint.h>
#include <endian.h>

static inline uint32_t *sh_u32(void *base, size_t off)
{
	return (uint32_t *)((uint8_t *)base + off);
}

static inline uint64_t *sh_u64(void *base, size_t off)
{
	return (uint64_t *)((uint8_t *)base + off);
}

static inline uint32_t sh_load32(void *base, size_t off)
{
	return le32toh(__atomic_load_n(sh_u32(base, off), __ATOMIC_ACQUIRE));
}

static inline uint64_t sh_load64(void *base, size_t off)
{
	return le64toh(__atomic_load_n(sh_u64(base, off), __ATOMIC_ACQUIRE));
}

static inline uint8_t sh_load8(void *base, size_t off)
{
	return __atomic_load_n((uint8_t *)base + off, __ATOMIC_ACQUIRE);
}

static inline void sh_store32(void *base, size_t off, uint32_t v)
{
	__atomic_store_n(sh_u32(base, off), htole32(v), __ATOMIC_RELEASE);
}

static inline void sh_store64(void *base, size_t off, uint64_t v)
{
	__atomic_store_n(sh_u64(base, off), htole64(v), __ATOMIC_RELEASE);
}

static inline uint32_t sh_xchg32(void *base, size_t off, uint32_t v)
{
	return le32toh(__atomic_exchange_n(sh_u32(base, off), htole32(v),
					   __ATOMIC_SEQ_CST));
}

static inline uint64_t sh_xchg64(void *base, size_t off, uint64_t v)
{
	return le64toh(__atomic_exchange_n(sh_u64(base, off), htole64(v),
					   __ATOMIC_SEQ_CST));
}

static inline void sh_or8(void *base, size_t off, uint8_t v)
{
	__atomic_fetch_or((uint8_t *)base + off, v, __ATOMIC_SEQ_CST);
}

static inline void sh_or64(void *base, size_t off, uint64_t v)
{
	__atomic_fetch_or(sh_u64(base, off), htole64(v), __ATOMIC_SEQ_CST);
}

static inline void sh_fence(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

#endif /* VSP_SHARED_H */
