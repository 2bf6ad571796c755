#include "common.h"
SEC("xdp")
int xdp_mix_forever(struct xdp_md *ctx)
{
	__u32 h = ctx->rx_queue_index;
	__u32 n = ctx->ingress_ifindex;
	for (__u32 i = 0; i < 5000000; i++)
		h = (h * 31 + n) ^ i;
	return h & 1 ? XDP_PASS : XDP_DROP;
}
