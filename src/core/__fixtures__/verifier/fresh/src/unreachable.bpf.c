#include "common.h"
SEC("socket")
int sock_dead_code(void *ctx)
{
	asm volatile("r0 = 0\n"
		     "exit\n"
		     "r0 = 1\n" ::: "r0");
	return 0;
}
