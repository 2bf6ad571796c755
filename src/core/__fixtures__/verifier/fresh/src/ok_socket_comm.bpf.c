#include "common.h"
SEC("socket")
int sock_trace(struct __sk_buff *skb)
{
	char comm[16];
	bpf_get_current_comm(comm, sizeof(comm));
	return comm[0];
}
