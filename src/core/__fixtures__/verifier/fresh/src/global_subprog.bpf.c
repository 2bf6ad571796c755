#include "common.h"
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 4); __type(key, __u32); __type(value, __u64); } stats SEC(".maps");
__noinline int bump(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &idx);
	*v += 1;                 /* global subprog: no NULL check */
	return 0;
}
SEC("tc")
int tc_global_call(struct __sk_buff *skb)
{
	bump(skb->protocol & 3);
	return 0;
}
