// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: vsc_storvsc's completion parser (drivers/storvsc/proto.c) on
 * arbitrary host packets. The first 9 input bytes choose the context (the
 * version, the transaction id); the rest is the packet, copied to a heap
 * block of exactly its size so that ASan sees any read past its end.
 * Whatever the parser accepts must be within what the guest asked for,
 * and map to a midlayer outcome whose residual is too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "storvsc/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_GEN	3
#define FUZZ_TAGS	64

static bool fuzz_lookup(void *priv, u32 tag, u32 *data_len)
{
	(void)priv;
	if (tag >= FUZZ_TAGS)
		return false;
	*data_len = tag * 4096;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vsc_stor_cpl_ctx ctx = { .gen = FUZZ_GEN, .lookup = fuzz_lookup };
	struct vsc_stor_outcome o;
	struct vsc_stor_cpl c;
	u64 id;
	u8 *buf;
	int ret;

	if (size < 9)
		return 0;
	ctx.version = vsc_stor_versions[data[0] % VSC_STOR_NR_VERSIONS];
	if (data[0] & 0x80)
		ctx.version = VSC_VSTOR_VERSION_WIN7;
	memcpy(&id, data + 1, sizeof(id));
	/* Mostly ids of our generation, so that the deeper checks run. */
	if (!(data[0] & 0x40))
		id = (u64)FUZZ_GEN << 32 | (id & 0x7f);
	data += 9;
	size -= 9;
	buf = malloc(size ? size : 1);
	if (!buf)
		abort();
	memcpy(buf, data, size);
	ret = vsc_stor_cpl_parse(&ctx, buf, (u32)size, id, &c);
	free(buf);
	if (ret == 0) {
		if (c.op != VSC_VSTOR_OP_COMPLETE_IO || c.tag >= FUZZ_TAGS)
			abort();
		if (c.transferred > c.requested || c.requested != c.tag * 4096)
			abort();
		if (c.sense_len > vsc_vstor_sense_size(ctx.version))
			abort();
		if (size < vsc_vstor_packet_size(ctx.version))
			abort();
		vsc_stor_outcome(&c, data[0], &o);
		if (o.resid > c.requested || o.verdict > VSC_STOR_BUSY)
			abort();
	} else if (ret == VSC_STOR_CPL_NOTIFY) {
		if (id || size < VSC_VSTOR_HDR_SIZE)
			abort();
	} else if (ret != -EBADMSG && ret != -ESTALE && ret != -ENOENT &&
		   ret != -EOPNOTSUPP) {
		abort();
	}
	return 0;
}
