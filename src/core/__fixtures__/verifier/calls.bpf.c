#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static __attribute__((noinline)) int add_len(struct xdp_md *ctx, int k)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	if (data + 4 > end)
		return k;
	return k + *(unsigned char *)data;
}

__attribute__((noinline)) int global_check(int x)
{
	return x * 2;
}

SEC("xdp")
int xdp_calls(struct xdp_md *ctx)
{
	int k = add_len(ctx, 3);
	return global_check(k) > 100 ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int xdp_calls_bad(struct xdp_md *ctx)
{
	long k = add_len(ctx, 3);
	return *(unsigned char *)k;   /* a scalar used as a pointer */
}
char LICENSE[] SEC("license") = "GPL";
