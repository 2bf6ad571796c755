#include "common.h"
SEC("socket")
int sock_uninit_reg(void *ctx)
{
	long r;
	asm volatile("%[r] = r3\n" : [r] "=r"(r));   /* r3 was never written */
	return r;
}
