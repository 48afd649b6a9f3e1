/* platform.h -- build the simulated machine (platform.cpp): one host, CORES cores of SPEED
 * flop/s; returns the sg_host_t.  Once per process, after simgrid_init. */
#ifndef VN_PLATFORM_H
#define VN_PLATFORM_H
#ifdef __cplusplus
extern "C" {
#endif
void *vn_platform_create(int cores, double speed);
#ifdef __cplusplus
}
#endif
#endif
