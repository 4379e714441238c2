/* SPDX-License-Identifier: GPL-2.0 */
/*
 * expect_bytes(): the golden-byte comparison the wire tests share. Include
 * after <cmocka.h>.
 */
#ifndef _VSC_TEST_GOLDEN_H
#define _VSC_TEST_GOLDEN_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * Compares @len bytes at @p with @hex, a string of hex digit pairs in which
 * spaces are ignored and ".." stands for a zero byte run up to the next
 * token: "..", if it ends the string, means all remaining bytes are zero.
 */
static inline void expect_bytes(const void *p, size_t len, const char *hex)
{
	const uint8_t *b = p;
	size_t i = 0;

	while (*hex) {
		unsigned int v;

		if (*hex == ' ') {
			hex++;
			continue;
		}
		if (hex[0] == '.' && hex[1] == '.') {
			hex += 2;
			while (*hex == ' ')
				hex++;
			if (!*hex) {
				for (; i < len; i++)
					if (b[i]) {
						print_error("byte %zu is %#x, want 0\n",
							    i, b[i]);
						fail();
					}
				return;
			}
			/* zero run: skip to the offset "@xx" names */
			assert_int_equal(*hex, '@');
			v = (unsigned int)strtoul(hex + 1, (char **)&hex, 16);
			for (; i < v; i++)
				if (b[i]) {
					print_error("byte %zu is %#x, want 0\n", i, b[i]);
					fail();
				}
			continue;
		}
		assert_true(sscanf(hex, "%2x", &v) == 1);
		assert_true(i < len);
		if (b[i] != v) {
			print_error("byte %zu is %#x, want %#x\n", i, b[i], v);
			fail();
		}
		i++;
		hex += 2;
	}
	assert_int_equal(i, len);
}

#endif /* _VSC_TEST_GOLDEN_H */
