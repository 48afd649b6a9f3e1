/*
 * env.c -- the root log category and the models' error domain (env.h).  The environment
 * itself is plain data that sim/ fills.
 */
#include <xbt/log.h>

#include "models/env.h"

XBT_LOG_NEW_CATEGORY(vnodesim, "vnodesim: storage stack simulator");

GQuark
env_error_quark(void)
{
	return g_quark_from_static_string("vnodesim-models-error");
}
