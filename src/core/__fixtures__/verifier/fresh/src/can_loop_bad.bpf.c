#include "common.h"
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u64[4]); } acc SEC(".maps");
SEC("tc")
int tc_can_loop_sum(struct __sk_buff *skb)
{
	__u32 k = 0;
	__u64 *a = bpf_map_lookup_elem(&acc, &k);
	__u64 sum = 0;
	__u32 i = 0;
	if (!a)
		return 0;
	while (can_loop) {
		sum += a[i];          /* i is not bounded by anything but may_goto */
		i++;
	}
	return sum & 1;
}
