#include "common.h"
SEC("xdp")
int xdp_hash_payload(struct xdp_md *ctx)
{
	__u32 h = ctx->rx_queue_index;
	__u32 n = ctx->ingress_ifindex;
	for (int i = 0; i < 200000; i++) {
		if (h & 1) h = h * 31 + n; else h ^= i;
	}
	return h & 1 ? XDP_PASS : XDP_DROP;
}
