#!/usr/bin/env bash
# Captures verifier logs from the running kernel into ../logs, recording how
# each was obtained in ../logs/results.jsonl. Needs root, clang, libbpf-dev, bpftool.
set -uo pipefail
cd "$(dirname "$0")"
make -s -j2 >/dev/null 2>&1 || make
gcc -O2 -o rawcap rawcap.c -lbpf && gcc -O2 -o libbpfcap libbpfcap.c -lbpf
out=../logs; mkdir -p $out; : > $out/results.jsonl
mount | grep -q "type bpf" || mount -t bpf bpf /sys/fs/bpf
prog_of() { llvm-objdump -t $1.bpf.o | awk '$3=="F" && $4!=".text"{print $NF}' | head -1; }
rec() { echo "{\"file\":\"$1\",\"case\":\"$2\",\"program\":\"$3\",\"form\":\"$4\",\"log_level\":\"$5\",\"log_size\":\"$6\",\"result\":$7}" >> $out/results.jsonl; }
# raw CASE LEVEL SIZE SUFFIX [full]
raw() {
  local c=$1 lvl=$2 size=$3 sfx=$4 mode=${5:-text} p; p=$(prog_of $c)
  local f=$c.$sfx.log; local r; r=$(timeout 600 ./rawcap $c.bpf.o $p $lvl $size $out/$f $mode)
  if [ "$(stat -c %s $out/$f)" -ge 1048576 ]; then gzip -9 -n -f $out/$f; f=$f.gz; fi
  rec $f $c $p raw "$lvl" $size "$r"
}
# lib CASE [LEVEL]
lib() {
  local c=$1 lvl=${2:-} p; p=$(prog_of $c); local f=$c.libbpf${lvl:+-L$lvl}.txt
  timeout 600 ./libbpfcap $c.bpf.o $lvl > $out/$f 2>&1; local rc=$?
  if [ "$(stat -c %s $out/$f)" -ge 1048576 ]; then gzip -9 -n -f $out/$f; f=$f.gz; fi
  rec $f $c $p libbpf "${lvl:-default}" 0 "{\"exit\":$rc}"
}
btool() {
  local c=$1 p; p=$(prog_of $c); local f=$c.bpftool.txt
  rm -rf /sys/fs/bpf/cap_$c
  timeout 600 bpftool -d prog loadall $c.bpf.o /sys/fs/bpf/cap_$c > $out/$f 2>&1; local rc=$?
  rm -rf /sys/fs/bpf/cap_$c
  if [ "$(stat -c %s $out/$f)" -ge 1048576 ]; then gzip -9 -n -f $out/$f; f=$f.gz; fi
  rec $f $c $p bpftool 7 0 "{\"exit\":$rc}"
}
small="null_deref pkt_bounds stack_oob stack_fp_pos ringbuf_leak spin_lock global_subprog static_subprog
  bpf_loop_cb infinite_loop ptr_arith helper_arg ctx_write kfunc_obj iter_num can_loop_bad ret_range
  wrong_helper unreachable map_oob rdonly_r0"
# ret_range_stack: captured at L2 only, below
oks="ok_simple ok_subprog_loop ok_iter_canloop ok_socket_comm"
for c in $small; do
  raw $c 1 1048576 L1
  raw $c 2 16777216 L2
  lib $c
done
for c in $oks; do raw $c 1 65536 L1; raw $c 2 1048576 L2; raw $c 4 65536 S; lib $c 2; done
# stats variants
for c in null_deref ringbuf_leak global_subprog kfunc_obj can_loop_bad; do raw $c 5 1048576 L1S; done
for c in static_subprog bpf_loop_cb iter_num ok_subprog_loop; do raw $c 6 16777216 L2S; done
# whole buffer with trailing NULs, as loader.c wrote it
raw spin_lock 1 65536 L1-fullbuf full
raw ptr_arith 2 65536 L2-fullbuf full
# libbpf at level 2
for c in global_subprog static_subprog bpf_loop_cb spin_lock; do lib $c 2; done
# truncation: rotating (default) and BPF_LOG_FIXED (8)
raw static_subprog 2 1024 L2-rot1k
raw iter_num 2 700 L2-rot700


# big ones
raw too_large 1 268435456 L1-256m
raw too_large 1 1048576 L1-rot1m
raw too_large 4 65536 S
raw jumps_complex 1 268435456 L1-256m
lib too_large
lib jumps_complex
# bpftool -d loadall
for c in null_deref global_subprog static_subprog ringbuf_leak infinite_loop kfunc_obj can_loop_bad ok_subprog_loop; do btool $c; done

# raw syscall, BPF_LOG_FIXED (no libbpf)
rs() {
  local c=$1 sec=$2 pt=$3 lvl=$4 size=$5 sfx=$6 p; p=$(prog_of $c); local f=$c.$sfx.log
  local r; r=$(timeout 600 python3 rawsec.py $c.bpf.o $sec $pt $lvl $size $out/$f)
  rec $f $c $p rawsyscall "$lvl" $size "$r"
}
rs stack_oob tc 3 10 600 L2-fixed600
rs stack_oob tc 3 9 65536 L1-fixed64k
rs unreachable socket 1 10 4096 L2-fixed4k
rs too_large xdp 6 9 1048576 L1-fixed1m
rs ctx_write xdp 6 14 4096 L2S-fixed4k
raw ret_range_stack 2 1048576 L2
# several programs in one object: libbpf stops at the first failure
lib multi_prog 2
lib multi_prog
btool multi_prog
echo "captured $(wc -l < $out/results.jsonl) logs total"
