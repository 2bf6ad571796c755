#include "common.h"
SEC("xdp")
int xdp_rewrite_ctx(struct xdp_md *ctx)
{
	ctx->rx_queue_index = 0;     /* xdp_md is read-only here */
	return XDP_PASS;
}
