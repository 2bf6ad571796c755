/* Programs whose logs the use-def tests walk: a stack slot written through
 * r10 and read back after a helper call, a value passed to and returned from
 * a __noinline subprogram (its own frame), r0 from helper calls, and a branch
 * the verifier explores twice (`from X to Y:`). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 64);
  __type(key, __u32);
  __type(value, __u64);
} seen SEC(".maps");

static __noinline int mix(int x, int y)
{
  volatile int scratch = x * 3;   /* a stack slot of the callee's own frame */
  return scratch + y;
}

SEC("xdp")
int xdp_usedef(struct xdp_md *ctx)
{
  volatile __u32 key = ctx->ingress_ifindex;  /* spilled to the stack */
  __u64 t = bpf_ktime_get_ns();               /* a helper call in between */
  __u32 k = key;                              /* read back from the stack */
  __u64 *v = bpf_map_lookup_elem(&seen, (const void *)&key);
  int r = mix(k, (int)t);
  if (v)
    *v += r;
  return r & 1 ? XDP_PASS : XDP_DROP;
}

/* The same, but the map value is read without a NULL check on one branch:
 * rejected, so a level 1 log keeps the whole failing path. */
SEC("xdp")
int xdp_usedef_bad(struct xdp_md *ctx)
{
  volatile __u32 key = ctx->ingress_ifindex;
  __u64 t = bpf_ktime_get_ns();
  __u32 k = key;
  __u64 *v = bpf_map_lookup_elem(&seen, (const void *)&key);
  int r = mix(k, (int)t);
  if (r != 5)
    return XDP_PASS;
  return *v + r;
}

/* A helper writes the stack through its pointer argument (bpf_get_current_comm),
 * then the program reads it back; rejected at the end like xdp_usedef_bad. */
SEC("kprobe/do_sys_openat2")
int kp_comm_bad(void *ctx)
{
  char comm[16];
  bpf_get_current_comm(comm, sizeof(comm));
  __u32 k = comm[0];
  __u64 *v = bpf_map_lookup_elem(&seen, &k);
  return *v;
}

char LICENSE[] SEC("license") = "GPL";
