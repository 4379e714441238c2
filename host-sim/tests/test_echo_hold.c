// SPDX-License-Identifier: GPL-2.0
/*
 * The echo class's held answers (src/dev/echo_hold.c), with the clock in
 * the test's hands: batches released reversed when full or after
 * VSP_ECHO_BATCH_NS, answers due after the hold, the time of the next
 * event, and the limit that makes the class stop taking packets.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dev/echo_hold.h"

#define MS	1000000ULL

static struct vsp_echo_hold *hold_new(void)
{
	struct vsp_echo_hold *hq = calloc(1, sizeof(*hq));

	assert_non_null(hq);
	return hq;
}

static void push(struct vsp_echo_hold *hq, uint64_t id, uint64_t now,
		 uint32_t reorder, uint32_t hold_us)
{
	struct vsp_echo_ans a = { .trans_id = id, .len = 3, .type = 11 };

	assert_int_equal(vsp_echo_hold_push(hq, &a, "abc", now, reorder,
					    hold_us), 0);
}

/* The id of the answer ready at now, popped; 0 if none. */
static uint64_t pop(struct vsp_echo_hold *hq, uint64_t now)
{
	const struct vsp_echo_ans *a = vsp_echo_hold_peek(hq, now);
	uint64_t id;

	if (!a)
		return 0;
	assert_memory_equal(a->data, "abc", 3);
	id = a->trans_id;
	vsp_echo_hold_pop(hq);
	return id;
}

static void test_reorder_batches(void **state)
{
	struct vsp_echo_hold *hq = hold_new();
	uint64_t t = 1000 * MS;
	unsigned int i;

	(void)state;
	for (i = 1; i <= 5; i++)
		push(hq, i, t, 3, 0);
	/* 1..3 released as 3,2,1; 4 and 5 wait for their batch. */
	assert_int_equal(pop(hq, t), 3);
	assert_int_equal(pop(hq, t), 2);
	assert_int_equal(pop(hq, t), 1);
	assert_int_equal(pop(hq, t), 0);
	assert_int_equal(vsp_echo_hold_next(hq), t + VSP_ECHO_BATCH_NS);
	vsp_echo_hold_release(hq, t + VSP_ECHO_BATCH_NS - 1, 3);
	assert_int_equal(pop(hq, t), 0);
	vsp_echo_hold_release(hq, t + VSP_ECHO_BATCH_NS, 3);
	assert_int_equal(pop(hq, t), 5);
	assert_int_equal(pop(hq, t), 4);
	assert_int_equal(hq->n, 0);
	assert_int_equal(hq->bytes, 0);
	assert_int_equal(hq->batches, 2);
	assert_int_equal(vsp_echo_hold_next(hq), 0);
	free(hq);
}

static void test_hold_due(void **state)
{
	struct vsp_echo_hold *hq = hold_new();
	uint64_t t = 5000 * MS;

	(void)state;
	push(hq, 1, t, 0, 2000);
	push(hq, 2, t + MS, 0, 2000);
	assert_int_equal(vsp_echo_hold_next(hq), t + 2 * MS);
	assert_int_equal(pop(hq, t + 2 * MS - 1), 0);
	assert_int_equal(pop(hq, t + 2 * MS), 1);
	assert_int_equal(pop(hq, t + 2 * MS), 0);
	assert_int_equal(vsp_echo_hold_next(hq), t + 3 * MS);
	assert_int_equal(pop(hq, t + 3 * MS), 2);
	/* Held and reordered: a full batch, reversed, once due. */
	push(hq, 7, t, 2, 1000);
	push(hq, 8, t, 2, 1000);
	assert_int_equal(pop(hq, t), 0);
	assert_int_equal(pop(hq, t + MS), 8);
	assert_int_equal(pop(hq, t + MS), 7);
	free(hq);
}

static void test_reorder_off(void **state)
{
	struct vsp_echo_hold *hq = hold_new();

	(void)state;
	push(hq, 1, MS, 4, 0);
	push(hq, 2, MS, 4, 0);
	/* Reordering switched off: the open batch goes as it is, reversed. */
	push(hq, 3, MS, 0, 0);
	assert_int_equal(pop(hq, MS), 2);
	assert_int_equal(pop(hq, MS), 1);
	assert_int_equal(pop(hq, MS), 3);
	free(hq);
}

static void test_full(void **state)
{
	struct vsp_echo_hold *hq = hold_new();
	struct vsp_echo_ans a = { .trans_id = 1 };
	unsigned int i;

	(void)state;
	for (i = 0; i < VSP_ECHO_HOLD_MAX; i++) {
		assert_false(vsp_echo_hold_full(hq));
		assert_int_equal(vsp_echo_hold_push(hq, &a, NULL, MS, 0, 10),
				 0);
	}
	assert_true(vsp_echo_hold_full(hq));
	assert_int_equal(vsp_echo_hold_push(hq, &a, NULL, MS, 0, 10), -ENOSPC);
	vsp_echo_hold_pop(hq);
	assert_false(vsp_echo_hold_full(hq));
	vsp_echo_hold_clear(hq);
	assert_int_equal(hq->n, 0);
	/* The byte limit too. */
	a.len = VSP_ECHO_HOLD_BYTES / 2;
	{
		uint8_t *big = calloc(1, a.len);

		assert_int_equal(vsp_echo_hold_push(hq, &a, big, MS, 0, 0), 0);
		assert_false(vsp_echo_hold_full(hq));
		assert_int_equal(vsp_echo_hold_push(hq, &a, big, MS, 0, 0), 0);
		assert_true(vsp_echo_hold_full(hq));
		free(big);
	}
	vsp_echo_hold_clear(hq);
	assert_int_equal(hq->bytes, 0);
	free(hq);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reorder_batches),
		cmocka_unit_test(test_hold_due),
		cmocka_unit_test(test_reorder_off),
		cmocka_unit_test(test_full),
	};

	return cmocka_run_group_tests_name("echo_hold", tests, NULL, NULL);
}
