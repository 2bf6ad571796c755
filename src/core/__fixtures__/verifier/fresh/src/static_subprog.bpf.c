#include "common.h"
static __noinline int read_len(struct __sk_buff *skb, __u32 *out, int n)
{
	volatile __u32 arr[4] = {};
	arr[n] = skb->len;       /* n may be 4..7 */
	*out = arr[0];
	return 0;
}
SEC("tc")
int tc_static_call(struct __sk_buff *skb)
{
	__u32 out = 0;
	read_len(skb, &out, skb->mark & 7);
	return out;
}
