// SPDX-License-Identifier: GPL-2.0
/* Command line of vsp-sim. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vsc/sim.h>

#include "hostile.h"
#include "opts.h"

void vsp_usage(FILE *out)
{
	fprintf(out,
		"usage: vsp-sim --socket PATH --ram FILE --ram-size MiB --ram-below-4g MiB\n"
		"               --vps N [--strict] [--nasty] [--ctl PATH] [--log FILE]\n"
		"               [--stats FILE]\n"
		"               [--echo N] [--echo-delay USEC] [--echo-max BYTES]\n"
		"               [--echo-completion requested|never]\n"
		"               [--echo-reorder N] [--echo-hold USEC]\n"
		"               [--hostile CLASS[,CLASS...]] [--hostile-relid N]\n"
		"               [--bug NAME]... [--disk PATH[,OPTION...]]...\n"
		"       vsp-sim ctl PATH status|channels|quit|offer CLASS [INSTANCE]\n"
		"                        |rescind RELID|class CLASS ARGS|stall RELID MSEC\n"
		"\n"
		"  --socket PATH        ivshmem server socket for QEMU's ivshmem-doorbell\n"
		"  --ram FILE           the guest RAM file (memory-backend-file, share=on)\n"
		"  --ram-size SIZE      guest RAM, MiB (or with suffix M or G)\n"
		"  --ram-below-4g SIZE  the max-ram-below-4g given to QEMU, MiB (or M/G)\n"
		"  --vps N              vCPUs = MSI-X vectors, 1..%d\n"
		"  --strict             guest rule violations fail the run (exit 3)\n"
		"  --nasty              legal but nasty: interrupts late, coalesced and\n"
		"                       spurious; the mailbox taken slowly\n"
		"  --stats FILE         write the status (as ctl status) to FILE at exit\n"
		"  --ctl PATH           serve the control socket at PATH\n"
		"  --log FILE           log to FILE instead of stderr\n"
		"  --echo N             offer N echo devices (0..%d, default 0)\n"
		"  --echo-delay USEC    echo devices answer each packet USEC late\n"
		"  --echo-max BYTES     echo payloads above BYTES are refused: the answer\n"
		"                       (completion or in-band) comes with no payload\n"
		"  --echo-completion M  requested: a completion when the guest asks for\n"
		"                       one, else in-band (default); never: always in-band\n"
		"  --echo-reorder N     echo answers go out in batches of N, each reversed\n"
		"                       (a batch short of N goes after 1 ms); 0..1024\n"
		"  --echo-hold USEC     echo answers are held USEC while the worker reads on\n"
		"  --hostile LIST       lie to the guest on purpose: msg-short, msg-type,\n"
		"                       msg-relid, gpadl-unasked, open-unasked,\n"
		"                       version-unasked, offer-storm (or ctl: all those);\n"
		"                       ring-len, ring-offset, ring-windex, ring-walign,\n"
		"                       ring-type, ring-tid, ring-rindex (or ring); all\n"
		"  --hostile-relid N    the channel whose rings lie (default 1), one\n"
		"                       ring class per open of it, in that order\n"
		"  --disk SPEC          a disk on the synthetic SCSI controller (offered\n"
		"                       when there is one): PATH[,ro][,direct][,bs=512|4096]\n"
		"                       [,pbs=512|4096][,serial=TEXT][,target=T][,lun=L];\n"
		"                       at most 16\n"
		"  --bug NAME           a deliberate host bug, for testing the tests:\n"
		"                       drop-eom, skip-signal, corrupt-echo,\n"
		"                       no-unload-response, lose-offer, no-send-wakeup,\n"
		"                       wrong-residual\n"
		"                       (repeatable)\n",
		VSC_SIM_MAX_VPS, VSP_OPT_MAX_ECHO);
}

int vsp_parse_mib(const char *s, uint64_t *mib)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -EINVAL;
	if (!strcmp(end, "G") || !strcmp(end, "g")) {
		if (v > (1ULL << 20))
			return -ERANGE;
		v <<= 10;
	} else if (*end && strcmp(end, "M") && strcmp(end, "m")) {
		return -EINVAL;
	}
	if (v > (1ULL << 30))		/* 1 PiB: surely a typo */
		return -ERANGE;
	*mib = v;
	return 0;
}

uint64_t vsp_q35_low_max_mib(uint64_t ram_mib)
{
	/* q35 keeps at most 2816 MiB low, only 2 GiB once RAM reaches that. */
	return ram_mib >= 2816 ? 2048 : 2816;
}

enum { O_SOCKET = 256, O_RAM, O_RAM_SIZE, O_BELOW, O_VPS, O_STRICT, O_CTL,
	O_LOG, O_HELP, O_ECHO, O_ECHO_DELAY, O_ECHO_MAX, O_ECHO_COMP, O_NASTY,
	O_STATS, O_HOSTILE, O_HOSTILE_RELID, O_BUG, O_ECHO_REORDER,
	O_ECHO_HOLD, O_DISK };

static const struct option longopts[] = {
	{ "socket", required_argument, NULL, O_SOCKET },
	{ "ram", required_argument, NULL, O_RAM },
	{ "ram-size", required_argument, NULL, O_RAM_SIZE },
	{ "ram-below-4g", required_argument, NULL, O_BELOW },
	{ "vps", required_argument, NULL, O_VPS },
	{ "strict", no_argument, NULL, O_STRICT },
	{ "nasty", no_argument, NULL, O_NASTY },
	{ "stats", required_argument, NULL, O_STATS },
	{ "ctl", required_argument, NULL, O_CTL },
	{ "log", required_argument, NULL, O_LOG },
	{ "help", no_argument, NULL, O_HELP },
	{ "echo", required_argument, NULL, O_ECHO },
	{ "echo-delay", required_argument, NULL, O_ECHO_DELAY },
	{ "echo-max", required_argument, NULL, O_ECHO_MAX },
	{ "echo-completion", required_argument, NULL, O_ECHO_COMP },
	{ "echo-reorder", required_argument, NULL, O_ECHO_REORDER },
	{ "echo-hold", required_argument, NULL, O_ECHO_HOLD },
	{ "hostile", required_argument, NULL, O_HOSTILE },
	{ "hostile-relid", required_argument, NULL, O_HOSTILE_RELID },
	{ "bug", required_argument, NULL, O_BUG },
	{ "disk", required_argument, NULL, O_DISK },
	{ NULL, 0, NULL, 0 },
};

/* A decimal number in [lo, hi]; 0 or -EINVAL. */
static int parse_u32(const char *s, unsigned long lo, unsigned long hi,
		     uint32_t *v)
{
	unsigned long n;
	char *end;

	if (!s || !*s || *s == '-')
		return -EINVAL;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || *end || n < lo || n > hi)
		return -EINVAL;
	*v = n;
	return 0;
}

/* "a,b,c" against a name table, the bits ORed into *bits; 0 or -EINVAL. */
static int parse_names(const struct vsp_name_bit *t, unsigned int n,
		       const char *list, uint32_t *bits)
{
	const char *p = list, *end;
	unsigned int i;
	size_t len;

	if (!*p)
		return -EINVAL;
	for (;;) {
		end = strchr(p, ',');
		len = end ? (size_t)(end - p) : strlen(p);
		for (i = 0; i < n; i++)
			if (strlen(t[i].name) == len &&
			    !strncmp(t[i].name, p, len))
				break;
		if (i == n)
			return -EINVAL;
		*bits |= t[i].bit;
		if (!end)
			return 0;
		p = end + 1;
	}
}

#define N(t) (sizeof(t) / sizeof((t)[0]))

static int bad(const char *fmt, const char *arg)
{
	fprintf(stderr, "vsp-sim: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	vsp_usage(stderr);
	return -1;
}

int vsp_opts_parse(int argc, char **argv, struct vsp_opts *o)
{
	bool have_size = false, have_below = false;
	unsigned long v;
	char *end;
	int c;

	memset(o, 0, sizeof(*o));
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case O_SOCKET:
			o->socket = optarg;
			break;
		case O_RAM:
			o->ram = optarg;
			break;
		case O_RAM_SIZE:
			if (vsp_parse_mib(optarg, &o->ram_mib) || !o->ram_mib)
				return bad("bad --ram-size '%s' (MiB, or with suffix M or G)",
					   optarg);
			have_size = true;
			break;
		case O_BELOW:
			if (vsp_parse_mib(optarg, &o->below4g_mib))
				return bad("bad --ram-below-4g '%s' (MiB, or with suffix M or G)",
					   optarg);
			have_below = true;
			break;
		case O_VPS:
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno || *end || end == optarg || v < 1 ||
			    v > VSC_SIM_MAX_VPS)
				return bad("bad --vps '%s' (1..64)", optarg);
			o->vps = v;
			break;
		case O_STRICT:
			o->strict = true;
			break;
		case O_NASTY:
			o->nasty = true;
			break;
		case O_STATS:
			o->stats = optarg;
			break;
		case O_CTL:
			o->ctl = optarg;
			break;
		case O_LOG:
			o->log = optarg;
			break;
		case O_HELP:
			vsp_usage(stdout);
			return 1;
		case O_ECHO:
			if (parse_u32(optarg, 0, VSP_OPT_MAX_ECHO, &o->echo))
				return bad("bad --echo '%s' (0..32)", optarg);
			break;
		case O_ECHO_DELAY:
			if (parse_u32(optarg, 0, 10000000, &o->echo_delay_us))
				return bad("bad --echo-delay '%s' (microseconds, at most 10 s)",
					   optarg);
			break;
		case O_ECHO_MAX:
			if (parse_u32(optarg, 1, 0x7fffffff, &o->echo_max))
				return bad("bad --echo-max '%s' (bytes)", optarg);
			break;
		case O_ECHO_COMP:
			if (!strcmp(optarg, "requested"))
				o->echo_never_complete = false;
			else if (!strcmp(optarg, "never"))
				o->echo_never_complete = true;
			else
				return bad("bad --echo-completion '%s' (requested, never)",
					   optarg);
			break;
		case O_ECHO_REORDER:
			if (parse_u32(optarg, 0, 1024, &o->echo_reorder))
				return bad("bad --echo-reorder '%s' (0..1024)",
					   optarg);
			break;
		case O_ECHO_HOLD:
			if (parse_u32(optarg, 0, 10000000, &o->echo_hold_us))
				return bad("bad --echo-hold '%s' (microseconds, at most 10 s)",
					   optarg);
			break;
		case O_HOSTILE:
			if (parse_names(vsp_hostile_names, N(vsp_hostile_names),
					optarg, &o->hostile))
				return bad("bad --hostile '%s' (see --help)",
					   optarg);
			break;
		case O_HOSTILE_RELID:
			if (parse_u32(optarg, 1, 64, &o->hostile_relid))
				return bad("bad --hostile-relid '%s' (1..64)",
					   optarg);
			break;
		case O_DISK:
			if (o->ndisks == N(o->disk))
				return bad("more than 16 --disk (%s)", optarg);
			o->disk[o->ndisks++] = optarg;
			break;
		case O_BUG:
			if (parse_names(vsp_bug_names, N(vsp_bug_names), optarg,
					&o->bugs))
				return bad("unknown --bug '%s' (see --help)",
					   optarg);
			break;
		default:
			return bad("unknown or incomplete option '%s'",
				   argv[optind - 1]);
		}
	}
	if (optind < argc)
		return bad("unexpected argument '%s'", argv[optind]);
	if (!o->hostile_relid)
		o->hostile_relid = 1;
	if (!o->socket)
		return bad("%s", "--socket is required");
	if (!o->ram)
		return bad("%s", "--ram is required");
	if (!have_size)
		return bad("%s", "--ram-size is required");
	if (!have_below)
		return bad("%s", "--ram-below-4g is required");
	if (!o->vps)
		return bad("%s", "--vps is required");
	if (o->below4g_mib > 4096)
		return bad("%s", "--ram-below-4g is more than 4G");
	if (o->below4g_mib < 1 && o->ram_mib)
		return bad("%s", "--ram-below-4g must be at least 1 MiB");
	if (o->below4g_mib < o->ram_mib &&
	    o->below4g_mib > vsp_q35_low_max_mib(o->ram_mib)) {
		char msg[160];

		snprintf(msg, sizeof(msg),
			 "--ram-below-4g %llu MiB: q35 places at most %llu MiB of %llu MiB below 4G; pass at most that",
			 (unsigned long long)o->below4g_mib,
			 (unsigned long long)vsp_q35_low_max_mib(o->ram_mib),
			 (unsigned long long)o->ram_mib);
		return bad("%s", msg);
	}
	return 0;
}
