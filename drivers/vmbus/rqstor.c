// SPDX-License-Identifier: GPL-2.0
/*
 * Request ids for VSC drivers. A request's id is generation << 32 |
 * (tag + 1): never a pointer, never 0, and a completion is matched only if
 * its tag is in use with that same generation. Stale, duplicate and
 * unknown ids are refused, so a host cannot complete a request twice or
 * complete one we did not make.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/slab.h>

#include "vsc_vmbus.h"

/**
 * vsc_vmbus_rqstor_init() - set up a table of @size request slots
 * @r: the table
 * @size: slots, at most the number of requests in flight
 *
 * Return: 0 or -ENOMEM.
 */
int vsc_vmbus_rqstor_init(struct vsc_vmbus_rqstor *r, u32 size)
{
	spin_lock_init(&r->lock);
	r->size = size;
	r->used = bitmap_zalloc(size, GFP_KERNEL);
	r->gen = kcalloc(size, sizeof(*r->gen), GFP_KERNEL);
	r->ctx = kcalloc(size, sizeof(*r->ctx), GFP_KERNEL);
	if (!r->used || !r->gen || !r->ctx) {
		vsc_vmbus_rqstor_destroy(r);
		return -ENOMEM;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(vsc_vmbus_rqstor_init);

/**
 * vsc_vmbus_rqstor_destroy() - free a table
 * @r: the table
 */
void vsc_vmbus_rqstor_destroy(struct vsc_vmbus_rqstor *r)
{
	bitmap_free(r->used);
	kfree(r->gen);
	kfree(r->ctx);
	r->used = NULL;
	r->gen = NULL;
	r->ctx = NULL;
}
EXPORT_SYMBOL_GPL(vsc_vmbus_rqstor_destroy);

/**
 * vsc_vmbus_rqstor_get() - take a slot for a new request
 * @r: the table
 * @ctx: what the completion should find (not sent to the host)
 *
 * Return: the request id, or 0 when every slot is in use.
 */
u64 vsc_vmbus_rqstor_get(struct vsc_vmbus_rqstor *r, void *ctx)
{
	unsigned long flags;
	u32 tag;
	u64 id = 0;

	spin_lock_irqsave(&r->lock, flags);
	tag = find_first_zero_bit(r->used, r->size);
	if (tag < r->size) {
		__set_bit(tag, r->used);
		r->gen[tag]++;
		r->ctx[tag] = ctx;
		id = (u64)r->gen[tag] << 32 | (tag + 1);
	}
	spin_unlock_irqrestore(&r->lock, flags);
	return id;
}
EXPORT_SYMBOL_GPL(vsc_vmbus_rqstor_get);

/**
 * vsc_vmbus_rqstor_take() - match a completion's id and free its slot
 * @r: the table
 * @id: the transaction id the host returned
 * @ctx: the context given to vsc_vmbus_rqstor_get()
 *
 * Return: 0; -ENOENT for an id not in flight (unknown, stale or already
 * completed), which the caller reports as a host protocol violation.
 */
int vsc_vmbus_rqstor_take(struct vsc_vmbus_rqstor *r, u64 id, void **ctx)
{
	u32 tag = (u32)id - 1, gen = id >> 32;
	unsigned long flags;
	int ret = -ENOENT;

	spin_lock_irqsave(&r->lock, flags);
	if ((u32)id && tag < r->size && test_bit(tag, r->used) &&
	    r->gen[tag] == gen) {
		__clear_bit(tag, r->used);
		*ctx = r->ctx[tag];
		r->ctx[tag] = NULL;
		ret = 0;
	}
	spin_unlock_irqrestore(&r->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(vsc_vmbus_rqstor_take);
