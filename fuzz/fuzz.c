/*
 * fuzz.c -- the libFuzzer driver: one binary per target (build/fuzz/fuzz-NAME, compiled with
 * -DFZ_TARGET='"NAME"'), each calling the target body from fuzz/targets.c.  `make fuzz` runs
 * every target for a bounded time over its corpus in fuzz/corpus/NAME/.
 */
#include "fuzz/targets.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct fz_target *
fz_find(const char *name)
{
	for (size_t i = 0; i < G_N_ELEMENTS(fz_targets); i++)
		if (strcmp(fz_targets[i].name, name) == 0)
			return &fz_targets[i];
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fz_target *t;
	if (!t && !(t = fz_find(FZ_TARGET)))
		abort();
	return t->fn(data, size);
}
