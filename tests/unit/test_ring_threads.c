// SPDX-License-Identifier: GPL-2.0
/*
 * The ring with a real concurrent peer: a producer and a consumer thread on
 * a small ring, packets of random sizes (some larger than half the ring),
 * batched and single writes, the consumer masking interrupts and the
 * producer waiting on pending_send_sz. Every wait is for a signal the rules
 * call for, with a time-out: a lost wake-up fails the test, as does any
 * packet that arrives changed, late or out of order.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <cmocka.h>
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "test_ring_fixture.h"

#define PACKETS		60000
#define RING_BYTES	4096

struct peer {
	int efd;
	unsigned int waits;
	unsigned int lost;
};

struct stress {
	struct ring_fixture f;
	struct peer prod;
	struct peer cons;
	unsigned int bad;
};

static u32 pkt_len(u32 i)
{
	u32 x = i * 2654435761U;

	/* Mostly small, now and then larger than half the ring. */
	return (x >> 7) % 13 == 0 ? 2100 + (x % 1800) : x % 300;
}

static void wake(struct vsc_ring *ring)
{
	struct peer *p = ring->priv;
	uint64_t one = 1;

	assert_int_equal(write(p->efd, &one, sizeof(one)), sizeof(one));
}

static void wait_for(struct peer *p)
{
	struct pollfd pfd = { .fd = p->efd, .events = POLLIN };
	uint64_t v;

	p->waits++;
	if (poll(&pfd, 1, 2000) != 1) {
		p->lost++;
		return;
	}
	assert_int_equal(read(p->efd, &v, sizeof(v)), sizeof(v));
}

static void *producer(void *arg)
{
	struct stress *s = arg;
	struct vsc_ring *w = &s->f.w;
	static u8 payload[4096];
	struct vsc_packet_desc d;
	struct vsc_ring_buf b[2] = { { &d, 16 }, { payload, 0 } };
	u32 i = 0;
	int ret;

	while (i < PACKETS && !s->prod.lost && !s->cons.lost) {
		u32 n = 0, batch = 1 + i % 5;

		if (vsc_ring_write_begin(w))
			break;
		do {
			b[1].len = pkt_len(i);
			memset(payload, (u8)i, b[1].len);
			vsc_ring_desc_fill(&d, VSC_PKT_DATA_INBAND, 0, i, 16,
					   b[1].len);
			ret = vsc_ring_write_next(w, b, 2);
			if (!ret)
				i++;
		} while (!ret && ++n < batch && i < PACKETS);
		if (vsc_ring_write_end(w) || (ret && ret != -ENOSPC))
			break;
		if (ret == -ENOSPC) {
			ret = vsc_ring_set_pending_send(w,
				vsc_ring_pkt_space(16 + pkt_len(i)));
			if (ret == 0)
				wait_for(&s->prod);
			vsc_ring_clear_pending_send(w);
		}
	}
	return NULL;
}

static void *consumer(void *arg)
{
	struct stress *s = arg;
	struct vsc_ring *r = &s->f.r;
	static u64 buf[RING_BYTES / 8];
	u32 got = 0, len, i;
	int avail;

	while (got < PACKETS && !s->prod.lost && !s->cons.lost) {
		vsc_ring_mask_interrupts(r);
		if (vsc_ring_read_begin(r))
			break;
		while (!vsc_ring_read_next(r, buf, sizeof(buf), &len)) {
			struct vsc_ring_pkt pkt;

			if (vsc_ring_pkt_parse(buf, len, VSC_RING_VIEW_HOST,
					       &pkt) || pkt.trans_id != got ||
			    pkt.data_len < pkt_len(got)) {
				s->bad++;
			} else {
				for (i = 0; i < pkt_len(got); i++)
					if (pkt.data[i] != (u8)got)
						s->bad++;
			}
			got++;
		}
		if (vsc_ring_read_end(r))
			break;
		avail = vsc_ring_unmask_interrupts(r);
		if (avail < 0)
			break;
		if (!avail && got < PACKETS)
			wait_for(&s->cons);
	}
	return NULL;
}

static void test_two_threads(void **state)
{
	struct stress *s = calloc(1, sizeof(*s));
	pthread_t tp, tc;

	(void)state;
	assert_non_null(s);
	assert_int_equal(ring_fixture_init(&s->f, RING_BYTES,
					   VSC_RING_FEAT_PENDING_SEND_SZ), 0);
	s->f.r.flags = VSC_RING_F_STRICT;
	s->f.w.signal = wake;
	s->f.w.priv = &s->cons;
	s->f.r.signal = wake;
	s->f.r.priv = &s->prod;
	s->prod.efd = eventfd(0, 0);
	s->cons.efd = eventfd(0, 0);
	assert_true(s->prod.efd >= 0 && s->cons.efd >= 0);

	pthread_create(&tc, NULL, consumer, s);
	pthread_create(&tp, NULL, producer, s);
	pthread_join(tp, NULL);
	pthread_join(tc, NULL);

	print_message("packets %u, signals to consumer %llu, to producer %llu, "
		      "consumer waits %u, producer waits %u\n", PACKETS,
		      (unsigned long long)s->f.w.stats.signals,
		      (unsigned long long)s->f.r.stats.signals,
		      s->cons.waits, s->prod.waits);
	assert_false(vsc_ring_is_broken(&s->f.w));
	assert_false(vsc_ring_is_broken(&s->f.r));
	assert_int_equal(s->f.w.stats.packets, PACKETS);
	assert_int_equal(s->f.r.stats.packets, PACKETS);
	assert_int_equal(s->bad, 0);
	assert_int_equal(s->cons.lost, 0);
	assert_int_equal(s->prod.lost, 0);
	/* Signals follow the rules: never more than one per packet. */
	assert_true(s->f.w.stats.signals <= PACKETS);
	close(s->prod.efd);
	close(s->cons.efd);
	ring_fixture_fini(&s->f);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_threads),
	};

	return cmocka_run_group_tests_name("ring_threads", tests, NULL, NULL);
}
