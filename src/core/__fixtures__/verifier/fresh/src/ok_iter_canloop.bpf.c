#include "common.h"
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u32[8]); } slots SEC(".maps");
SEC("tc")
int tc_ok_iter(struct __sk_buff *skb)
{
	__u32 k = 0, *s = bpf_map_lookup_elem(&slots, &k);
	int i;
	__u32 j = 0, sum = 0;
	if (!s)
		return 0;
	bpf_for(i, 0, 8)
		s[i] = i;
	while (j < 8 && can_loop) {
		sum += s[j & 7];
		j++;
	}
	return sum & 1;
}
