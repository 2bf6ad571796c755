#include "common.h"
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 16); __type(key, __u32); __type(value, __u64); } hits SEC(".maps");
SEC("xdp")
int xdp_first_ok(struct xdp_md *ctx)
{
	return XDP_PASS;
}
SEC("tc")
int tc_second_ok(struct __sk_buff *skb)
{
	__u32 k = skb->mark;
	__u64 *v = bpf_map_lookup_elem(&hits, &k);
	if (v)
		__sync_fetch_and_add(v, 1);
	return 0;
}
SEC("tc")
int tc_third_bad(struct __sk_buff *skb)
{
	__u32 k = skb->mark;
	__u64 *v = bpf_map_lookup_elem(&hits, &k);
	return *v & 1;
}
SEC("xdp")
int xdp_fourth_ok(struct xdp_md *ctx)
{
	return XDP_DROP;
}
