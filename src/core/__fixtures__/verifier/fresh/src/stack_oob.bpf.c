#include "common.h"
SEC("tc")
int tc_stack_index(struct __sk_buff *skb)
{
	volatile char buf[16] = {};
	__u32 i = skb->len;          /* unbounded index into the stack */
	buf[i & 0xff] = 1;
	return buf[0];
}
