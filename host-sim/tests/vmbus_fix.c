// SPDX-License-Identifier: GPL-2.0
/* The fixture of the VMBus server tests (vmbus_fix.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include "log.h"
#include "vmbus_fix.h"

struct fix *fix_alloc(bool strict, bool requests, const struct vsp_echo_cfg *cfg)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct vsp_ram ram = { .layout = { RAM_SIZE, 2048ULL << 20 } };

	assert_non_null(f);
	vsp_log_quiet(true);
	f->env.ram_fd = memfd_create("ram", MFD_CLOEXEC);
	f->env.req_fd = requests ? eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK) : -1;
	assert_true(!requests || f->env.req_fd >= 0);
	assert_int_equal(ftruncate(f->env.ram_fd, RAM_SIZE), 0);
	f->ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		      f->env.ram_fd, 0);
	assert_true(f->ram != MAP_FAILED);
	f->bar2 = aligned_alloc(4096, VSC_SIM_BAR2_SIZE);
	f->h = calloc(1, sizeof(*f->h));
	f->vm = calloc(1, sizeof(*f->vm));
	ram.base = f->ram;
	assert_int_equal(vsp_host_init(f->h, f->bar2, &ram, NR_VPS, strict,
				       NULL, NULL), 0);
	vsp_vmbus_init(f->vm, f->h, &vsp_chan_ops, &f->env);
	if (cfg)
		memcpy(vsp_dev_cfg(f->vm, VSP_CLASS_ECHO), cfg, sizeof(*cfg));
	f->h->vmbus = f->vm;
	return f;
}

void fix_ready(struct fix *f)
{
	vg_init(&f->g, f->bar2, f->ram, RAM_SIZE, NR_VPS, NULL, NULL);
	vg_register_all(&f->g, PAGES);
	vg_ready(&f->g, 1);
	vsp_host_doorbell(f->h);
}

void fix_free(struct fix *f)
{
	vsp_vmbus_destroy(f->vm);
	munmap(f->ram, RAM_SIZE);
	close(f->env.ram_fd);
	if (f->env.req_fd >= 0)
		close(f->env.req_fd);
	free(f->bar2);
	free(f->h);
	free(f->vm);
	free(f);
}
