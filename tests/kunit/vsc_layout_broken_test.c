// SPDX-License-Identifier: GPL-2.0
/* The layout suite with one deliberately wrong offset: it must fail. */
#define VSC_LAYOUT_BREAK
#include "vsc_layout_test.c"
