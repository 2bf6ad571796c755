#!/usr/bin/env bash
# Captures usedef-level2.bin, usedef-bad-level1.bin and usedef-comm-level1.bin (usedef.bpf.c)
# from the running kernel, the way the corpus's capture/capture.sh does,
# and prints their manifest lines. Needs root, clang, libbpf-dev.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$here/..
work=$(mktemp -d)
clang -g -O2 -target bpf -D__TARGET_ARCH_x86 -I/usr/include/$(uname -m)-linux-gnu -c "$here/usedef.bpf.c" -o "$work/usedef.bpf.o"
gcc -O2 -o "$work/loader" "$here/loader.c" -lbpf
# name  program  level: an accepted load keeps its whole log at level 2 only
# (level 1 rewinds the log over every path that verified), so level 1 is the rejected one.
while read -r name prog level; do
  res=$("$work/loader" "$work/usedef.bpf.o" $prog $level 65536 0 "$out/$name.bin")
  echo "{\"file\":\"$name.bin\",\"command\":\"BPF_PROG_LOAD\",\"source\":\"capture/usedef.bpf.c\",\"program\":\"$prog\",\"log_level\":$level,\"log_size\":65536,\"prefill\":0,\"kernel\":\"$(uname -r)\",\"result\":$res}"
done <<'LIST'
usedef-level2 xdp_usedef 2
usedef-bad-level1 xdp_usedef_bad 1
usedef-comm-level1 kp_comm_bad 1
LIST
rm -rf "$work"
