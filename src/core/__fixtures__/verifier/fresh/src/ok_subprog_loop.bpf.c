#include "common.h"
struct ctxv { __u64 sum; };
static int cb(__u32 i, struct ctxv *c)
{
	c->sum += i;
	return 0;
}
static __noinline int mix(__u64 x, int n)
{
	return (x * 2654435761u) >> (n & 31);
}
__noinline int gsum(__u32 v)
{
	return v * 3;
}
SEC("tc")
int tc_ok_calls(struct __sk_buff *skb)
{
	struct ctxv c = {};
	bpf_loop(8, cb, &c, 0);
	return (mix(c.sum, skb->len) + gsum(skb->mark)) & 1;
}
