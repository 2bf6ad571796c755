#include "common.h"
struct pair { __u32 a, b; };
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, struct pair); } pairs SEC(".maps");
SEC("kprobe/do_nanosleep")
int kp_map_oob(void *ctx)
{
	__u32 k = 0;
	struct pair *p = bpf_map_lookup_elem(&pairs, &k);
	if (!p)
		return 0;
	return ((__u32 *)p)[2];      /* value is 8 bytes */
}
