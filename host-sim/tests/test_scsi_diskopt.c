// SPDX-License-Identifier: GPL-2.0
/* The --disk option (src/scsi/diskopt.c) and opening a disk with it. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "scsi/diskopt.h"

static char err[128];

static void test_defaults(void **state)
{
	struct vsp_disk_spec s;

	(void)state;
	assert_int_equal(vsp_disk_spec_parse("/tmp/a.img", &s, err, sizeof(err)), 0);
	assert_string_equal(s.path, "/tmp/a.img");
	assert_false(s.read_only);
	assert_false(s.direct);
	assert_int_equal(s.lbs, 512);
	assert_int_equal(s.pbs, 512);
	assert_string_equal(s.serial, "");
	assert_int_equal(s.target, -1);
	assert_int_equal(s.lun, -1);
}

static void test_options(void **state)
{
	struct vsp_disk_spec s;

	(void)state;
	assert_int_equal(vsp_disk_spec_parse(
		"/dev/x,ro,direct,bs=512,pbs=4096,serial=ABC-1,target=1,lun=7",
		&s, err, sizeof(err)), 0);
	assert_true(s.read_only);
	assert_true(s.direct);
	assert_int_equal(s.lbs, 512);
	assert_int_equal(s.pbs, 4096);
	assert_string_equal(s.serial, "ABC-1");
	assert_int_equal(s.target, 1);
	assert_int_equal(s.lun, 7);
	assert_int_equal(vsp_disk_spec_parse("a,bs=4096", &s, err, sizeof(err)), 0);
	assert_int_equal(s.pbs, 4096);
	/* a comma in the path */
	assert_int_equal(vsp_disk_spec_parse("a,,b,,,ro", &s, err, sizeof(err)), 0);
	assert_string_equal(s.path, "a,b,");
	assert_true(s.read_only);
}

static void test_bad(void **state)
{
	static const char *const bad[] = {
		"", ",ro", "a,", "a,rw", "a,bs=1024", "a,bs=", "a,bs=4096,pbs=512",
		"a,serial=", "a,serial=has space", "a,serial=123456789012345678901",
		"a,target=2", "a,lun=255", "a,lun=-1", "a,lun=1x", "a,ro=1",
		"a,direct=yes",
	};
	struct vsp_disk_spec s;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 0;
		assert_int_equal(vsp_disk_spec_parse(bad[i], &s, err, sizeof(err)),
				 -EINVAL);
		assert_true(strlen(err) > 0);
	}
}

static void test_open(void **state)
{
	char path[] = "/tmp/vsp-diskopt-XXXXXX", arg[64];
	struct vsp_disk_spec s;
	struct vsp_file f;
	struct vsp_disk d, d2;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 1 << 20), 0);
	close(fd);
	snprintf(arg, sizeof(arg), "%s,bs=4096", path);
	assert_int_equal(vsp_disk_spec_parse(arg, &s, err, sizeof(err)), 0);
	assert_int_equal(vsp_disk_open(&s, 65536, &f, &d), 0);
	assert_int_equal(d.blocks, 256);
	assert_true(d.cfg.can_unmap);
	assert_true(d.cfg.lbprz);
	assert_int_equal(strncmp(d.cfg.serial, "VSC", 3), 0);
	vsp_file_close(&f);
	/* the same image: the same identity */
	assert_int_equal(vsp_disk_open(&s, 65536, &f, &d2), 0);
	assert_string_equal(d.cfg.serial, d2.cfg.serial);
	assert_true(d.naa == d2.naa);
	vsp_file_close(&f);
	snprintf(arg, sizeof(arg), "%s,ro,serial=XY", path);
	assert_int_equal(vsp_disk_spec_parse(arg, &s, err, sizeof(err)), 0);
	assert_int_equal(vsp_disk_open(&s, 65536, &f, &d), 0);
	assert_string_equal(d.cfg.serial, "XY");
	assert_false(d.cfg.can_unmap);
	vsp_file_close(&f);
	unlink(path);
	assert_int_equal(vsp_disk_open(&s, 65536, &f, &d), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_open),
	};

	return cmocka_run_group_tests_name("scsi_diskopt", tests, NULL, NULL);
}
