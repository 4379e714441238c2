// SPDX-License-Identifier: GPL-2.0
/*
 * The packet parser on raw bytes, as vsc_ring_read_next() hands them over.
 * Built twice, like fuzz_ring_read.c: FUZZ_VIEW selects the guest's view
 * (packets from the host) or the host's (packets from the guest). The
 * packet sits in a buffer of its exact length, so any read past it is an
 * ASan report.
 */
#include "fuzz_common.h"

#ifndef FUZZ_VIEW
#define FUZZ_VIEW VSC_RING_VIEW_GUEST
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u8 *buf;

	if (size > VSC_RING_MAX_PACKET)
		return 0;
	buf = malloc(size ? size : 1);
	if (!buf)
		abort();
	memcpy(buf, data, size);
	fuzz_parse(buf, (u32)size, FUZZ_VIEW);
	free(buf);
	return 0;
}
