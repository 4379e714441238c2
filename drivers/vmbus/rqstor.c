// SPDX-License-Identifier: GPL-2.0
/*
 * Request ids for VSC drivers. A request's id is generation << 32 |
 * (tag + 1): never a pointer, never 0, and a completion is matched only if
 * its tag is in use with that same generation. Stale, duplicate and
 * unknown ids are refused, so a host cannot complete a request twice or
 * complete one we did not make.
 *
 * Free slots form a singly linked list through @next, so taking and
 * giving back a slot cost the same whatever the table's size; a bitmap
 * says which slots are in flight.
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
 * Return: 0, -EINVAL or -ENOMEM.
 */
int vsc_vmbus_rqstor_init(struct vsc_vmbus_rqstor *r, u32 size)
{
	u32 i;

	if (!size || size == U32_MAX)
		return -EINVAL;
	spin_lock_init(&r->lock);
	r->size = size;
	r->used = 0;
	r->free = 0;
	r->busy = bitmap_zalloc(size, GFP_KERNEL);
	r->next = kcalloc(size, sizeof(*r->next), GFP_KERNEL);
	r->gen = kcalloc(size, sizeof(*r->gen), GFP_KERNEL);
	r->ctx = kcalloc(size, sizeof(*r->ctx), GFP_KERNEL);
	if (!r->busy || !r->next || !r->gen || !r->ctx) {
		vsc_vmbus_rqstor_destroy(r);
		return -ENOMEM;
	}
	for (i = 0; i < size; i++)
		r->next[i] = i + 1;
	return 0;
}
EXPORT_SYMBOL_GPL(vsc_vmbus_rqstor_init);

/**
 * vsc_vmbus_rqstor_destroy() - free a table
 * @r: the table
 */
void vsc_vmbus_rqstor_destroy(struct vsc_vmbus_rqstor *r)
{
	bitmap_free(r->busy);
	kfree(r->next);
	kfree(r->gen);
	kfree(r->ctx);
	r->busy = NULL;
	r->next = NULL;
	r->gen = NULL;
	r->ctx = NULL;
}
EXPORT_SYMBOL_GPL(vsc_vmbus_rqstor_destroy);

/* Gives slot @tag back; the lock is held. */
static void *vsc_vmbus_rqstor_put(struct vsc_vmbus_rqstor *r, u32 tag)
{
	void *ctx = r->ctx[tag];

	__clear_bit(tag, r->busy);
	r->ctx[tag] = NULL;
	r->next[tag] = r->free;
	r->free = tag;
	r->used--;
	return ctx;
}

/**
 * vsc_vmbus_rqstor_get() - take a slot for a new request
 * @r: the table
 * @ctx: what the completion should find (not sent to the host)
 *
 * Constant time. Any context.
 *
 * Return: the request id, or 0 when every slot is in use.
 */
u64 vsc_vmbus_rqstor_get(struct vsc_vmbus_rqstor *r, void *ctx)
{
	unsigned long flags;
	u64 id = 0;
	u32 tag;

	spin_lock_irqsave(&r->lock, flags);
	tag = r->free;
	if (tag < r->size) {
		r->free = r->next[tag];
		__set_bit(tag, r->busy);
		r->gen[tag]++;
		r->ctx[tag] = ctx;
		r->used++;
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
 * Constant time. Any context.
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
	if ((u32)id && tag < r->size && test_bit(tag, r->busy) &&
	    r->gen[tag] == gen) {
		*ctx = vsc_vmbus_rqstor_put(r, tag);
		ret = 0;
	}
	spin_unlock_irqrestore(&r->lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(vsc_vmbus_rqstor_take);

/**
 * vsc_vmbus_rqstor_drain() - free every slot in flight
 * @r: the table
 * @fn: called, without the table's lock, with each freed slot's context
 *	and @arg (to fail the request); may be NULL
 * @arg: its second argument
 *
 * For a rescind or a reset: the host will complete none of them, and a
 * completion that comes anyway is refused as stale. Process context.
 *
 * Return: the slots freed.
 */
u32 vsc_vmbus_rqstor_drain(struct vsc_vmbus_rqstor *r,
			   void (*fn)(void *ctx, void *arg), void *arg)
{
	unsigned long flags;
	u32 tag = 0, n = 0;
	void *ctx;

	/* Requests made while we drain may take slots behind us: they stay. */
	for (;;) {
		spin_lock_irqsave(&r->lock, flags);
		tag = find_next_bit(r->busy, r->size, tag);
		if (tag >= r->size) {
			spin_unlock_irqrestore(&r->lock, flags);
			return n;
		}
		ctx = vsc_vmbus_rqstor_put(r, tag);
		spin_unlock_irqrestore(&r->lock, flags);
		if (fn)
			fn(ctx, arg);
		n++;
	}
}
EXPORT_SYMBOL_GPL(vsc_vmbus_rqstor_drain);
