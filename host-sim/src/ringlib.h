/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's ring code (drivers/vmbus/ring.c, ring_pkt.c), compiled into
 * vsp-sim as it is: one implementation on both sides. ringlib.c builds it.
 */
#ifndef VSP_RINGLIB_H
#define VSP_RINGLIB_H

#include "vmbus/ring.h"

#endif /* VSP_RINGLIB_H */
