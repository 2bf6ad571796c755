#include "common.h"
struct val { struct bpf_spin_lock lock; __u64 cnt; __u64 ts; };
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, struct val); } locked SEC(".maps");
SEC("tc")
int tc_locked_update(struct __sk_buff *skb)
{
	__u32 k = 0;
	struct val *v = bpf_map_lookup_elem(&locked, &k);
	if (!v)
		return 0;
	bpf_spin_lock(&v->lock);
	v->cnt++;
	v->ts = bpf_ktime_get_ns();   /* helper call while holding the lock */
	bpf_spin_unlock(&v->lock);
	return 0;
}
