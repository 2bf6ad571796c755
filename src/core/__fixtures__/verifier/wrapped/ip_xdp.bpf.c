// XDP program that reads packet bytes past data_end without a bounds check.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_nobounds(struct xdp_md *ctx)
{
  unsigned char *data = (unsigned char *)(long)ctx->data;
  /* no comparison against ctx->data_end */
  return data[12] == 0x08 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
