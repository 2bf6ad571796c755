#include "common.h"
struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u64); } pkts SEC(".maps");
SEC("xdp")
int xdp_count_ok(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 k = 0;
	__u64 *v;
	if ((void *)(eth + 1) > end)
		return XDP_DROP;
	v = bpf_map_lookup_elem(&pkts, &k);
	if (v)
		*v += 1;
	return eth->h_proto == bpf_htons(0x0800) ? XDP_PASS : XDP_DROP;
}
