#include "common.h"
SEC("socket")
int sock_read_above_fp(void *ctx)
{
	long r;
	asm volatile("r0 = *(u64 *)(r10 + 8)" : "=r"(r));
	return r;
}
