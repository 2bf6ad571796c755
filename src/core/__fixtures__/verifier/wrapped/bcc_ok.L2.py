#!/usr/bin/python3
# bcc: accepted program (NULL check present); debug=DEBUG_BPF_REGISTER_STATE -> log_level 2 log printed on success.
from bcc import BPF, DEBUG_BPF_REGISTER_STATE

prog = r"""
BPF_HASH(counts, u32, u64, 64);

int xdp_ok(struct xdp_md *ctx)
{
    u32 key = 3;
    u64 *val = counts.lookup(&key);
    if (val)
        *val += 1;
    return XDP_PASS;
}
"""

b = BPF(text=prog, debug=DEBUG_BPF_REGISTER_STATE)
fn = b.load_func("xdp_ok", BPF.XDP)
print("loaded", fn.name.decode())
