// SPDX-License-Identifier: GPL-2.0
/* The signal bitmap scan (src/signals.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <vsc/sim.h>

#include "signals.h"

static uint8_t bar2[VSC_SIM_BAR2_SIZE];
static unsigned int seen[16], nseen;

static void record(void *ctx, unsigned int conn)
{
	(void)ctx;
	if (nseen < 16)
		seen[nseen] = conn;
	nseen++;
}

static void set_bit(unsigned int n)
{
	bar2[VSC_SIM_OFF_SIGNALS + n / 8] |= 1 << (n % 8);
}

static void test_none(void **state)
{
	(void)state;
	memset(bar2, 0, sizeof(bar2));
	nseen = 0;
	assert_int_equal(vsp_signals_take(bar2, record, NULL), 0);
	assert_int_equal(nseen, 0);
}

static void test_bits(void **state)
{
	unsigned int i;

	(void)state;
	memset(bar2, 0, sizeof(bar2));
	nseen = 0;
	set_bit(2047);
	set_bit(0);
	set_bit(63);
	set_bit(64);
	set_bit(5);
	/* Bytes around the bitmap are not read as signals. */
	bar2[VSC_SIM_OFF_SIGNALS - 1] = 0xff;
	bar2[VSC_SIM_OFF_SIGNALS + VSC_SIM_CONN_IDS / 8] = 0xff;
	assert_int_equal(vsp_signals_take(bar2, record, NULL), 5);
	assert_int_equal(seen[0], 0);
	assert_int_equal(seen[1], 5);
	assert_int_equal(seen[2], 63);
	assert_int_equal(seen[3], 64);
	assert_int_equal(seen[4], 2047);
	for (i = 0; i < VSC_SIM_CONN_IDS / 8; i++)
		assert_int_equal(bar2[VSC_SIM_OFF_SIGNALS + i], 0);
	assert_int_equal(bar2[VSC_SIM_OFF_SIGNALS - 1], 0xff);
	nseen = 0;
	assert_int_equal(vsp_signals_take(bar2, record, NULL), 0);
}

static void test_all(void **state)
{
	(void)state;
	memset(bar2 + VSC_SIM_OFF_SIGNALS, 0xff, VSC_SIM_CONN_IDS / 8);
	nseen = 0;
	assert_int_equal(vsp_signals_take(bar2, record, NULL),
			 VSC_SIM_CONN_IDS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_bits),
		cmocka_unit_test(test_all),
	};

	return cmocka_run_group_tests_name("signals", tests, NULL, NULL);
}
