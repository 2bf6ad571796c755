#!/usr/bin/python3
# bcc: map lookup result dereferenced without a NULL check (default log level).
from bcc import BPF

prog = r"""
BPF_HASH(counts, u32, u64, 64);

int xdp_null(struct xdp_md *ctx)
{
    u32 key = 3;
    u64 *val = counts.lookup(&key);
    /* missing NULL check */
    *val += 1;
    return XDP_PASS;
}
"""

b = BPF(text=prog)
fn = b.load_func("xdp_null", BPF.XDP)
print("loaded", fn.fd)
