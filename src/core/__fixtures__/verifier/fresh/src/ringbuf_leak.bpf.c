#include "common.h"
struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 4096); } events SEC(".maps");
struct event { __u32 pid; char comm[16]; };
SEC("tracepoint/syscalls/sys_enter_openat")
int tp_openat(void *ctx)
{
	struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	if (bpf_get_current_comm(e->comm, sizeof(e->comm)) < 0)
		return 0;             /* leaks the reservation */
	bpf_ringbuf_submit(e, 0);
	return 0;
}
