/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel differences, in one place. Force-included into every file of the
 * suite. The HAVE_* macros come from the probes in compat/Kbuild.include;
 * version numbers appear only at the two ends of the supported range.
 */
#ifndef _VSC_COMPAT_H
#define _VSC_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "the VSC suite supports Linux 6.1 and later"
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 0, 0)
#error "the VSC suite has not been ported to Linux 7.0 yet"
#endif

/* bus_type callbacks: constness of the device and driver arguments. */
#ifdef HAVE_BUS_UEVENT_CONST_DEV
#define vsc_uevent_dev_t const struct device
#else
#define vsc_uevent_dev_t struct device
#endif

#ifdef HAVE_BUS_MATCH_CONST_DRV
#define vsc_match_drv_t const struct device_driver
#else
#define vsc_match_drv_t struct device_driver
#endif

/* A bus_type can live in read-only memory once bus_register() takes const. */
#ifdef HAVE_CONST_BUS_TYPE
#define vsc_bus_type_t const struct bus_type
#else
#define vsc_bus_type_t struct bus_type
#endif

/* The void-returning platform_driver remove callback's field. */
#ifdef HAVE_PLATFORM_REMOVE_VOID
#define vsc_platform_remove remove
#else
#define vsc_platform_remove remove_new
#endif

#endif /* _VSC_COMPAT_H */
