#!/usr/bin/python3
# bcc: map lookup result dereferenced without a NULL check (debug=DEBUG_BPF_REGISTER_STATE -> log_level 2).
from bcc import BPF, DEBUG_BPF_REGISTER_STATE

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

b = BPF(text=prog, debug=DEBUG_BPF_REGISTER_STATE)
fn = b.load_func("xdp_null", BPF.XDP)
print("loaded", fn.fd)
