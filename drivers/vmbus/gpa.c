// SPDX-License-Identifier: GPL-2.0
/*
 * Describing a driver's buffer to the host as one GPA range: a byte
 * count, the offset into the first page, and the page numbers, always in
 * Hyper-V's 4 KiB pages whatever the guest's PAGE_SIZE. storvsc's data
 * buffers travel so, in a GPA-direct packet (vsc_vmbus_send_gpa()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/scatterlist.h>

#include "vmbus_core.h"

#define VSC_GPA_MASK	(VSC_RING_GPA_PAGE_SIZE - 1)

/**
 * vsc_vmbus_sg_to_gpa() - one GPA range for a DMA-mapped scatterlist
 * @sgl: the list, as dma_map_sg() left it (VMBus devices see guest
 *	physical addresses: no IOMMU stands between them and the host)
 * @nents: the mapped entries dma_map_sg() returned
 * @r: the range to fill: byte count, first page's offset, page numbers
 * @max_pfns: room for page numbers after @r
 *
 * One range covers the list only if it has no holes: every entry but the
 * first starts on a 4 KiB boundary, and every entry but the last ends on
 * one (what the block layer gives a driver whose virt_boundary_mask is
 * 4 KiB - 1). Any context.
 *
 * Return: the page numbers written; -EINVAL for an empty list or one with
 * a hole; -E2BIG when more than @max_pfns are needed, or 4 GiB or more.
 */
int vsc_vmbus_sg_to_gpa(struct scatterlist *sgl, unsigned int nents,
			struct vsc_gpa_range *r, u32 max_pfns)
{
	struct scatterlist *sg;
	u64 total = 0, addr, end, pfn;
	unsigned int i;
	u32 n = 0;

	if (!sgl || !nents)
		return -EINVAL;
	for_each_sg(sgl, sg, nents, i) {
		addr = sg_dma_address(sg);
		end = addr + sg_dma_len(sg);
		if (!sg_dma_len(sg) || (i && (addr & VSC_GPA_MASK)) ||
		    (i + 1 < nents && (end & VSC_GPA_MASK)))
			return -EINVAL;
		if (!i)
			r->byte_offset = cpu_to_le32(addr & VSC_GPA_MASK);
		for (pfn = addr >> VSC_RING_GPA_PAGE_SHIFT;
		     pfn << VSC_RING_GPA_PAGE_SHIFT < end; pfn++) {
			if (n == max_pfns)
				return -E2BIG;
			r->pfn[n++] = cpu_to_le64(pfn);
		}
		total += sg_dma_len(sg);
		if (total > U32_MAX)
			return -E2BIG;
	}
	r->byte_count = cpu_to_le32(total);
	return n;
}
EXPORT_SYMBOL_GPL(vsc_vmbus_sg_to_gpa);
