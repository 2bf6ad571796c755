// tc classifier that reads past the end of struct __sk_buff (ctx out of bounds).
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int tc_ctx(struct __sk_buff *skb)
{
  if (skb->len < 64)
    return TC_ACT_OK;
  /* offset 400 is beyond sizeof(struct __sk_buff) */
  __u32 v = *(volatile __u32 *)((char *)skb + 400);
  return v ? TC_ACT_SHOT : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
