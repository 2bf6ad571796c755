#include "common.h"
struct node_data { long key; long data; };
SEC("tc")
int tc_obj_uaf(struct __sk_buff *skb)
{
	struct node_data *n = bpf_obj_new(struct node_data);
	if (!n)
		return 0;
	n->key = skb->len;
	bpf_obj_drop(n);
	return n->data;           /* use after bpf_obj_drop */
}
