#include "common.h"
SEC("cgroup_skb/ingress")
int cg_ingress_len(struct __sk_buff *skb)
{
	return skb->len;             /* must return 0 or 1 */
}
