// SPDX-License-Identifier: GPL-2.0
/*
 * Micro-benchmark of the shared ring code (drivers/vmbus/ring.c): a producer
 * and a consumer thread on one ring in plain memory, as vsp-sim and a guest
 * would share it. Signals are what the ring's rules call for: the ring's
 * signal callback counts them and wakes the peer through an eventfd. The
 * consumer masks interrupts while it drains and reads in batches; the
 * producer, when the ring is full, sets pending_send_sz and sleeps until
 * the consumer's signal. Every wait has a time-out, and a time-out means a
 * lost wake-up: it is counted and reported (it must stay 0).
 *
 * Baseline in the same run: memcpy of the same payload sizes into a buffer
 * as large as the ring, one thread. Two more references put the figures
 * in context: the ring driven by one thread (write, then read: the code's
 * own cost, two copies a packet, no data crossing cores), and the bare
 * cross-core ceiling: two threads passing blocks of the same size through a
 * ring-sized buffer with nothing but a release/acquire index pair.
 *
 * usage: bench_ring [-j JSON] [-m MARKDOWN] [-s SECONDS]
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "vmbus/ring.h"

#define RING_SIZE	(256 * 1024)

struct side {
	struct vsc_ring ring;
	int efd;			/* the peer's signals wake us here */
	u64 sleeps;			/* times we waited for a signal */
	u64 timeouts;			/* waits that no signal ended: bugs */
} __attribute__((aligned(64)));

struct bench {
	struct vsc_ring_control *ctl;
	u8 *data;
	u32 payload;
	u32 batch;			/* packets per producer batch */
	double poll;			/* seconds to poll before sleeping */
	u64 count;			/* packets sent, once done */
	int stop;			/* main asks the producer to stop */
	int done;			/* the producer has stopped */
	struct side prod;
	struct side cons;
	u64 bad;			/* packets out of order */
};

struct result {
	const char *name;
	u32 payload;
	u32 batch;
	unsigned long long packets;
	double seconds;
	double pps;
	double bps;
	double memcpy_pps;
	double memcpy_bps;
	double one_thread_bps;		/* the ring, one thread */
	double bare_bps;		/* cross-core copy ceiling */
	double sig_to_cons;		/* producer->consumer signals a packet */
	double sig_to_prod;		/* consumer->producer signals a packet */
	unsigned long long cons_sleeps, prod_sleeps, timeouts, bad;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The ring's signal callback: wake the other side. */
static void wake_peer(struct vsc_ring *ring)
{
	struct side *peer = ring->priv;
	uint64_t one = 1;

	if (write(peer->efd, &one, sizeof(one)) != sizeof(one))
		abort();
}

static void wait_signal(struct side *s)
{
	struct pollfd p = { .fd = s->efd, .events = POLLIN };
	uint64_t v;

	s->sleeps++;
	if (poll(&p, 1, 1000) <= 0) {
		s->timeouts++;
		return;
	}
	if (read(s->efd, &v, sizeof(v)) != sizeof(v))
		abort();
}

/*
 * Adaptive polling: spins up to @secs for room for @need bytes (a writer)
 * or for any packet (a reader, @need 0). True if it came.
 */
static bool poll_until(double secs, struct vsc_ring *ring, u32 need)
{
	double t0;
	int i;

	if (secs <= 0)
		return false;
	t0 = now();
	do {
		for (i = 0; i < 64; i++) {
			int n = need ? vsc_ring_write_avail(ring) :
				       vsc_ring_read_avail(ring);

			if (n < 0)
				abort();
			if (need ? (u32)n >= need : n > 0)
				return true;
			__builtin_ia32_pause();
		}
	} while (now() - t0 < secs);
	return false;
}

static void *producer(void *arg)
{
	struct bench *b = arg;
	struct vsc_ring *w = &b->prod.ring;
	u32 need = vsc_ring_pkt_space(sizeof(struct vsc_packet_desc) +
				      b->payload);
	u8 *src = malloc(b->payload);
	struct vsc_packet_desc d;
	struct vsc_ring_buf bufs[2] = { { &d, sizeof(d) }, { src, b->payload } };
	u64 i = 0, one = 1;

	memset(src, 0x5a, b->payload);
	while (!__atomic_load_n(&b->stop, __ATOMIC_RELAXED)) {
		u32 n = 0;
		int ret;

		if (vsc_ring_write_begin(w))
			abort();
		do {
			vsc_ring_desc_fill(&d, VSC_PKT_DATA_INBAND, 0, i, 16,
					   b->payload);
			ret = vsc_ring_write_next(w, bufs, 2);
			if (!ret)
				i++;
		} while (!ret && ++n < b->batch);
		if (vsc_ring_write_end(w) || (ret && ret != -ENOSPC))
			abort();
		if (ret != -ENOSPC)
			continue;
		/* Full: poll a while, then ask for a signal when room is made. */
		if (poll_until(b->poll, w, need))
			continue;
		ret = vsc_ring_set_pending_send(w, need);
		if (ret < 0)
			abort();
		if (!ret)
			wait_signal(&b->prod);
		vsc_ring_clear_pending_send(w);
	}
	b->count = i;
	__atomic_store_n(&b->done, 1, __ATOMIC_RELEASE);
	/* Not a ring signal: tells a sleeping consumer to look at done. */
	if (write(b->cons.efd, &one, sizeof(one)) != sizeof(one))
		abort();
	free(src);
	return NULL;
}

static void *consumer(void *arg)
{
	static u64 buf[(RING_SIZE) / 8];
	struct bench *b = arg;
	struct vsc_ring *r = &b->cons.ring;
	u64 got = 0;
	u32 len, n;

	for (;;) {
		int done = __atomic_load_n(&b->done, __ATOMIC_ACQUIRE);

		vsc_ring_mask_interrupts(r);
		if (vsc_ring_read_begin(r))
			abort();
		/*
		 * Batches of at most an eighth of the ring: the room they free
		 * goes back to the producer while we read on.
		 */
		for (n = 0; n < RING_SIZE / 8 &&
		     !vsc_ring_read_next(r, buf, sizeof(buf), &len);
		     n += len) {
			struct vsc_packet_desc *d = (void *)buf;

			if (le64_to_cpu(d->trans_id) != got)
				b->bad++;
			got++;
		}
		if (vsc_ring_read_end(r))
			abort();
		/* Poll a while with interrupts still masked, then re-arm. */
		if (poll_until(b->poll, r, 0))
			continue;
		if (vsc_ring_unmask_interrupts(r) > 0)
			continue;
		if (done && got == b->count)
			break;
		if (!done)
			wait_signal(&b->cons);
	}
	return NULL;
}

/* memcpy of @payload-byte blocks into a ring-sized buffer, for @secs. */
static void memcpy_rate(u32 payload, double secs, double *ops, double *bps)
{
	u8 *src = malloc(payload), *dst = aligned_alloc(4096, RING_SIZE);
	u64 n = 0, i;
	u32 off = 0;
	double t0, t;

	memset(src, 0x5a, payload);
	memset(dst, 0, RING_SIZE);
	t0 = now();
	do {
		for (i = 0; i < 4096; i++) {
			memcpy(dst + off, src, payload);
			off += payload;
			if (off > RING_SIZE - payload)
				off = 0;
		}
		/* Keep the copies: the compiler sees dst escape here. */
		__asm__ volatile("" : : "r"(dst) : "memory");
		n += 4096;
		t = now() - t0;
	} while (t < secs);
	*ops = n / t;
	*bps = *ops * payload;
	free(src);
	free(dst);
}

/* The ring driven by one thread: batches of 16 written, then read. */
static double one_thread_rate(u32 payload, double secs)
{
	static u64 buf[RING_SIZE / 8];
	struct vsc_ring_control *ctl = aligned_alloc(4096, sizeof(*ctl));
	u8 *data = aligned_alloc(4096, RING_SIZE), *src = malloc(payload);
	struct vsc_ring w, r;
	double t0, t;
	u64 n = 0;
	u32 len;
	int i, k;

	memset(src, 0x5a, payload);
	memset(data, 0, RING_SIZE);
	vsc_ring_control_init(ctl, VSC_RING_FEAT_PENDING_SEND_SZ);
	if (vsc_ring_init(&w, VSC_RING_WRITER, ctl, data, RING_SIZE, NULL) ||
	    vsc_ring_init(&r, VSC_RING_READER, ctl, data, RING_SIZE, NULL))
		abort();
	t0 = now();
	do {
		for (k = 0; k < 256; k++) {
			for (i = 0; i < 16; i++)
				if (vsc_ring_send(&w, VSC_PKT_DATA_INBAND, 0,
						  n, NULL, 0, src, payload))
					break;
			n += i;
			if (vsc_ring_read_begin(&r))
				abort();
			while (!vsc_ring_read_next(&r, buf, sizeof(buf), &len))
				;
			if (vsc_ring_read_end(&r))
				abort();
		}
		t = now() - t0;
	} while (t < secs);
	free(ctl);
	free(data);
	free(src);
	return n * payload / t;
}

struct bare {
	u8 *buf;
	u32 payload;
	u64 widx __attribute__((aligned(64)));
	u64 ridx __attribute__((aligned(64)));
	int stop __attribute__((aligned(64)));
	u64 total;
};

static void *bare_producer(void *arg)
{
	struct bare *b = arg;
	u8 *src = malloc(b->payload);
	u64 w = 0;

	memset(src, 0x5a, b->payload);
	while (!__atomic_load_n(&b->stop, __ATOMIC_RELAXED)) {
		if (w - __atomic_load_n(&b->ridx, __ATOMIC_ACQUIRE) >
		    RING_SIZE - b->payload) {
			sched_yield();	/* the peer may share our CPU */
			continue;
		}
		memcpy(b->buf + w % (RING_SIZE / b->payload * b->payload),
		       src, b->payload);
		w += b->payload;
		__atomic_store_n(&b->widx, w, __ATOMIC_RELEASE);
	}
	free(src);
	return NULL;
}

static void *bare_consumer(void *arg)
{
	struct bare *b = arg;
	u8 *dst = malloc(b->payload);
	u64 r = 0, w;

	while (!__atomic_load_n(&b->stop, __ATOMIC_RELAXED)) {
		w = __atomic_load_n(&b->widx, __ATOMIC_ACQUIRE);
		if (r == w)
			sched_yield();
		for (; r < w; r += b->payload) {
			memcpy(dst, b->buf + r %
			       (RING_SIZE / b->payload * b->payload),
			       b->payload);
			__atomic_store_n(&b->ridx, r + b->payload,
					 __ATOMIC_RELEASE);
		}
	}
	b->total = r;
	free(dst);
	return NULL;
}

/* Two threads, a buffer and an index pair: what crossing cores costs. */
static double bare_rate(u32 payload, double secs)
{
	struct bare *b = aligned_alloc(64, sizeof(*b));
	pthread_t tp, tc;
	double t0, t;

	memset(b, 0, sizeof(*b));
	b->buf = aligned_alloc(4096, RING_SIZE);
	memset(b->buf, 0, RING_SIZE);
	b->payload = payload;
	t0 = now();
	pthread_create(&tc, NULL, bare_consumer, b);
	pthread_create(&tp, NULL, bare_producer, b);
	usleep((useconds_t)(secs * 1e6));
	__atomic_store_n(&b->stop, 1, __ATOMIC_RELAXED);
	pthread_join(tp, NULL);
	pthread_join(tc, NULL);
	t = now() - t0;
	t = b->total / t;
	free(b->buf);
	free(b);
	return t;
}

static void run(struct result *res, const char *name, u32 payload, u32 batch,
		double poll, double secs)
{
	struct bench b;
	pthread_t tp, tc;
	double t0, t;

	memset(&b, 0, sizeof(b));
	b.ctl = aligned_alloc(4096, sizeof(*b.ctl));
	b.data = aligned_alloc(4096, RING_SIZE);
	memset(b.data, 0, RING_SIZE);
	vsc_ring_control_init(b.ctl, VSC_RING_FEAT_PENDING_SEND_SZ);
	b.payload = payload;
	b.batch = batch;
	b.poll = poll;
	b.prod.efd = eventfd(0, EFD_CLOEXEC);
	b.cons.efd = eventfd(0, EFD_CLOEXEC);
	if (vsc_ring_init(&b.prod.ring, VSC_RING_WRITER, b.ctl, b.data,
			  RING_SIZE, wake_peer) ||
	    vsc_ring_init(&b.cons.ring, VSC_RING_READER, b.ctl, b.data,
			  RING_SIZE, wake_peer))
		abort();
	b.prod.ring.priv = &b.cons;
	b.cons.ring.priv = &b.prod;

	t0 = now();
	pthread_create(&tc, NULL, consumer, &b);
	pthread_create(&tp, NULL, producer, &b);
	usleep((useconds_t)(secs * 1e6));
	__atomic_store_n(&b.stop, 1, __ATOMIC_RELAXED);
	pthread_join(tp, NULL);
	pthread_join(tc, NULL);
	t = now() - t0;

	res->name = name;
	res->payload = payload;
	res->batch = batch;
	res->packets = b.count;
	res->seconds = t;
	res->pps = b.count / t;
	res->bps = res->pps * payload;
	res->sig_to_cons = (double)b.prod.ring.stats.signals / b.count;
	res->sig_to_prod = (double)b.cons.ring.stats.signals / b.count;
	res->cons_sleeps = b.cons.sleeps;
	res->prod_sleeps = b.prod.sleeps;
	res->timeouts = b.cons.timeouts + b.prod.timeouts;
	res->bad = b.bad;
	memcpy_rate(payload, secs / 2, &res->memcpy_pps, &res->memcpy_bps);
	res->one_thread_bps = one_thread_rate(payload, secs / 2);
	res->bare_bps = bare_rate(payload, secs / 2);

	close(b.prod.efd);
	close(b.cons.efd);
	free(b.ctl);
	free(b.data);
}

static char loadavg[64] = "?";

/* The machine may be shared: record how busy it was. */
static void read_loadavg(void)
{
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (fscanf(f, "%63[^\n]", loadavg) != 1)
			strcpy(loadavg, "?");
		fclose(f);
	}
}

static void write_json(FILE *f, const struct result *r, int n)
{
	int i;

	fprintf(f, "{\n  \"benchmark\": \"ring\",\n  \"ring_size\": %d,\n"
		"  \"cpus_online\": %ld,\n  \"loadavg_before\": \"%s\",\n"
		"  \"results\": [\n", RING_SIZE,
		sysconf(_SC_NPROCESSORS_ONLN), loadavg);
	for (i = 0; i < n; i++, r++)
		fprintf(f, "    {\"case\": \"%s\", \"payload_bytes\": %u, "
			"\"writer_batch\": %u, \"packets\": %llu, "
			"\"seconds\": %.3f, \"packets_per_s\": %.0f, "
			"\"bytes_per_s\": %.0f, \"memcpy_ops_per_s\": %.0f, "
			"\"memcpy_bytes_per_s\": %.0f, \"ratio_to_memcpy\": %.3f, "
			"\"one_thread_ring_bytes_per_s\": %.0f, "
			"\"one_thread_ratio_to_memcpy\": %.3f, "
			"\"cross_core_ceiling_bytes_per_s\": %.0f, "
			"\"ratio_to_cross_core_ceiling\": %.3f, "
			"\"signals_per_packet_to_consumer\": %.5f, "
			"\"signals_per_packet_to_producer\": %.5f, "
			"\"consumer_sleeps\": %llu, "
			"\"producer_sleeps\": %llu, "
			"\"lost_wakeups\": %llu, "
			"\"out_of_order\": %llu}%s\n",
			r->name, r->payload, r->batch, r->packets, r->seconds,
			r->pps, r->bps, r->memcpy_pps, r->memcpy_bps,
			r->bps / r->memcpy_bps, r->one_thread_bps,
			r->one_thread_bps / r->memcpy_bps, r->bare_bps,
			r->bps / r->bare_bps, r->sig_to_cons, r->sig_to_prod,
			r->cons_sleeps, r->prod_sleeps, r->timeouts, r->bad,
			i + 1 < n ? "," : "");
	fprintf(f, "  ]\n}\n");
}

static void write_md(FILE *f, const struct result *r, int n)
{
	int i;

	fprintf(f, "# Ring micro-benchmark\n\n"
		"Producer and consumer threads on one %d KiB ring in memory "
		"(`make -C tests/bench ring`, %ld CPUs online, load average "
		"%s before the run), against memcpy of the same sizes into a "
		"buffer as large as the ring, one thread, same run.\n\n"
		"| case | packets/s | ring MB/s | memcpy MB/s | **ratio** | "
		"one-thread ring MB/s (ratio) | cross-core ceiling MB/s | "
		"ring / ceiling | signals/pkt to consumer | "
		"signals/pkt to producer | lost wake-ups |\n"
		"|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
		RING_SIZE / 1024, sysconf(_SC_NPROCESSORS_ONLN), loadavg);
	for (i = 0; i < n; i++, r++)
		fprintf(f, "| %s | %.2fM | %.0f | %.0f | **%.2f** | %.0f (%.2f) "
			"| %.0f | %.2f | %.4f | %.4f | %llu |\n", r->name,
			r->pps / 1e6, r->bps / 1e6, r->memcpy_bps / 1e6,
			r->bps / r->memcpy_bps, r->one_thread_bps / 1e6,
			r->one_thread_bps / r->memcpy_bps, r->bare_bps / 1e6,
			r->bps / r->bare_bps, r->sig_to_cons, r->sig_to_prod,
			r->timeouts);
	fprintf(f, "\n- ratio: ring bytes/s over memcpy bytes/s at the same "
		"size.\n"
		"- one-thread ring: one thread writes 16 packets, then reads "
		"them: the code's cost with two copies a packet and no data "
		"crossing cores (at most 0.5 of memcpy).\n"
		"- cross-core ceiling: two threads passing blocks of the same "
		"size through a ring-sized buffer with only a release/acquire "
		"index pair: what moving the bytes between cores costs on this "
		"machine, whatever the ring protocol.\n"
		"- polling: before sleeping, each side polls the ring for up "
		"to 20 us (the consumer with interrupts still masked).\n"
		"- signals: what the ring's rules called for, per packet; a "
		"lost wake-up is a wait ended by its 1 s time-out instead of "
		"a signal (must be 0).\n");
}

int main(int argc, char **argv)
{
	const char *json = NULL, *md = NULL;
	struct result res[6];
	double secs = 1.0;
	int opt, i, fail = 0;
	FILE *f;

	while ((opt = getopt(argc, argv, "j:m:s:")) != -1) {
		if (opt == 'j')
			json = optarg;
		else if (opt == 'm')
			md = optarg;
		else if (opt == 's')
			secs = atof(optarg);
		else
			return 2;
	}

	read_loadavg();
	run(&res[0], "64 B, one packet per write", 64, 1, 0, secs);
	run(&res[1], "64 B, writes batched by 16", 64, 16, 0, secs);
	run(&res[2], "64 B, one per write, 20 us polling", 64, 1, 20e-6,
	    secs);
	run(&res[3], "4 KiB, one packet per write", 4096, 1, 0, secs);
	run(&res[4], "4 KiB, writes batched by 16", 4096, 16, 0, secs);
	run(&res[5], "4 KiB, one per write, 20 us polling", 4096, 1, 20e-6,
	    secs);

	for (i = 0; i < 6; i++) {
		printf("%-36s %9.0f pkt/s %7.0f MB/s  memcpy %6.0f MB/s  "
		       "ratio %.2f  1-thread %.2f  ceiling %6.0f MB/s (%.2f)  "
		       "sig/pkt ->cons %.4f ->prod %.4f  lost %llu\n",
		       res[i].name, res[i].pps, res[i].bps / 1e6,
		       res[i].memcpy_bps / 1e6, res[i].bps / res[i].memcpy_bps,
		       res[i].one_thread_bps / res[i].memcpy_bps,
		       res[i].bare_bps / 1e6, res[i].bps / res[i].bare_bps,
		       res[i].sig_to_cons, res[i].sig_to_prod,
		       res[i].timeouts);
		if (res[i].timeouts || res[i].bad)
			fail = 1;
	}
	if (json) {
		f = fopen(json, "w");
		if (!f)
			return 1;
		write_json(f, res, 6);
		fclose(f);
	}
	if (md) {
		f = fopen(md, "w");
		if (!f)
			return 1;
		write_md(f, res, 6);
		fclose(f);
	}
	return fail;
}
