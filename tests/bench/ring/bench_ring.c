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
 * The baseline, in the same run: the bare cross-core copy ceiling, two
 * threads passing blocks of the same size through a ring-sized buffer with
 * nothing but a release/acquire index pair. Each case runs the ring and
 * that baseline alternately (ring, baseline, ring, baseline, ...) RUNS
 * times and reports the medians, their ratio, and the spread of the
 * pairwise ratios: the machine may be shared and noisy. Two references
 * put the figures in context, measured once a case: memcpy of the same
 * sizes into a ring-sized buffer, one thread, and the ring driven by one
 * thread (write, then read: the code's own cost, two copies a packet, no
 * data crossing cores).
 *
 * The consumer keeps interrupts masked while packets keep coming and
 * reads a burst in one batch (read_begin, read_next...,
 * read_end: one read index publication a burst), either copying each
 * packet out (vsc_ring_read_next()) or in place
 * (vsc_ring_read_next_inplace()), copying the payload once into a private
 * block as the baseline's consumer does.
 *
 * usage: bench_ring [-j JSON] [-m MARKDOWN] [-s SECONDS] [-r RUNS]
 *
 * SECONDS is one run's length (default 0.5), RUNS the runs of each side
 * (default 7, at least 5).
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
#define MAX_RUNS	32

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
	bool inplace;			/* the consumer reads in place */
	double poll;			/* seconds to poll before sleeping */
	u64 count;			/* packets sent, once done */
	int stop;			/* main asks the producer to stop */
	int done;			/* the producer has stopped */
	struct side prod;
	struct side cons;
	u64 bad;			/* packets out of order */
};

/* One run of the ring. */
struct once {
	double bps;
	unsigned long long packets, sig_to_cons, sig_to_prod;
	unsigned long long cons_sleeps, prod_sleeps, timeouts, bad;
};

struct result {
	const char *name;
	u32 payload;
	u32 batch;
	bool inplace;
	int runs;
	double ring_bps[MAX_RUNS];	/* run k of the ring */
	double bare_bps[MAX_RUNS];	/* run k of the baseline, right after */
	double ring_med, ring_min, ring_max;
	double bare_med, bare_min, bare_max;
	double ratio;			/* median ring / median baseline */
	double pair_med, pair_min, pair_max;	/* ring[k] / bare[k] */
	int starved;			/* baseline runs that moved nothing */
	double memcpy_bps;
	double one_thread_bps;		/* the ring, one thread */
	unsigned long long packets;	/* all runs */
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
	u8 *dst = malloc(b->payload);
	struct vsc_packet_desc d;
	const u8 *body;
	u64 got = 0;
	u32 len, n;
	int ret = 0;

	/*
	 * Interrupts stay masked while packets keep coming (as NAPI does):
	 * unmasked only when the ring is found empty, masked again on wake.
	 */
	vsc_ring_mask_interrupts(r);
	for (;;) {
		int done = __atomic_load_n(&b->done, __ATOMIC_ACQUIRE);

		if (vsc_ring_read_begin(r))
			abort();
		/*
		 * Batches of at most an eighth of the ring: the room they free
		 * goes back to the producer while we read on.
		 */
		for (n = 0; n < RING_SIZE / 8; n += len) {
			if (b->inplace) {
				ret = vsc_ring_read_next_inplace(r, &d, &body,
								 buf,
								 sizeof(buf),
								 &len);
				if (ret)
					break;
				/* The payload, once, into a private block. */
				memcpy(dst, body, b->payload);
			} else {
				ret = vsc_ring_read_next(r, buf, sizeof(buf),
							 &len);
				if (ret)
					break;
				memcpy(&d, buf, sizeof(d));
			}
			if (le64_to_cpu(d.trans_id) != got)
				b->bad++;
			got++;
		}
		if (ret != -EAGAIN && ret)
			abort();
		if (vsc_ring_read_end(r))
			abort();
		/*
		 * More already? Else poll a while with interrupts still
		 * masked, then re-arm.
		 */
		if (vsc_ring_read_avail(r) > 0 || poll_until(b->poll, r, 0))
			continue;
		if (vsc_ring_unmask_interrupts(r) > 0) {
			vsc_ring_mask_interrupts(r);
			continue;
		}
		if (done && got == b->count)
			break;
		if (!done)
			wait_signal(&b->cons);
		vsc_ring_mask_interrupts(r);
	}
	__asm__ volatile("" : : "r"(dst) : "memory");
	free(dst);
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

static void ring_once(struct once *o, u32 payload, u32 batch, bool inplace,
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
	b.inplace = inplace;
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

	o->packets = b.count;
	o->bps = b.count / t * payload;
	o->sig_to_cons = b.prod.ring.stats.signals;
	o->sig_to_prod = b.cons.ring.stats.signals;
	o->cons_sleeps = b.cons.sleeps;
	o->prod_sleeps = b.prod.sleeps;
	o->timeouts = b.cons.timeouts + b.prod.timeouts;
	o->bad = b.bad;

	close(b.prod.efd);
	close(b.cons.efd);
	free(b.ctl);
	free(b.data);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median, minimum and maximum of @n values. */
static void stats(const double *v, int n, double *med, double *min,
		  double *max)
{
	double s[MAX_RUNS];

	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp_double);
	*med = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	*min = s[0];
	*max = s[n - 1];
}

/* @runs alternating runs of the ring and of the baseline, then references. */
static void run(struct result *res, const char *name, u32 payload, u32 batch,
		bool inplace, double poll, double secs, int runs)
{
	double pair[MAX_RUNS], sc = 0, sp = 0;
	struct once o;
	int k, np = 0;

	memset(res, 0, sizeof(*res));
	res->name = name;
	res->payload = payload;
	res->batch = batch;
	res->inplace = inplace;
	res->runs = runs;
	for (k = 0; k < runs; k++) {
		ring_once(&o, payload, batch, inplace, poll, secs);
		res->ring_bps[k] = o.bps;
		res->bare_bps[k] = bare_rate(payload, secs);
		/* A starved baseline run (nothing moved) has no ratio. */
		if (res->bare_bps[k] > 0)
			pair[np++] = res->ring_bps[k] / res->bare_bps[k];
		else
			res->starved++;
		res->packets += o.packets;
		sc += o.sig_to_cons;
		sp += o.sig_to_prod;
		res->cons_sleeps += o.cons_sleeps;
		res->prod_sleeps += o.prod_sleeps;
		res->timeouts += o.timeouts;
		res->bad += o.bad;
	}
	stats(res->ring_bps, runs, &res->ring_med, &res->ring_min,
	      &res->ring_max);
	stats(res->bare_bps, runs, &res->bare_med, &res->bare_min,
	      &res->bare_max);
	if (np)
		stats(pair, np, &res->pair_med, &res->pair_min,
		      &res->pair_max);
	res->ratio = res->ring_med / res->bare_med;
	res->sig_to_cons = sc / res->packets;
	res->sig_to_prod = sp / res->packets;
	{
		double ops;

		memcpy_rate(payload, secs, &ops, &res->memcpy_bps);
	}
	res->one_thread_bps = one_thread_rate(payload, secs);
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

static void write_json(FILE *f, const struct result *r, int n, double secs)
{
	int i;

	fprintf(f, "{\n  \"benchmark\": \"ring\",\n  \"ring_size\": %d,\n"
		"  \"cpus_online\": %ld,\n  \"loadavg_before\": \"%s\",\n"
		"  \"seconds_per_run\": %.3f,\n"
		"  \"baseline\": \"same-run cross-core copy ceiling, runs "
		"alternating with the ring's\",\n"
		"  \"results\": [\n", RING_SIZE,
		sysconf(_SC_NPROCESSORS_ONLN), loadavg, secs);
	for (i = 0; i < n; i++, r++)
		fprintf(f, "    {\"case\": \"%s\", \"payload_bytes\": %u, "
			"\"writer_batch\": %u, \"reader\": \"%s\", "
			"\"runs\": %d, \"packets\": %llu, "
			"\"ring_bytes_per_s_median\": %.0f, "
			"\"ring_bytes_per_s_min\": %.0f, "
			"\"ring_bytes_per_s_max\": %.0f, "
			"\"ceiling_bytes_per_s_median\": %.0f, "
			"\"ceiling_bytes_per_s_min\": %.0f, "
			"\"ceiling_bytes_per_s_max\": %.0f, "
			"\"ratio_to_ceiling\": %.3f, "
			"\"pair_ratio_median\": %.3f, "
			"\"pair_ratio_min\": %.3f, "
			"\"pair_ratio_max\": %.3f, "
			"\"baseline_runs_starved\": %d, "
			"\"memcpy_bytes_per_s\": %.0f, "
			"\"one_thread_ring_bytes_per_s\": %.0f, "
			"\"signals_per_packet_to_consumer\": %.5f, "
			"\"signals_per_packet_to_producer\": %.5f, "
			"\"consumer_sleeps\": %llu, "
			"\"producer_sleeps\": %llu, "
			"\"lost_wakeups\": %llu, "
			"\"out_of_order\": %llu}%s\n",
			r->name, r->payload, r->batch,
			r->inplace ? "in place" : "copy", r->runs, r->packets,
			r->ring_med, r->ring_min, r->ring_max, r->bare_med,
			r->bare_min, r->bare_max, r->ratio, r->pair_med,
			r->pair_min, r->pair_max, r->starved, r->memcpy_bps,
			r->one_thread_bps, r->sig_to_cons, r->sig_to_prod,
			r->cons_sleeps, r->prod_sleeps, r->timeouts, r->bad,
			i + 1 < n ? "," : "");
	fprintf(f, "  ]\n}\n");
}

static void write_md(FILE *f, const struct result *r, int n, double secs)
{
	int i;

	fprintf(f, "# Ring micro-benchmark\n\n"
		"Producer and consumer threads on one %d KiB ring in memory "
		"(`make -C tests/bench ring`, %ld CPUs online, load average "
		"%s before the run). Baseline: the same-run cross-core copy "
		"ceiling. Each case runs the ring and the baseline "
		"alternately, %d times each, %.2f s a run; the table gives "
		"medians, and the spread (min-max) of the %d pairwise ratios. "
		"The machine is shared (2 cores, other jobs): single runs "
		"swing widely, read the medians.\n\n"
		"| case | reader | ring MB/s median (min-max) | "
		"ceiling MB/s median (min-max) | **ring / ceiling** | "
		"pairwise ratios (min-max) | memcpy MB/s | one-thread ring "
		"MB/s | signals/pkt to consumer | signals/pkt to producer | "
		"lost wake-ups |\n"
		"|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
		RING_SIZE / 1024, sysconf(_SC_NPROCESSORS_ONLN), loadavg,
		r->runs, secs, r->runs);
	for (i = 0; i < n; i++, r++)
		fprintf(f, "| %s | %s | %.0f (%.0f-%.0f) | %.0f (%.0f-%.0f) | "
			"**%.2f** | %.2f (%.2f-%.2f)%s | %.0f | %.0f | %.4f | "
			"%.4f | %llu |\n", r->name,
			r->inplace ? "in place" : "copy",
			r->ring_med / 1e6, r->ring_min / 1e6, r->ring_max / 1e6,
			r->bare_med / 1e6, r->bare_min / 1e6, r->bare_max / 1e6,
			r->ratio, r->pair_med, r->pair_min, r->pair_max,
			r->starved ? ", baseline starved in some runs" : "",
			r->memcpy_bps / 1e6, r->one_thread_bps / 1e6,
			r->sig_to_cons, r->sig_to_prod, r->timeouts);
	fprintf(f, "\n- ring / ceiling: the ring's median bytes/s over the "
		"ceiling's median; goal at 4 KiB: at least 0.8.\n"
		"- cross-core ceiling: two threads passing blocks of the same "
		"size through a ring-sized buffer with only a release/acquire "
		"index pair, the consumer copying each block out: what moving "
		"the bytes between cores costs on this machine, whatever the "
		"ring protocol.\n"
		"- reader: copy = vsc_ring_read_next() copies each packet out "
		"of the ring; in place = vsc_ring_read_next_inplace() leaves "
		"it there and the consumer copies the payload once into a "
		"private block, as the ceiling's consumer does. Either way a "
		"burst (up to 32 KiB) is one batch with one read index "
		"publication.\n"
		"- memcpy and one-thread ring: context, one run a case; the "
		"one-thread ring writes 16 packets, then reads them (two "
		"copies a packet, nothing crosses cores).\n"
		"- polling: before sleeping, each side polls the ring for up "
		"to 20 us (the consumer with interrupts still masked).\n"
		"- signals: what the ring's rules called for, per packet; a "
		"lost wake-up is a wait ended by its 1 s time-out instead of "
		"a signal (must be 0).\n");
}

int main(int argc, char **argv)
{
	const char *json = NULL, *md = NULL;
	struct result res[9];
	double secs = 0.5;
	int opt, i, fail = 0, runs = 7, n = 0;
	FILE *f;

	while ((opt = getopt(argc, argv, "j:m:s:r:")) != -1) {
		if (opt == 'j')
			json = optarg;
		else if (opt == 'm')
			md = optarg;
		else if (opt == 's')
			secs = atof(optarg);
		else if (opt == 'r')
			runs = atoi(optarg);
		else
			return 2;
	}
	if (runs < 5 || runs > MAX_RUNS || secs <= 0) {
		fprintf(stderr, "bench_ring: -r 5..%d, -s > 0\n", MAX_RUNS);
		return 2;
	}

	read_loadavg();
	run(&res[n++], "64 B, one packet per write", 64, 1, false, 0, secs,
	    runs);
	run(&res[n++], "64 B, writes batched by 16", 64, 16, false, 0, secs,
	    runs);
	run(&res[n++], "64 B, writes batched by 16", 64, 16, true, 0, secs,
	    runs);
	run(&res[n++], "64 B, one per write, 20 us polling", 64, 1, false,
	    20e-6, secs, runs);
	run(&res[n++], "4 KiB, one packet per write", 4096, 1, false, 0, secs,
	    runs);
	run(&res[n++], "4 KiB, one packet per write", 4096, 1, true, 0, secs,
	    runs);
	run(&res[n++], "4 KiB, writes batched by 16", 4096, 16, false, 0,
	    secs, runs);
	run(&res[n++], "4 KiB, writes batched by 16", 4096, 16, true, 0, secs,
	    runs);
	run(&res[n++], "4 KiB, one per write, 20 us polling", 4096, 1, true,
	    20e-6, secs, runs);

	for (i = 0; i < n; i++) {
		printf("%-36s %-8s ring %6.0f MB/s (%.0f-%.0f)  ceiling %6.0f "
		       "MB/s (%.0f-%.0f)  ratio %.2f (pairs %.2f-%.2f)  "
		       "sig/pkt ->cons %.4f ->prod %.4f  lost %llu\n",
		       res[i].name, res[i].inplace ? "in place" : "copy",
		       res[i].ring_med / 1e6, res[i].ring_min / 1e6,
		       res[i].ring_max / 1e6, res[i].bare_med / 1e6,
		       res[i].bare_min / 1e6, res[i].bare_max / 1e6,
		       res[i].ratio, res[i].pair_min, res[i].pair_max,
		       res[i].sig_to_cons, res[i].sig_to_prod,
		       res[i].timeouts);
		if (res[i].timeouts || res[i].bad)
			fail = 1;
	}
	if (json) {
		f = fopen(json, "w");
		if (!f)
			return 1;
		write_json(f, res, n, secs);
		fclose(f);
	}
	if (md) {
		f = fopen(md, "w");
		if (!f)
			return 1;
		write_md(f, res, n, secs);
		fclose(f);
	}
	return fail;
}
