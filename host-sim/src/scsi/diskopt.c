// SPDX-License-Identifier: GPL-2.0
/* The --disk option and opening a disk (diskopt.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diskopt.h"

static int vsp_spec_err(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int vsp_spec_err(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A number from @v in [lo, hi]; false if it is not one. */
static bool vsp_spec_num(const char *v, long lo, long hi, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(v, &end, 10);
	return !errno && end != v && !*end && *out >= lo && *out <= hi;
}

static int vsp_spec_opt(struct vsp_disk_spec *s, char *o, char *err,
			size_t errlen)
{
	char *v = strchr(o, '=');
	long n;

	if (v)
		*v++ = 0;
	if (!strcmp(o, "ro") && !v) {
		s->read_only = true;
	} else if (!strcmp(o, "direct") && !v) {
		s->direct = true;
	} else if ((!strcmp(o, "bs") || !strcmp(o, "pbs")) && v) {
		if (!vsp_spec_num(v, 512, 4096, &n) || (n != 512 && n != 4096))
			return vsp_spec_err(err, errlen, "%s=%s: 512 or 4096", o, v);
		*(o[0] == 'b' ? &s->lbs : &s->pbs) = (uint32_t)n;
	} else if (!strcmp(o, "serial") && v) {
		size_t len = strlen(v);

		if (!len || len > VSP_SERIAL_MAX)
			return vsp_spec_err(err, errlen, "serial: 1 to %d characters",
					    VSP_SERIAL_MAX);
		for (size_t i = 0; i < len; i++)
			if (v[i] < 0x21 || v[i] > 0x7e)
				return vsp_spec_err(err, errlen,
						    "serial: printable, no spaces");
		memcpy(s->serial, v, len + 1);
	} else if (!strcmp(o, "target") && v) {
		if (!vsp_spec_num(v, 0, 1, &n))
			return vsp_spec_err(err, errlen, "target=%s: 0 or 1", v);
		s->target = (int)n;
	} else if (!strcmp(o, "lun") && v) {
		if (!vsp_spec_num(v, 0, 254, &n))
			return vsp_spec_err(err, errlen, "lun=%s: 0 to 254", v);
		s->lun = (int)n;
	} else {
		return vsp_spec_err(err, errlen, "unknown option \"%s\"", o);
	}
	return 0;
}

int vsp_disk_spec_parse(const char *arg, struct vsp_disk_spec *s, char *err,
			size_t errlen)
{
	char opt[64];
	size_t n = 0;

	memset(s, 0, sizeof(*s));
	s->lbs = 512;
	s->target = s->lun = -1;
	/* The path, up to a single comma; ",," is a comma of the path. */
	for (; *arg && !(arg[0] == ',' && arg[1] != ','); arg++) {
		if (arg[0] == ',')
			arg++;
		if (n + 1 >= sizeof(s->path))
			return vsp_spec_err(err, errlen, "path too long");
		s->path[n++] = *arg;
	}
	if (!n)
		return vsp_spec_err(err, errlen, "no path");
	while (*arg == ',') {
		const char *end = strchr(++arg, ',');
		size_t len = end ? (size_t)(end - arg) : strlen(arg);
		int ret;

		if (len >= sizeof(opt))
			return vsp_spec_err(err, errlen, "option too long");
		memcpy(opt, arg, len);
		opt[len] = 0;
		ret = vsp_spec_opt(s, opt, err, errlen);
		if (ret)
			return ret;
		arg += len;
	}
	if (!s->pbs)
		s->pbs = s->lbs;
	if (s->pbs < s->lbs)
		return vsp_spec_err(err, errlen, "pbs below bs");
	return 0;
}

int vsp_disk_open(const struct vsp_disk_spec *s, uint32_t max_xfer,
		  struct vsp_file *f, struct vsp_disk *d)
{
	struct vsp_disk_cfg cfg = {
		.lbs = s->lbs, .pbs = s->pbs, .read_only = s->read_only,
		.max_xfer = max_xfer,
	};
	int ret;

	memcpy(cfg.serial, s->serial, sizeof(cfg.serial));
	if (!cfg.serial[0]) {
		ret = vsp_file_serial(s->path, cfg.serial);
		if (ret)
			return ret;
	}
	ret = vsp_file_open(f, s->path, s->read_only, s->direct);
	if (ret)
		return ret;
	cfg.can_unmap = f->can_punch;
	cfg.lbprz = f->can_punch;
	ret = vsp_disk_init(d, &cfg, f, f->size);
	if (ret)
		vsp_file_close(f);
	return ret;
}
