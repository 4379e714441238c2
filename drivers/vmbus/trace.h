/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of vsc_vmbus: channel messages both ways and channel events.
 * Enable with: echo 1 > /sys/kernel/tracing/events/vsc_vmbus/enable
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM vsc_vmbus

#if !defined(_VSC_VMBUS_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _VSC_VMBUS_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(vsc_vmbus_msg_recv,
	TP_PROTO(u32 type, u32 len, int err),
	TP_ARGS(type, len, err),
	TP_STRUCT__entry(
		__field(u32, type)
		__field(u32, len)
		__field(int, err)
	),
	TP_fast_assign(
		__entry->type = type;
		__entry->len = len;
		__entry->err = err;
	),
	TP_printk("type %u len %u err %d", __entry->type, __entry->len,
		  __entry->err)
);

TRACE_EVENT(vsc_vmbus_msg_post,
	TP_PROTO(u32 type, u32 len, int ret),
	TP_ARGS(type, len, ret),
	TP_STRUCT__entry(
		__field(u32, type)
		__field(u32, len)
		__field(int, ret)
	),
	TP_fast_assign(
		__entry->type = type;
		__entry->len = len;
		__entry->ret = ret;
	),
	TP_printk("type %u len %u ret %d", __entry->type, __entry->len,
		  __entry->ret)
);

DECLARE_EVENT_CLASS(vsc_vmbus_chan_class,
	TP_PROTO(u32 relid, int cpu, int ret),
	TP_ARGS(relid, cpu, ret),
	TP_STRUCT__entry(
		__field(u32, relid)
		__field(int, cpu)
		__field(int, ret)
	),
	TP_fast_assign(
		__entry->relid = relid;
		__entry->cpu = cpu;
		__entry->ret = ret;
	),
	TP_printk("relid %u cpu %d ret %d", __entry->relid, __entry->cpu,
		  __entry->ret)
);

DEFINE_EVENT(vsc_vmbus_chan_class, vsc_vmbus_chan_offer,
	TP_PROTO(u32 relid, int cpu, int ret), TP_ARGS(relid, cpu, ret));
DEFINE_EVENT(vsc_vmbus_chan_class, vsc_vmbus_chan_rescind,
	TP_PROTO(u32 relid, int cpu, int ret), TP_ARGS(relid, cpu, ret));
DEFINE_EVENT(vsc_vmbus_chan_class, vsc_vmbus_chan_open,
	TP_PROTO(u32 relid, int cpu, int ret), TP_ARGS(relid, cpu, ret));
DEFINE_EVENT(vsc_vmbus_chan_class, vsc_vmbus_chan_close,
	TP_PROTO(u32 relid, int cpu, int ret), TP_ARGS(relid, cpu, ret));
DEFINE_EVENT(vsc_vmbus_chan_class, vsc_vmbus_chan_modify,
	TP_PROTO(u32 relid, int cpu, int ret), TP_ARGS(relid, cpu, ret));

/* The data path: @arg is a status, a byte count or a CPU, as named. */
DECLARE_EVENT_CLASS(vsc_vmbus_data_class,
	TP_PROTO(u32 relid, u64 arg),
	TP_ARGS(relid, arg),
	TP_STRUCT__entry(
		__field(u32, relid)
		__field(u64, arg)
	),
	TP_fast_assign(
		__entry->relid = relid;
		__entry->arg = arg;
	),
	TP_printk("relid %u arg %llu", __entry->relid, __entry->arg)
);

/* A signal to the host; @arg: the platform's status (0: sent). */
DEFINE_EVENT(vsc_vmbus_data_class, vsc_vmbus_signal,
	TP_PROTO(u32 relid, u64 arg), TP_ARGS(relid, arg));
/* The channel's callback scheduled; @arg: the CPU. */
DEFINE_EVENT(vsc_vmbus_data_class, vsc_vmbus_schedule,
	TP_PROTO(u32 relid, u64 arg), TP_ARGS(relid, arg));
/* A send found the outbound ring full; @arg: the packet's bytes. */
DEFINE_EVENT(vsc_vmbus_data_class, vsc_vmbus_ring_full,
	TP_PROTO(u32 relid, u64 arg), TP_ARGS(relid, arg));
/* A writer woken by the host's signal; @arg: waits so far. */
DEFINE_EVENT(vsc_vmbus_data_class, vsc_vmbus_send_wakeup,
	TP_PROTO(u32 relid, u64 arg), TP_ARGS(relid, arg));
/* An inbound packet larger than the reader's buffer; @arg: its bytes. */
DEFINE_EVENT(vsc_vmbus_data_class, vsc_vmbus_rx_too_big,
	TP_PROTO(u32 relid, u64 arg), TP_ARGS(relid, arg));

#endif /* _VSC_VMBUS_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
