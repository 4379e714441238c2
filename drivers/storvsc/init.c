// SPDX-License-Identifier: GPL-2.0
/*
 * The VSTOR init sequence as a state machine (init.h). Each answer goes
 * through vsc_stor_init_reply() and, for the properties, through
 * vsc_stor_props_parse(), so nothing the host says is used unchecked.
 */
#include "init.h"

static const char * const vsc_stor_init_names[] = {
	[VSC_STOR_INIT_BEGIN] = "begin initialization",
	[VSC_STOR_INIT_VERSION] = "protocol version",
	[VSC_STOR_INIT_PROPERTIES] = "query properties",
	[VSC_STOR_INIT_END] = "end initialization",
	[VSC_STOR_INIT_DONE] = "done",
	[VSC_STOR_INIT_FAILED] = "failed",
};

void vsc_stor_init_start(struct vsc_stor_init *s, struct vsc_vstor_packet *out)
{
	memset(s, 0, sizeof(*s));
	s->state = VSC_STOR_INIT_BEGIN;
	vsc_stor_build(out, VSC_VSTOR_OP_BEGIN_INITIALIZATION);
}

/* Fails in the current step: vsc_stor_init_step() keeps naming it. */
static int vsc_stor_init_fail(struct vsc_stor_init *s, int err)
{
	s->failed = s->state;
	s->state = VSC_STOR_INIT_FAILED;
	return err;
}

int vsc_stor_init_next(struct vsc_stor_init *s, const void *buf, u32 len,
		       struct vsc_vstor_packet *out)
{
	struct vsc_vstor_packet p;
	int ret;

	if (s->state >= VSC_STOR_INIT_DONE)
		return -EINVAL;
	ret = vsc_stor_init_reply(buf, len, &p, &s->status);
	switch (s->state) {
	case VSC_STOR_INIT_BEGIN:
		if (ret)
			return vsc_stor_init_fail(s, ret);
		s->state = VSC_STOR_INIT_VERSION;
		vsc_stor_build_version(out, vsc_stor_versions[0]);
		return 1;
	case VSC_STOR_INIT_VERSION:
		/* Refused: offer the next version, if there is one. */
		if (ret == -EPROTONOSUPPORT &&
		    s->vi + 1 < VSC_STOR_NR_VERSIONS) {
			s->vi++;
			vsc_stor_build_version(out, vsc_stor_versions[s->vi]);
			return 1;
		}
		if (ret)
			return vsc_stor_init_fail(s, ret);
		s->version = vsc_stor_versions[s->vi];
		s->state = VSC_STOR_INIT_PROPERTIES;
		vsc_stor_build(out, VSC_VSTOR_OP_QUERY_PROPERTIES);
		return 1;
	case VSC_STOR_INIT_PROPERTIES:
		if (!ret)
			ret = vsc_stor_props_parse(&p, &s->props);
		if (ret)
			return vsc_stor_init_fail(s, ret);
		s->state = VSC_STOR_INIT_END;
		vsc_stor_build(out, VSC_VSTOR_OP_END_INITIALIZATION);
		return 1;
	default:
		if (ret)
			return vsc_stor_init_fail(s, ret);
		s->state = VSC_STOR_INIT_DONE;
		return 0;
	}
}

const char *vsc_stor_init_step(const struct vsc_stor_init *s)
{
	if (s->state == VSC_STOR_INIT_FAILED)
		return vsc_stor_init_names[s->failed];
	return vsc_stor_init_names[s->state];
}
