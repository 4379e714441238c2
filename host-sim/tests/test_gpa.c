// SPDX-License-Identifier: GPL-2.0
/* GPA validation and translation (src/gpa.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "gpa.h"

#define MiB (1ULL << 20)
#define G4 VSP_GPA_4G

static bool tr(uint64_t size, uint64_t below, uint64_t gpa, uint64_t len,
	       uint64_t *off)
{
	struct vsp_ram_layout l = { .size = size, .below4g = below };
	uint64_t dummy;

	return vsp_gpa_translate(&l, gpa, len, off ? off : &dummy);
}

static void test_low_only(void **state)
{
	uint64_t off;

	(void)state;
	/* 512 MiB guest, split 2 GiB: all RAM is low. */
	assert_true(tr(512 * MiB, 2048 * MiB, 0, 4096, &off));
	assert_int_equal(off, 0);
	assert_true(tr(512 * MiB, 2048 * MiB, 0x9f000, 0x1000, &off));
	assert_true(tr(512 * MiB, 2048 * MiB, 0x100000, 4096, &off));
	assert_int_equal(off, 0x100000);
	assert_true(tr(512 * MiB, 2048 * MiB, 512 * MiB - 4096, 4096, &off));
	assert_int_equal(off, 512 * MiB - 4096);
	/* The end, one byte past, and above. */
	assert_false(tr(512 * MiB, 2048 * MiB, 512 * MiB - 4096, 4097, NULL));
	assert_false(tr(512 * MiB, 2048 * MiB, 512 * MiB, 1, NULL));
	assert_false(tr(512 * MiB, 2048 * MiB, G4, 4096, NULL));
}

static void test_hole(void **state)
{
	(void)state;
	assert_false(tr(512 * MiB, 2048 * MiB, 0xa0000, 1, NULL));
	assert_false(tr(512 * MiB, 2048 * MiB, 0xfffff, 1, NULL));
	assert_false(tr(512 * MiB, 2048 * MiB, 0xc0000, 4096, NULL));
	/* Crossing into the hole from below, or out of it upwards. */
	assert_false(tr(512 * MiB, 2048 * MiB, 0x9f000, 0x1001, NULL));
	assert_false(tr(512 * MiB, 2048 * MiB, 0xff000, 0x2000, NULL));
	/* Spanning the whole hole. */
	assert_false(tr(512 * MiB, 2048 * MiB, 0, 2 * MiB, NULL));
	assert_true(tr(512 * MiB, 2048 * MiB, 0x9ffff, 1, NULL));
}

static void test_high(void **state)
{
	uint64_t off;

	(void)state;
	/* 3 GiB guest, split 2 GiB: 1 GiB above 4 GiB at file offset 2 GiB. */
	assert_true(tr(3072 * MiB, 2048 * MiB, G4, 4096, &off));
	assert_int_equal(off, 2048 * MiB);
	assert_true(tr(3072 * MiB, 2048 * MiB, G4 + 1024 * MiB - 8, 8, &off));
	assert_int_equal(off, 3072 * MiB - 8);
	assert_false(tr(3072 * MiB, 2048 * MiB, G4 + 1024 * MiB - 8, 9, NULL));
	assert_false(tr(3072 * MiB, 2048 * MiB, G4 + 1024 * MiB, 1, NULL));
	/* The PCI hole between the split and 4 GiB. */
	assert_false(tr(3072 * MiB, 2048 * MiB, 2048 * MiB, 1, NULL));
	assert_false(tr(3072 * MiB, 2048 * MiB, G4 - 1, 1, NULL));
	/* Crossing the split. */
	assert_true(tr(3072 * MiB, 2048 * MiB, 2048 * MiB - 4096, 4096, NULL));
	assert_false(tr(3072 * MiB, 2048 * MiB, 2048 * MiB - 4096, 4097, NULL));
	/* Crossing from below 4G into the high region. */
	assert_false(tr(3072 * MiB, 2048 * MiB, G4 - 4096, 8192, NULL));
}

static void test_overflow(void **state)
{
	(void)state;
	assert_false(tr(3072 * MiB, 2048 * MiB, UINT64_MAX, 1, NULL));
	assert_false(tr(3072 * MiB, 2048 * MiB, UINT64_MAX - 4095, 4096, NULL));
	assert_false(tr(3072 * MiB, 2048 * MiB, 4096, UINT64_MAX, NULL));
	assert_false(tr(3072 * MiB, 2048 * MiB, G4, UINT64_MAX, NULL));
	assert_false(tr(3072 * MiB, 2048 * MiB, G4 + 4096,
			UINT64_MAX - G4, NULL));
	assert_false(tr(3072 * MiB, 2048 * MiB, 0, 0, NULL));
}

static void test_odd_layouts(void **state)
{
	struct vsp_ram ram = { .layout = { .size = 1 * MiB,
					   .below4g = 2048 * MiB } };
	static uint8_t buf[1 << 20];

	(void)state;
	/* Less than the hole: only conventional memory exists. */
	assert_true(tr(512 * 1024, 2048 * MiB, 0, 4096, NULL));
	assert_false(tr(512 * 1024, 2048 * MiB, 0x7f000, 0x2000, NULL));
	assert_false(tr(512 * 1024, 2048 * MiB, 0x100000, 1, NULL));
	/* A split below the hole end. */
	assert_false(tr(8 * MiB, 0x80000, 0x100000, 1, NULL));
	assert_true(tr(8 * MiB, 0x80000, G4, 4096, NULL));
	/* Incoherent layouts are never RAM. */
	assert_false(tr(0, 2048 * MiB, 0, 1, NULL));
	assert_false(tr(8 * MiB, G4 + 1, 0, 1, NULL));
	/* vsp_ram_ptr: NULL unless valid. */
	assert_null(vsp_ram_ptr(&ram, 0, 1));
	ram.base = buf;
	assert_ptr_equal(vsp_ram_ptr(&ram, 0x1000, 1), buf + 0x1000);
	assert_null(vsp_ram_ptr(&ram, 0xa0000, 1));
	assert_null(vsp_ram_ptr(&ram, 1 * MiB, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_low_only),
		cmocka_unit_test(test_hole),
		cmocka_unit_test(test_high),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_odd_layouts),
	};

	return cmocka_run_group_tests_name("gpa", tests, NULL, NULL);
}
