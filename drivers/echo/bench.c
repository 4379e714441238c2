// SPDX-License-Identifier: GPL-2.0
/*
 * Timed measurements on the primary channel. "echo_bench" takes "SIZE
 * COUNT WINDOW SINK": COUNT packets of SIZE bytes with at most WINDOW in
 * flight, echoed (SINK 0) or sunk (SINK 1: the host answers with the
 * header only); reading it gives the packets that came back and the time
 * the run took. "echo_gpadl" takes a size in MiB: a buffer that large is
 * shared with the host as one GPADL and taken back; reading it gives how
 * long each half took.
 */
#include <linux/device.h>
#include <linux/ktime.h>
#include <linux/vmalloc.h>

#include "echo.h"

static ssize_t echo_bench_store(struct device *dev, struct device_attribute *attr,
				const char *buf, size_t count)
{
	struct echo_dev *e = dev_get_drvdata(dev);
	u32 size, rounds, window, sink;
	u64 t0;
	int ret;

	if (sscanf(buf, "%u %u %u %u", &size, &rounds, &window, &sink) != 4 ||
	    !size || size > ECHO_MAX_PKT || !rounds || !window ||
	    window > ECHO_WINDOW)
		return -EINVAL;
	mutex_lock(&e->run_lock);
	e->fixed_len = size;
	e->sink = sink;
	e->window = window;
	t0 = ktime_get_ns();
	ret = echo_run_chan(e->primary, rounds);
	e->bench_ns = ktime_get_ns() - t0;
	e->fixed_len = 0;
	e->sink = false;
	mutex_unlock(&e->run_lock);
	return ret ? ret : count;
}

static ssize_t echo_bench_show(struct device *dev, struct device_attribute *attr,
			       char *buf)
{
	struct echo_dev *e = dev_get_drvdata(dev);

	return sysfs_emit(buf, "packets %d ns %llu\n", atomic_read(&e->primary->ok),
			  e->bench_ns);
}
static DEVICE_ATTR_RW(echo_bench);

/*
 * Shares a buffer of the MiB written with the host as one GPADL on the
 * primary and takes it back, timing both. netvsc's receive buffer is
 * 16 MiB by default, 31 at most.
 */
static ssize_t echo_gpadl_store(struct device *dev,
				struct device_attribute *attr,
				const char *buf, size_t count)
{
	struct echo_dev *e = dev_get_drvdata(dev);
	struct vsc_vmbus_channel *ch = e->primary->ch;
	u32 mib, handle;
	u64 t0, t1, t2;
	void *mem;
	int ret;

	ret = kstrtou32(buf, 0, &mib);
	if (ret || !mib || mib > 64)
		return -EINVAL;
	mem = vzalloc(mib << 20);
	if (!mem)
		return -ENOMEM;
	mutex_lock(&e->run_lock);
	t0 = ktime_get_ns();
	ret = vsc_vmbus_gpadl_create(ch, mem, mib << 20, &handle);
	t1 = ktime_get_ns();
	if (!ret)
		ret = vsc_vmbus_gpadl_teardown(ch, handle) ? -ETIMEDOUT : 0;
	t2 = ktime_get_ns();
	e->gpadl_mib = mib;
	e->gpadl_status = ret;
	e->gpadl_ns[0] = t1 - t0;
	e->gpadl_ns[1] = t2 - t1;
	mutex_unlock(&e->run_lock);
	/* A host that may still hold the pages keeps them. */
	if (ret != -ETIMEDOUT)
		vfree(mem);
	return ret ? ret : count;
}

static ssize_t echo_gpadl_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct echo_dev *e = dev_get_drvdata(dev);

	return sysfs_emit(buf, "mib %u create_ns %llu teardown_ns %llu status %d\n",
			  e->gpadl_mib, e->gpadl_ns[0], e->gpadl_ns[1],
			  e->gpadl_status);
}
static DEVICE_ATTR_RW(echo_gpadl);

static struct attribute *echo_bench_attrs[] = {
	&dev_attr_echo_bench.attr,
	&dev_attr_echo_gpadl.attr,
	NULL,
};

const struct attribute_group echo_bench_group = {
	.attrs = echo_bench_attrs,
};
