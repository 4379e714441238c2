// SPDX-License-Identifier: GPL-2.0
/*
 * The whole doorbell scan (src/host.c, vp.c, echo.c) against a fake BAR2
 * and a fake guest RAM buffer, driven by the test guest of guest.c. No
 * QEMU, no file descriptors: the "vector" is a counter.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "guest.h"
#include "host.h"
#include "shared.h"

#define RAM_SIZE	(4ULL << 20)
#define PAGES		0x200000ULL
#define NR_VPS		2

struct fix {
	uint8_t *bar2;
	uint8_t *ram;
	struct vsp_host *h;
	struct vg g;
	unsigned int irqs[VSC_SIM_MAX_VPS];
};

static void raise_cb(void *ctx, unsigned int vp)
{
	struct fix *f = ctx;

	/* The host must never raise a vector the guest does not have. */
	assert_true(vp < f->h->nr_vps);
	f->irqs[vp]++;
}

static struct fix *setup_fix(bool strict, unsigned int nr_vps)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct vsp_ram ram = { .layout = { RAM_SIZE, 2048ULL << 20 } };

	f->bar2 = aligned_alloc(4096, VSC_SIM_BAR2_SIZE);
	f->ram = calloc(1, RAM_SIZE);
	f->h = calloc(1, sizeof(*f->h));
	ram.base = f->ram;
	assert_int_equal(vsp_host_init(f->h, f->bar2, &ram, nr_vps, strict,
				       raise_cb, f), 0);
	vg_init(&f->g, f->bar2, f->ram, RAM_SIZE, nr_vps, NULL, NULL);
	return f;
}

static int setup(void **state)
{
	vsp_log_quiet(true);
	*state = setup_fix(false, NR_VPS);
	return 0;
}

static int setup_strict(void **state)
{
	vsp_log_quiet(true);
	*state = setup_fix(true, NR_VPS);
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	free(f->bar2);
	free(f->ram);
	free(f->h);
	free(f);
	return 0;
}

/* The guest brings itself up: pages, ready; the host scans. */
static void bring_up(struct fix *f, uint32_t gen)
{
	vg_register_all(&f->g, PAGES);
	vg_ready(&f->g, gen);
	assert_true(vsp_host_doorbell(f->h));
	assert_int_equal(f->h->ready, gen);
	assert_true(f->h->vp[0].simp_on);
	assert_true(f->h->vp[NR_VPS - 1].siefp_on);
}

static uint64_t cookie_of(const struct vsc_hv_message *m)
{
	struct vsc_sim_echo e;

	memcpy(&e, m->payload, sizeof(e));
	return le64_to_cpu(e.cookie);
}

static uint64_t seq_of(const struct vsc_hv_message *m)
{
	struct vsc_sim_echo e;

	memcpy(&e, m->payload, sizeof(e));
	return le64_to_cpu(e.host_seq);
}

static void test_echo(void **state)
{
	struct fix *f = *state;
	struct vsc_hv_message m;

	bring_up(f, 1);
	assert_int_equal(vg_post_echo(&f->g, 1, 0, 0xc00c1e), 0);
	assert_true(vsp_host_doorbell(f->h));
	assert_int_equal(f->irqs[1], 1);
	assert_int_equal(f->irqs[0], 0);
	assert_false(vg_take(&f->g, 0, &m));
	assert_true(vg_take(&f->g, 1, &m));
	assert_int_equal(le32_to_cpu(m.header.message_type),
			 VSC_SIM_MSGTYPE_ECHO);
	assert_int_equal(m.header.payload_size, sizeof(struct vsc_sim_echo));
	assert_int_equal(m.header.message_flags, 0);
	assert_int_equal(cookie_of(&m), 0xc00c1e);
	assert_int_equal(seq_of(&m), 1);
	assert_int_equal(f->h->st.echo_replies, 1);
	assert_int_equal(f->h->st.violations, 0);
}

static void test_queue_pending_eom_order(void **state)
{
	struct fix *f = *state;
	struct vsc_hv_message m;
	unsigned int i;

	bring_up(f, 1);
	for (i = 0; i < 10; i++)
		assert_int_equal(vg_post_echo(&f->g, 1, 0, 100 + i), 0);
	vsp_host_doorbell(f->h);
	/* One in the slot, flagged pending; nine wait. */
	assert_int_equal(f->h->vp[1].len, 9);
	assert_int_equal(f->h->vp[1].st.max_queue, 9);
	assert_int_equal(f->irqs[1], 1);
	for (i = 0; i < 10; i++) {
		assert_true(vg_take(&f->g, 1, &m));
		assert_int_equal(cookie_of(&m), 100 + i);
		assert_int_equal(seq_of(&m), i + 1);
		/* Pending is set on every message but the last. */
		assert_int_equal(m.header.message_flags,
				 i < 9 ? VSC_HV_MSG_PENDING : 0);
		assert_false(vg_take(&f->g, 1, &m));
		vsp_host_doorbell(f->h);
	}
	assert_false(vg_take(&f->g, 1, &m));
	assert_int_equal(f->g.eoms[1], 9);
	assert_int_equal(f->h->vp[1].st.eoms, 9);
	assert_int_equal(f->h->vp[1].st.delivered, 10);
	assert_int_equal(f->irqs[1], 10);
	assert_int_equal(f->h->st.violations, 0);
}

static void test_mailbox_full_wrap(void **state)
{
	struct fix *f = *state;
	struct vsc_hv_message m;
	unsigned int round, i, got = 0;

	bring_up(f, 1);
	for (round = 0; round < 10; round++) {
		for (i = 0; i < VSC_SIM_MAILBOX_SLOTS; i++)
			assert_int_equal(vg_post_echo(&f->g, 0, 0,
						      round * 100 + i), 0);
		assert_int_equal(vg_post_echo(&f->g, 0, 0, 1),
				 VSC_HV_STATUS_INSUFFICIENT_BUFFERS);
		vsp_host_doorbell(f->h);
		for (i = 0; i < VSC_SIM_MAILBOX_SLOTS; i++) {
			assert_true(vg_take(&f->g, 0, &m));
			assert_int_equal(cookie_of(&m), round * 100 + i);
			got++;
			vsp_host_doorbell(f->h);
		}
	}
	assert_int_equal(got, 320);
	assert_int_equal(f->g.posts_full, 10);
	assert_int_equal(f->h->cons, 320);
	assert_int_equal(f->h->st.violations, 0);
}

/* The target VP does not consume: FIFO fills, echo holds, mailbox fills. */
static void test_fifo_full_backpressure(void **state)
{
	struct fix *f = *state;
	struct vsc_hv_message m;
	uint64_t next = 0, want = 0, posted = 0;
	unsigned int i;

	bring_up(f, 1);
	for (i = 0; i < 10; i++) {
		while (vg_post_echo(&f->g, 0, 0, next) == 0) {
			next++;
			posted++;
		}
		vsp_host_doorbell(f->h);
	}
	/* 1 in the slot + 64 queued + 1 held, 32 in the mailbox. */
	assert_int_equal(f->h->vp[0].len, VSP_VP_FIFO);
	assert_true(f->h->held);
	assert_true(f->h->st.echo_stalls > 0);
	assert_true(f->g.posts_full > 0);
	assert_int_equal(posted, 1 + VSP_VP_FIFO + 1 + VSC_SIM_MAILBOX_SLOTS);
	/* Drain: nothing lost, nothing reordered. */
	while (vg_take(&f->g, 0, &m)) {
		assert_int_equal(cookie_of(&m), want);
		want++;
		vsp_host_doorbell(f->h);
	}
	assert_int_equal(want, posted);
	assert_false(f->h->held);
	assert_int_equal(f->h->vp[0].len, 0);
	assert_int_equal(f->h->st.violations, 0);
}

static void test_reset_on_ready_change(void **state)
{
	struct fix *f = *state;
	struct vsc_hv_message m;
	unsigned int i, irqs;

	bring_up(f, 1);
	for (i = 0; i < 5; i++)
		vg_post_echo(&f->g, 0, 0, i);
	vsp_host_doorbell(f->h);
	assert_int_equal(f->h->vp[0].len, 4);
	irqs = f->irqs[0];

	/* A new generation: queued messages go, the busy slot re-raises. */
	vg_ready(&f->g, 2);
	assert_true(vsp_host_doorbell(f->h));
	assert_int_equal(f->h->vp[0].len, 0);
	assert_int_equal(f->h->st.dropped_on_reset, 4);
	assert_int_equal(f->h->st.resets, 2);
	assert_int_equal(f->irqs[0], irqs + 1);
	assert_int_equal(f->irqs[1], 0);
	assert_true(f->h->vp[0].simp_on);	/* re-read, still valid */
	assert_int_equal(sh_load32(f->bar2, 36), 2);	/* ready_ack */

	/*
	 * The stale message has pending set: the new generation consumes it
	 * and EOMs, which is within the rules.
	 */
	assert_true(vg_take(&f->g, 0, &m));
	assert_int_equal(f->g.eoms[0], 1);
	vsp_host_doorbell(f->h);
	assert_int_equal(f->h->st.violations, 0);

	/* Shutdown: ready 0 and pages cleared; the host forgets them. */
	sh_store64(f->bar2, VSC_SIM_OFF_VPS, 0);
	vg_ready(&f->g, 0);
	vsp_host_doorbell(f->h);
	assert_int_equal(f->h->ready, 0);
	assert_int_equal(sh_load32(f->bar2, 36), 0);	/* ready_ack */
	/* Not ready: no page is used, even one still registered. */
	assert_false(f->h->vp[0].simp_on);
	assert_false(f->h->vp[1].simp_on);
	vg_post_echo(&f->g, 1, 0, 9);
	vsp_host_doorbell(f->h);
	assert_int_equal(f->h->vp[1].len, 1);
	/* Flags pending on VP 1 at the next bind: re-raised. */
	vsp_flags_set(f->ram + PAGES + 0x2000 + 0x1000 + VSP_SINT2_FLAGS_OFF, 3);
	irqs = f->irqs[1];
	vg_register_all(&f->g, PAGES);
	vg_ready(&f->g, 3);
	vsp_host_doorbell(f->h);
	assert_int_equal(sh_load32(f->bar2, 36), 3);
	assert_int_equal(f->irqs[1], irqs + 1);
	assert_int_equal(f->h->vp[1].len, 0);	/* dropped on reset */
	assert_int_equal(f->h->st.violations, 0);
}

static void test_simp_later(void **state)
{
	struct fix *f = *state;
	struct vsc_hv_message m;

	/* An echo before VP 0 has a message page waits in the FIFO. */
	vg_ready(&f->g, 1);
	assert_int_equal(sh_load32(f->bar2, 36), 0);	/* not yet seen */
	vsp_host_doorbell(f->h);
	vg_post_echo(&f->g, 0, 0, 42);
	vsp_host_doorbell(f->h);
	assert_int_equal(f->h->vp[0].len, 1);
	assert_int_equal(f->irqs[0], 0);
	vg_register(&f->g, 0, PAGES, PAGES + 0x1000);
	vg_wake(&f->g);
	vsp_host_doorbell(f->h);
	assert_int_equal(f->irqs[0], 1);
	assert_true(vg_take(&f->g, 0, &m));
	assert_int_equal(cookie_of(&m), 42);
}

static void test_event_flag_and_signals(void **state)
{
	struct fix *f = *state;
	struct vsc_hv_message m;
	uint64_t w0;

	bring_up(f, 1);
	vg_post_echo(&f->g, 1, 5, 7);
	vsp_host_doorbell(f->h);
	assert_int_equal(vg_take_flags(&f->g, 1, &w0), 1);
	assert_int_equal(w0, 1ULL << 5);
	assert_int_equal(vg_take_flags(&f->g, 0, &w0), 0);
	assert_int_equal(f->h->vp[1].st.flags_set, 1);
	assert_true(vg_take(&f->g, 1, &m));

	assert_int_equal(vg_signal(&f->g, 9), 0);
	assert_int_equal(vg_signal(&f->g, 9), 0);
	assert_int_equal(vg_signal(&f->g, 2047), 0);
	assert_int_equal(vg_signal(&f->g, 2048),
			 VSC_HV_STATUS_INVALID_CONNECTION_ID);
	assert_true(vsp_host_doorbell(f->h));
	assert_int_equal(f->h->st.signals, 2);	/* 9 twice is one signal */
	assert_int_equal(f->h->st.signals_by_conn[9], 1);
	assert_int_equal(f->h->st.signals_by_conn[2047], 1);
	assert_int_equal(f->h->st.violations, 0);
}

static void post_raw(struct fix *f, uint32_t conn, uint32_t type,
		     uint32_t size)
{
	struct vsc_hv_post_message m;
	uint32_t prod = f->g.prod;

	memset(&m, 0, sizeof(m));
	m.connection_id = cpu_to_le32(conn);
	m.message_type = cpu_to_le32(type);
	m.payload_size = cpu_to_le32(size);
	memcpy(f->bar2 + VSC_SIM_OFF_SLOTS +
	       (prod % VSC_SIM_MAILBOX_SLOTS) * sizeof(m), &m, sizeof(m));
	f->g.prod++;
	sh_store32(f->bar2, VSC_SIM_OFF_MAILBOX, f->g.prod);
}

#define V(x) (f->h->st.violation[VSP_V_##x])

static void violations(struct fix *f)
{
	struct vsc_sim_echo e = { .target_vp = cpu_to_le32(NR_VPS) };
	uint64_t irqs = f->irqs[0] + f->irqs[1];

	bring_up(f, 1);
	/* EOM with nothing pending. */
	sh_store32(f->bar2, VSC_SIM_OFF_VPS + 16, 1);
	vsp_host_doorbell(f->h);
	assert_int_equal(V(EOM_UNEXPECTED), 1);
	/* SIMP unaligned, SIEFP in the legacy hole, SIMP past RAM. */
	sh_store64(f->bar2, VSC_SIM_OFF_VPS, PAGES | 0x801);
	sh_store64(f->bar2, VSC_SIM_OFF_VPS + 8, 0xa0001);
	vsp_host_doorbell(f->h);
	assert_int_equal(V(SIMP_BAD), 1);
	assert_int_equal(V(SIEFP_BAD), 1);
	assert_false(f->h->vp[0].simp_on);
	assert_false(f->h->vp[0].siefp_on);
	sh_store64(f->bar2, VSC_SIM_OFF_VPS, RAM_SIZE | 1);
	vsp_host_doorbell(f->h);
	assert_int_equal(V(SIMP_BAD), 2);
	vg_register_all(&f->g, PAGES);
	vsp_host_doorbell(f->h);
	assert_true(f->h->vp[0].simp_on);
	/* Posts: size, connection id, type, echo payload. */
	post_raw(f, 1, 1, 241);
	post_raw(f, 3, 1, 8);
	post_raw(f, 4, 2, 8);
	post_raw(f, VSC_SIM_ECHO_CONNECTION_ID, VSC_SIM_MSGTYPE_ECHO, 8);
	vg_post(&f->g, VSC_SIM_ECHO_CONNECTION_ID, VSC_SIM_MSGTYPE_ECHO, &e,
		sizeof(e));
	vsp_host_doorbell(f->h);
	assert_int_equal(V(POST_SIZE), 1);
	assert_int_equal(V(POST_CONN), 1);
	assert_int_equal(V(POST_TYPE), 1);
	assert_int_equal(V(ECHO_BAD), 2);
	assert_int_equal(f->h->st.posts, 5);
	/* The guest writes the host's cons and header: restored. */
	vsp_mailbox_set_cons(f->bar2, 1234);
	f->bar2[0] ^= 0xff;
	vsp_host_doorbell(f->h);
	assert_int_equal(V(CONS_WRITTEN), 1);
	assert_int_equal(V(HEADER_WRITTEN), 1);
	assert_int_equal(vsp_mailbox_cons(f->bar2), f->h->cons);
	assert_int_equal(le64_to_cpu(*(uint64_t *)f->bar2), VSC_SIM_MAGIC);
	/* prod runs more than a ring ahead. */
	sh_store32(f->bar2, VSC_SIM_OFF_MAILBOX, f->h->cons + 33);
	vsp_host_doorbell(f->h);
	assert_int_equal(V(MAILBOX_OVERRUN), 1);
	assert_int_equal(f->h->cons, 5);
	/* A new generation with the wrong version and too many VPs. */
	sh_store32(f->bar2, VSC_SIM_OFF_MAILBOX, f->h->cons);
	sh_store32(f->bar2, VSC_SIM_OFF_GUEST, 99);
	sh_store32(f->bar2, VSC_SIM_OFF_GUEST + 8, 65);
	sh_store32(f->bar2, VSC_SIM_OFF_GUEST + 4, 2);
	vsp_host_doorbell(f->h);
	assert_int_equal(V(GUEST_VERSION), 1);
	assert_int_equal(V(GUEST_NR_VPS), 1);
	vsp_host_bad_doorbell(f->h, 1);
	assert_int_equal(V(DOORBELL_VECTOR), 1);
	assert_int_equal(f->h->st.violations, 15);
	/* None of it raised a vector. */
	assert_int_equal(f->irqs[0] + f->irqs[1], irqs);
}

static void test_violations_lenient(void **state)
{
	struct fix *f = *state;

	violations(f);
	assert_false(f->h->strict_failed);
}

static void test_violations_strict(void **state)
{
	struct fix *f = *state;

	violations(f);
	assert_true(f->h->strict_failed);
}

static void test_empty_doorbells(void **state)
{
	struct fix *f = *state;
	unsigned int i;

	bring_up(f, 1);
	for (i = 0; i < VSP_EMPTY_SLACK_ABS; i++)
		assert_false(vsp_host_doorbell(f->h));
	assert_int_equal(f->h->st.doorbells_empty, VSP_EMPTY_SLACK_ABS);
	assert_false(f->h->strict_failed);
	for (i = 0; i < 20; i++)
		vsp_host_doorbell(f->h);
	assert_true(V(DOORBELL_EMPTY) > 0);
	assert_true(f->h->strict_failed);
}

/* Random BAR2 and RAM contents: no crash, no vector out of range. */
static void test_garbage(void **state)
{
	struct fix *f = *state;
	unsigned int i, j;
	uint64_t x = 0x9e3779b97f4a7c15ULL;

	for (i = 0; i < 3000; i++) {
		for (j = 0; j < 64; j++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			if (j & 1)
				f->bar2[x % VSC_SIM_BAR2_SIZE] = x >> 32;
			else
				f->ram[PAGES + (x >> 20) % 0x4000] = x >> 40;
		}
		/* Sometimes point the SynIC at real pages. */
		if (i % 7 == 0)
			vg_register_all(&f->g, PAGES);
		if (i % 11 == 0)
			vg_post_echo(&f->g, x % 3, x % 4, i);
		vsp_host_doorbell(f->h);
	}
	assert_true(f->h->st.violations > 0);
	assert_false(f->h->strict_failed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_echo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_queue_pending_eom_order,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_mailbox_full_wrap, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_fifo_full_backpressure,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_on_ready_change,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_simp_later, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_event_flag_and_signals,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_violations_lenient, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_violations_strict,
						setup_strict, teardown),
		cmocka_unit_test_setup_teardown(test_empty_doorbells,
						setup_strict, teardown),
		cmocka_unit_test_setup_teardown(test_garbage, setup, teardown),
	};

	return cmocka_run_group_tests_name("host", tests, NULL, NULL);
}
