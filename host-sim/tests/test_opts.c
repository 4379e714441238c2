// SPDX-License-Identifier: GPL-2.0
/* vsp-sim's command line (src/opts.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <cmocka.h>

#include "hostile.h"
#include "opts.h"

#define ARGV(...) ((char *[]){ "vsp-sim", __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ "vsp-sim", __VA_ARGS__ }) / \
			 sizeof(char *)))
#define PARSE(o, ...) parse_quiet(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), o)

/* The parser explains each refusal on stderr; keep the run readable. */
static int parse_quiet(int argc, char **argv, struct vsp_opts *o)
{
	int saved = dup(2), null = open("/dev/null", O_WRONLY), ret;

	fflush(stderr);
	dup2(null, 2);
	ret = vsp_opts_parse(argc, argv, o);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(null);
	return ret;
}

static void test_good(void **state)
{
	struct vsp_opts o;

	(void)state;
	assert_int_equal(PARSE(&o, "--socket", "s", "--ram", "r",
			       "--ram-size", "512", "--ram-below-4g", "2G",
			       "--vps", "2", "--strict", "--ctl", "c",
			       "--log", "l"), 0);
	assert_string_equal(o.socket, "s");
	assert_int_equal(o.ram_mib, 512);
	assert_int_equal(o.below4g_mib, 2048);
	assert_int_equal(o.vps, 2);
	assert_true(o.strict);
	assert_string_equal(o.ctl, "c");
	assert_int_equal(PARSE(&o, "--socket=s", "--ram=r", "--ram-size=4G",
			       "--ram-below-4g=2048M", "--vps=64"), 0);
	assert_int_equal(o.ram_mib, 4096);
	assert_false(o.strict);
	assert_null(o.ctl);
	assert_int_equal(o.echo_reorder, 0);
	assert_int_equal(o.echo_hold_us, 0);
}

static void test_echo_knobs(void **state)
{
	struct vsp_opts o;

	(void)state;
	assert_int_equal(PARSE(&o, "--socket=s", "--ram=r", "--ram-size=64",
			       "--ram-below-4g=64", "--vps=1", "--echo=2",
			       "--echo-reorder=8", "--echo-hold=250000"), 0);
	assert_int_equal(o.echo, 2);
	assert_int_equal(o.echo_reorder, 8);
	assert_int_equal(o.echo_hold_us, 250000);
	assert_int_equal(PARSE(&o, "--socket=s", "--ram=r", "--ram-size=64",
			       "--ram-below-4g=64", "--vps=1",
			       "--echo-reorder=1025"), -1);
	assert_int_equal(PARSE(&o, "--socket=s", "--ram=r", "--ram-size=64",
			       "--ram-below-4g=64", "--vps=1",
			       "--echo-reorder=-1"), -1);
	assert_int_equal(PARSE(&o, "--socket=s", "--ram=r", "--ram-size=64",
			       "--ram-below-4g=64", "--vps=1",
			       "--echo-hold=10000001"), -1);
	assert_int_equal(PARSE(&o, "--socket=s", "--ram=r", "--ram-size=64",
			       "--ram-below-4g=64", "--vps=1",
			       "--echo-hold=1ms"), -1);
}

static void test_bad(void **state)
{
	struct vsp_opts o;

	(void)state;
	/* Missing options. */
	assert_int_equal(PARSE(&o, "--ram", "r", "--ram-size", "512",
			       "--ram-below-4g", "2G", "--vps", "2"), -1);
	assert_int_equal(PARSE(&o, "--socket", "s", "--ram", "r",
			       "--ram-size", "512", "--ram-below-4g", "2G"),
			 -1);
	/* Bad values. */
	assert_int_equal(PARSE(&o, "--socket", "s", "--ram", "r",
			       "--ram-size", "512", "--ram-below-4g", "2G",
			       "--vps", "65"), -1);
	assert_int_equal(PARSE(&o, "--socket", "s", "--ram", "r",
			       "--ram-size", "12x", "--ram-below-4g", "2G",
			       "--vps", "1"), -1);
	assert_int_equal(PARSE(&o, "--socket", "s", "--ram", "r",
			       "--ram-size", "-5", "--ram-below-4g", "2G",
			       "--vps", "1"), -1);
	assert_int_equal(PARSE(&o, "--socket", "s", "--ram", "r",
			       "--ram-size", "512", "--ram-below-4g", "5G",
			       "--vps", "1"), -1);
	/* A split q35 would not honour. */
	assert_int_equal(PARSE(&o, "--socket", "s", "--ram", "r",
			       "--ram-size", "4G", "--ram-below-4g", "3G",
			       "--vps", "1"), -1);
	/* Unknown option and stray argument. */
	assert_int_equal(PARSE(&o, "--socket", "s", "--bogus"), -1);
	assert_int_equal(PARSE(&o, "--socket", "s", "extra"), -1);
}

static void test_q35(void **state)
{
	uint64_t mib;

	(void)state;
	assert_int_equal(vsp_q35_low_max_mib(512), 2816);
	assert_int_equal(vsp_q35_low_max_mib(2815), 2816);
	assert_int_equal(vsp_q35_low_max_mib(2816), 2048);
	assert_int_equal(vsp_parse_mib("3g", &mib), 0);
	assert_int_equal(mib, 3072);
	assert_int_not_equal(vsp_parse_mib("", &mib), 0);
	assert_int_not_equal(vsp_parse_mib("1T", &mib), 0);
	assert_int_not_equal(vsp_parse_mib("99999999999999999999", &mib), 0);
}

static void test_hostile_bugs(void **state)
{
	struct vsp_opts o;

#define BASE "--socket", "s", "--ram", "r", "--ram-size", "512", \
	     "--ram-below-4g", "2G", "--vps", "2"
	(void)state;
	assert_int_equal(PARSE(&o, BASE), 0);
	assert_int_equal(o.hostile, 0);
	assert_int_equal(o.hostile_relid, 1);
	assert_int_equal(o.bugs, 0);
	assert_int_equal(PARSE(&o, BASE, "--hostile=msg-short,ring-tid",
			       "--hostile-relid", "3"), 0);
	assert_int_equal(o.hostile, VSP_H_MSG_SHORT | VSP_H_RING_TID);
	assert_int_equal(o.hostile_relid, 3);
	assert_int_equal(PARSE(&o, BASE, "--hostile", "all"), 0);
	assert_int_equal(o.hostile, VSP_H_ALL);
	assert_int_equal(PARSE(&o, BASE, "--hostile", "ctl,ring"), 0);
	assert_int_equal(o.hostile, VSP_H_ALL);
	assert_int_equal(PARSE(&o, BASE, "--bug", "drop-eom",
			       "--bug=lose-offer"), 0);
	assert_int_equal(o.bugs, VSP_BUG_DROP_EOM | VSP_BUG_LOSE_OFFER);
	assert_int_equal(PARSE(&o, BASE, "--bug=no-send-wakeup"), 0);
	assert_int_equal(o.bugs, VSP_BUG_NO_SEND_WAKEUP);
	assert_int_equal(PARSE(&o, BASE, "--hostile", "ring-"), -1);
	assert_int_equal(PARSE(&o, BASE, "--hostile", "all,"), -1);
	assert_int_equal(PARSE(&o, BASE, "--hostile", ""), -1);
	assert_int_equal(PARSE(&o, BASE, "--hostile", ",all"), -1);
	assert_int_equal(PARSE(&o, BASE, "--hostile-relid", "0"), -1);
	assert_int_equal(PARSE(&o, BASE, "--hostile-relid", "65"), -1);
	assert_int_equal(PARSE(&o, BASE, "--bug", "drop-eomx"), -1);
	assert_int_equal(PARSE(&o, BASE, "--bug", "drop-eom,skip-signal"), 0);
#undef BASE
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_echo_knobs),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_q35),
		cmocka_unit_test(test_hostile_bugs),
	};

	return cmocka_run_group_tests_name("opts", tests, NULL, NULL);
}
