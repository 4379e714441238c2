// SPDX-License-Identifier: GPL-2.0
/*
 * The device classes vsp-sim knows (dev.h), in one table. A class's id is
 * its position: it names the class in `vsp_chan.cls` and in the instance
 * GUIDs of its devices, so entries are only ever added at the end. A new
 * class NAME defines `const struct vsp_dev_class vsp_dev_NAME` in
 * dev/NAME.c (the Makefile builds every file here) and adds X(NAME) below.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dev.h"

#define CLASSES(X)	\
	X(echo)		\
	X(null)		\
	X(storage)

#define DECLARE(name)	extern const struct vsp_dev_class vsp_dev_##name;
#define ENTRY(name)	&vsp_dev_##name,

CLASSES(DECLARE)

/* In the order of the ids dev.h names (VSP_CLASS_ECHO, VSP_CLASS_NULL). */
const struct vsp_dev_class *const vsp_dev_classes[] = {
	CLASSES(ENTRY)
};

const unsigned int vsp_dev_nclasses =
	sizeof(vsp_dev_classes) / sizeof(vsp_dev_classes[0]);

_Static_assert(sizeof(vsp_dev_classes) / sizeof(vsp_dev_classes[0]) <=
	       VSP_DEV_MAX_CLASSES, "raise VSP_DEV_MAX_CLASSES");

int vsp_dev_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < vsp_dev_nclasses; i++)
		if (!strcmp(vsp_dev_classes[i]->name, name))
			return i;
	return -1;
}

const struct vsp_dev_class *vsp_dev_class(unsigned int cls)
{
	return cls < vsp_dev_nclasses ? vsp_dev_classes[cls] : NULL;
}

int vsp_dev_parse_knob(const char *args, const char *word, uint32_t max,
		       uint32_t *v)
{
	size_t n = strlen(word);
	unsigned long x;
	char *end;

	if (strncmp(args, word, n) || args[n] != ' ')
		return -EINVAL;
	args += n + 1;
	if (*args < '0' || *args > '9')
		return -EINVAL;
	errno = 0;
	x = strtoul(args, &end, 10);
	if (errno || *end || x > max)
		return -EINVAL;
	*v = x;
	return 0;
}
