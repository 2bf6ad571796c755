#include "common.h"
SEC("socket")
int sock_store(struct __sk_buff *skb)
{
	__u8 b = 0;
	/* socket filters may not modify the packet */
	bpf_skb_store_bytes(skb, 0, &b, 1, 0);
	return 0;
}
