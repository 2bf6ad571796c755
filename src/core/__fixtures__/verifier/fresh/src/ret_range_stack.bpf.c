#include "common.h"
SEC("cgroup_skb/ingress")
int cg_ingress_comm(struct __sk_buff *skb)
{
	char comm[16];
	bpf_get_current_comm(comm, sizeof(comm));
	return comm[0];              /* must return 0 or 1 */
}
