#include "common.h"
struct ctxv { __u64 sum; };
static int cb(__u32 i, struct ctxv *c)
{
	c->sum += i;
	return 5;                /* callbacks must return 0 or 1 */
}
SEC("tc")
int tc_bpf_loop(struct __sk_buff *skb)
{
	struct ctxv c = {};
	bpf_loop(16, cb, &c, 0);
	return c.sum & 1;
}
