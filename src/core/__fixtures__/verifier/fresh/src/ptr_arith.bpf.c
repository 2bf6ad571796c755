#include "common.h"
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 4); __type(key, __u32); __type(value, __u64); } arr SEC(".maps");
SEC("socket")
int sock_or_null_arith(void *ctx)
{
	asm volatile(
		"r1 = 0\n"
		"*(u32 *)(r10 - 4) = r1\n"
		"r2 = r10\n"
		"r2 += -4\n"
		"r1 = %[arr] ll\n"
		"call 1\n"
		"r0 += 8\n"              /* arithmetic before the NULL check */
		"if r0 == 0 goto l0_%=\n"
		"r1 = *(u64 *)(r0 + 0)\n"
		"l0_%=: r0 = 0\n"
		:: [arr] "i"(&arr) : "r0","r1","r2","r3","r4","r5");
	return 0;
}
