// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: the guest's parser of host channel messages on arbitrary
 * bytes, as a hostile host could put them in the SINT 2 slot (at most 240).
 * The message is copied to a heap block of exactly its size, so that ASan
 * sees the parser read one byte past what the host said it sent.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmbus/msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vsc_vmbus_hmsg m;
	u8 *buf;
	int ret;

	if (size > VSC_HV_MESSAGE_PAYLOAD)
		size = VSC_HV_MESSAGE_PAYLOAD;
	buf = malloc(size ? size : 1);
	if (!buf)
		abort();
	memcpy(buf, data, size);
	ret = vsc_vmbus_msg_parse(buf, (u32)size, &m);
	free(buf);
	if (ret == 0) {
		/* What the parser accepts, the guest may act on: check it. */
		if (m.type >= VSC_VMBUS_MSG_COUNT)
			abort();
		if (m.relid > VSC_VMBUS_MAX_RELID)
			abort();
		if (m.type == VSC_VMBUS_MSG_OFFERCHANNEL &&
		    (size < sizeof(m.offer) || !m.relid))
			abort();
	} else if (ret != -EMSGSIZE && ret != -ERANGE && ret != -EOPNOTSUPP) {
		abort();
	}
	return 0;
}
