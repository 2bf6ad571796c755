#include "common.h"
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u32[8]); } slots SEC(".maps");
SEC("tc")
int tc_iter_fill(struct __sk_buff *skb)
{
	__u32 k = 0, *s = bpf_map_lookup_elem(&slots, &k);
	int i;
	if (!s)
		return 0;
	bpf_for(i, 0, 9)          /* one past the end of the 8-slot array */
		s[i] = i;
	return 0;
}
