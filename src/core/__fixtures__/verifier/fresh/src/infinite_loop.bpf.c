#include "common.h"
SEC("socket")
int sock_spin(void *ctx)
{
	asm volatile("r0 = 0\n"
		     "l0_%=: if r0 == 0 goto l0_%=\n"
		     ::: "r0");
	return 0;
}
