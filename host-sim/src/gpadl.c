// SPDX-License-Identifier: GPL-2.0
/*
 * GPADL assembly: a GPADL_HEADER with the first bytes of the range list,
 * GPADL_BODY messages with the rest, numbered from 1. Once range_buflen
 * bytes arrived, the ranges are parsed and every page checked against the
 * guest RAM layout; the GPADL then holds the RAM file offset of each page.
 * Everything is checked before use; every count is bounded by the message
 * or by range_buflen, never by what the guest claims elsewhere.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "vmbus.h"

#define HDR_FIXED	sizeof(struct vsc_vmbus_gpadl_header)
#define BODY_FIXED	sizeof(struct vsc_vmbus_gpadl_body)
#define RANGE_FIXED	sizeof(struct vsc_gpa_range)

/*
 * Channel workers look GPADLs up (vsp_vmbus_gpadl_bytes()) while the
 * control plane creates and frees them: this orders the two.
 */
static pthread_mutex_t gp_lock = PTHREAD_MUTEX_INITIALIZER;

int vsp_vmbus_gpadl_bytes(struct vsp_vmbus *vm, uint32_t relid,
			  uint32_t other, uint32_t handle, uint64_t *bytes)
{
	int ret = -ENOENT;
	unsigned int i;

	pthread_mutex_lock(&gp_lock);
	for (i = 0; i < VSP_MAX_GPADLS; i++) {
		const struct vsp_gpadl *g = &vm->gp[i];

		if (g->used && g->complete && g->handle == handle &&
		    (g->relid == relid || g->relid == other)) {
			*bytes = g->bytes;
			ret = 0;
			break;
		}
	}
	pthread_mutex_unlock(&gp_lock);
	return ret;
}

struct vsp_gpadl *vsp_gpadl_find(struct vsp_vmbus *vm, uint32_t handle)
{
	unsigned int i;

	for (i = 0; i < VSP_MAX_GPADLS; i++)
		if (vm->gp[i].used && vm->gp[i].handle == handle)
			return &vm->gp[i];
	return NULL;
}

void vsp_gpadl_free(struct vsp_gpadl *g)
{
	pthread_mutex_lock(&gp_lock);
	free(g->ranges);
	free(g->offs);
	memset(g, 0, sizeof(*g));
	pthread_mutex_unlock(&gp_lock);
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return le32toh(v);
}

/* All bytes are in: parse the ranges and check every page. */
static enum vsp_gpadl_res finish(struct vsp_vmbus *vm, struct vsp_gpadl *g,
				 const char **why)
{
	const struct vsp_ram_layout *l = &vm->h->ram.layout;
	uint32_t pos = 0, i, k, total = 0, count = 0, offset = 0;
	uint64_t pfns, pfn, bytes = 0;

	/* First pass: the shape, and the page count. */
	for (i = 0; i < g->rangecount; i++) {
		if (g->range_buflen - pos < RANGE_FIXED) {
			*why = "range list shorter than rangecount ranges";
			return VSP_GPADL_FAIL;
		}
		count = rd32(g->ranges + pos);
		offset = rd32(g->ranges + pos + 4);
		if (!count || offset >= VSP_PAGE) {
			*why = "range with byte_count 0 or byte_offset >= 4096";
			return VSP_GPADL_FAIL;
		}
		pfns = ((uint64_t)offset + count + VSP_PAGE - 1) / VSP_PAGE;
		pos += RANGE_FIXED;
		if (pfns > (g->range_buflen - pos) / 8 ||
		    pfns > VSP_GPADL_MAX_PAGES - total) {
			*why = "range's byte_count needs more PFNs than range_buflen holds";
			return VSP_GPADL_FAIL;
		}
		pos += pfns * 8;
		total += pfns;
		bytes += count;
	}
	if (pos != g->range_buflen) {
		*why = "range_buflen is not the size of its ranges";
		return VSP_GPADL_FAIL;
	}
	g->offs = calloc(total, sizeof(*g->offs));
	if (!g->offs) {
		*why = "out of memory";
		return VSP_GPADL_FAIL;
	}
	/* Second pass: every PFN must be a page of guest RAM. */
	for (pos = 0, i = 0, k = 0; i < g->rangecount; i++) {
		count = rd32(g->ranges + pos);
		pfns = ((uint64_t)rd32(g->ranges + pos + 4) + count +
			VSP_PAGE - 1) / VSP_PAGE;
		pos += RANGE_FIXED;
		for (; pfns--; pos += 8, k++) {
			pfn = rd64(g->ranges + pos);
			if (pfn > UINT64_MAX / VSP_PAGE ||
			    !vsp_gpa_translate(l, pfn * VSP_PAGE, VSP_PAGE,
					       &g->offs[k])) {
				*why = "a PFN is not a page of guest RAM";
				return VSP_GPADL_FAIL;
			}
		}
	}
	pthread_mutex_lock(&gp_lock);
	g->npages = total;
	g->bytes = bytes;
	g->complete = true;
	pthread_mutex_unlock(&gp_lock);
	g->ring_ok = g->rangecount == 1 && offset == 0 &&
		     count == (uint64_t)total * VSP_PAGE;
	free(g->ranges);
	g->ranges = NULL;
	return VSP_GPADL_DONE;
}

static enum vsp_gpadl_res fail(struct vsp_gpadl *g, enum vsp_gpadl_res res)
{
	if (res == VSP_GPADL_FAIL)
		vsp_gpadl_free(g);
	return res;
}

enum vsp_gpadl_res vsp_gpadl_header(struct vsp_vmbus *vm, const uint8_t *msg,
				    uint32_t len, uint32_t *relid,
				    uint32_t *handle, const char **why)
{
	struct vsc_vmbus_gpadl_header h;
	struct vsp_gpadl *g = NULL;
	uint32_t have;
	unsigned int i;

	if (len < HDR_FIXED + RANGE_FIXED || (len - HDR_FIXED) % 8) {
		*why = "GPADL_HEADER size";
		return VSP_GPADL_DROP;
	}
	memcpy(&h, msg, sizeof(h));
	*relid = le32_to_cpu(h.child_relid);
	*handle = le32_to_cpu(h.gpadl);
	have = len - HDR_FIXED;
	/*
	 * A rescinded channel still takes GPADLs until the guest releases it
	 * (the guest may not have seen the rescind yet); they go with it.
	 */
	if (!*relid || *relid > VSP_MAX_CHANNELS ||
	    vm->ch[*relid].state == VSP_CH_FREE || !vm->ch[*relid].offered) {
		*why = "GPADL for a relid that is not an offered channel";
		return VSP_GPADL_FAIL;
	}
	if (!*handle || vsp_gpadl_find(vm, *handle)) {
		*why = "GPADL handle 0 or already in use";
		return VSP_GPADL_FAIL;
	}
	if (!le16_to_cpu(h.rangecount) ||
	    le16_to_cpu(h.range_buflen) < RANGE_FIXED + 8 ||
	    have > le16_to_cpu(h.range_buflen)) {
		*why = "rangecount 0, range_buflen too small, or more bytes than range_buflen";
		return VSP_GPADL_FAIL;
	}
	for (i = 0; i < VSP_MAX_GPADLS && !g; i++)
		if (!vm->gp[i].used)
			g = &vm->gp[i];
	if (!g) {
		*why = "too many GPADLs";
		return VSP_GPADL_FAIL;
	}
	g->ranges = malloc(le16_to_cpu(h.range_buflen));
	if (!g->ranges) {
		*why = "out of memory";
		return VSP_GPADL_FAIL;
	}
	pthread_mutex_lock(&gp_lock);
	g->used = true;
	g->relid = *relid;
	g->handle = *handle;
	pthread_mutex_unlock(&gp_lock);
	g->range_buflen = le16_to_cpu(h.range_buflen);
	g->rangecount = le16_to_cpu(h.rangecount);
	g->next_msgno = 1;
	memcpy(g->ranges, msg + HDR_FIXED, have);
	g->have = have;
	if (g->have < g->range_buflen)
		return VSP_GPADL_MORE;
	return fail(g, finish(vm, g, why));
}

enum vsp_gpadl_res vsp_gpadl_body(struct vsp_vmbus *vm, const uint8_t *msg,
				  uint32_t len, uint32_t *relid,
				  uint32_t *handle, const char **why)
{
	struct vsc_vmbus_gpadl_body b;
	struct vsp_gpadl *g;
	uint32_t n;

	if (len < BODY_FIXED + 8 || (len - BODY_FIXED) % 8) {
		*why = "GPADL_BODY size";
		return VSP_GPADL_DROP;
	}
	memcpy(&b, msg, sizeof(b));
	*handle = le32_to_cpu(b.gpadl);
	g = vsp_gpadl_find(vm, *handle);
	if (!g || g->complete) {
		*why = "GPADL_BODY for no GPADL being assembled";
		return VSP_GPADL_DROP;
	}
	*relid = g->relid;
	n = len - BODY_FIXED;
	if (le32_to_cpu(b.msgnumber) != g->next_msgno) {
		*why = "GPADL_BODY out of sequence";
		return fail(g, VSP_GPADL_FAIL);
	}
	if (n > g->range_buflen - g->have) {
		*why = "GPADL_BODY beyond range_buflen";
		return fail(g, VSP_GPADL_FAIL);
	}
	memcpy(g->ranges + g->have, msg + BODY_FIXED, n);
	g->have += n;
	g->next_msgno++;
	if (g->have < g->range_buflen)
		return VSP_GPADL_MORE;
	return fail(g, finish(vm, g, why));
}
