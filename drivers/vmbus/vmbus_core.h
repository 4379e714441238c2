/* SPDX-License-Identifier: GPL-2.0 */
/* Private declarations shared by the files of vsc_vmbus.ko. */
#ifndef _VSC_VMBUS_CORE_H
#define _VSC_VMBUS_CORE_H

#include "vsc_vmbus.h"

extern vsc_bus_type_t vsc_vmbus_bus;

#endif /* _VSC_VMBUS_CORE_H */
