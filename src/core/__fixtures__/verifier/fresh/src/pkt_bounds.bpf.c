#include "common.h"
SEC("xdp")
int xdp_parse_eth(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > end)
		return XDP_DROP;
	struct iphdr *ip = (void *)(eth + 1);
	/* forgot to check ip + 1 against end */
	if (ip->protocol == 17)
		return XDP_DROP;
	return XDP_PASS;
}
