/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsc_echo internals, shared by its files: the device, its channels, and
 * what each file offers the others. main.c binds devices and manages
 * sub-channels, chan.c opens, sends on and reads one channel, run.c is
 * the echo_run test, bench.c the timed echo_bench and echo_gpadl, cycle.c
 * the echo_cycle close/open test. The wire format is include/vsc/echo.h.
 */
#ifndef _VSC_ECHO_DRV_H
#define _VSC_ECHO_DRV_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sysfs.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <vsc/echo.h>

#include "vmbus/vsc_vmbus.h"

#define ECHO_RING	(64 * 1024)
#define ECHO_MAX_PKT	(40 * 1024)	/* more than half the ring */
#define ECHO_BUF	(ECHO_MAX_PKT + 256)	/* a packet with its headers */
#define ECHO_WINDOW	64
#define ECHO_BUDGET	64
#define ECHO_CTRL_CTX	((void *)ULONG_MAX)	/* rqstor context of a CTRL */
#define ECHO_NSIZES	8		/* packet sizes a run cycles through */

struct echo_dev;

/* One channel of the device (the primary or a sub-channel) and its run. */
struct echo_chan {
	struct list_head node;		/* in echo_dev.chans */
	struct echo_dev *e;
	struct vsc_vmbus_channel *ch;
	int cpu;
	bool gone;			/* rescinded: a run stops waiting */
	bool broken;			/* the host broke the channel */
	bool cycling;			/* echo_cycle: stale answers expected */
	struct vsc_vmbus_rqstor rq;
	u8 *rxbuf;
	u8 *txbuf;
	unsigned long *inband;		/* seqs expected back in-band */
	u32 rounds;
	atomic_t outstanding;
	atomic_t ok, bad, unknown, stale;
	int last;
	struct work_struct run_work;
};

struct echo_dev {
	struct vsc_vmbus_device *vdev;
	struct mutex run_lock;		/* one test or CTRL at a time */
	struct mutex chans_lock;	/* @chans */
	struct list_head chans;		/* the primary first */
	struct echo_chan *primary;
	wait_queue_head_t wq;
	u32 fixed_len;			/* bench: every packet this size */
	bool sink;			/* bench: one-way */
	u32 window;
	u64 bench_ns;
	u32 next_rr;			/* sub-channels opened so far */
	atomic_t running;		/* sub-channel runs not done */
	struct completion ctrl_done;
	struct vsc_echo_ctrl ctrl_answer;
	bool ctrl_ok;			/* the answer parsed */
	u32 gpadl_mib;			/* echo_gpadl: the last size */
	int gpadl_status;		/* and its outcome */
	u64 gpadl_ns[2];		/* create, teardown */
};

/* main.c: the module parameters "polled" and "xmit_more". */
extern bool echo_polled;
extern bool echo_xmit_more;

/* chan.c */
const char *echo_handle(struct echo_chan *ec, const struct vsc_ring_pkt *pkt);
int echo_send_one(struct echo_chan *ec, u32 seq);
bool echo_idle(struct echo_chan *ec, int below);
int echo_open(struct echo_chan *ec);
struct echo_chan *echo_chan_open(struct echo_dev *e,
				 struct vsc_vmbus_channel *ch, int cpu);
void echo_chan_close(struct echo_dev *e, struct echo_chan *ec);

/* run.c */
int echo_run_chan(struct echo_chan *ec, u32 rounds);

/* The sysfs files, a group per file that has some (main.c lists them). */
extern const struct attribute_group echo_run_group;
extern const struct attribute_group echo_bench_group;
extern const struct attribute_group echo_cycle_group;

#endif /* _VSC_ECHO_DRV_H */
