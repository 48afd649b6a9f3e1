/*
 * platform.cpp -- the one piece of C++: SimGrid's C API cannot build a platform, so this
 * shim creates the simulated machine in memory (no XML file): one host named "host" with
 * `cores` cores of `speed` flop/s.  Call after simgrid_init, once per process.
 */
#include <simgrid/s4u.hpp>

#include "sim/platform.h"

extern "C" void *
vn_platform_create(int cores, double speed)
{
	auto *zone = simgrid::s4u::create_full_zone("machine");
	auto *host = zone->create_host("host", speed);
	host->set_core_count(cores);
	host->seal();
	zone->seal();
	return host;
}
