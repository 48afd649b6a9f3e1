/*
 * progress_sg.cpp -- connects progress_tick to SimGrid's time-advance signal (C++ only in
 * SimGrid 3.32); connected once, and only when a progress line is drawn (progress.c).
 */
#include <simgrid/s4u/Engine.hpp>

extern "C" void progress_tick(double now);
extern "C" void progress_connect(void);

void
progress_connect(void)
{
	static bool connected = false;
	if (connected)
		return;
	connected = true;
	simgrid::s4u::Engine::on_time_advance_cb(
	    [](double) { progress_tick(simgrid::s4u::Engine::get_clock()); });
}
