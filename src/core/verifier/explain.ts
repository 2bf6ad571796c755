/**
 * What the verifier's error usually means, and the usual fix: a hint read
 * from the message's wording (kernel/bpf/verifier.c's own strings, older
 * kernels' forms included), never a verdict of its own. Registers named in
 * the message are named in the hint.
 */

export interface ErrorHint {
  /** Stable: tests, the CLI's JSON, a future docs link. */
  id: string;
  /** One line: what went wrong. */
  title: string;
  /** Why the verifier says so. */
  why: string;
  /** What usually fixes it. */
  fix: string;
}

interface Rule {
  id: string;
  pattern: RegExp;
  hint: (m: RegExpExecArray) => Omit<ErrorHint, 'id'>;
}

const reg = (name: string | undefined) => (name === undefined ? 'a register' : `R${name}`);
const named = (name: string | undefined) => (name === undefined ? '' : ` (R${name})`);

const RULES: Rule[] = [
  {
    id: 'null-check',
    pattern:
      /(?:R(\d+) invalid mem access '(\w*or_null\w*)'|pointer arithmetic on (\w*or_null\w*) prohibited)/,
    hint: (m) => ({
      title: `${reg(m[1])} may be NULL where it is used`,
      why: `It holds a ${m[2] ?? m[3]} (a map lookup's or helper's result that can be NULL), and no check against NULL on this path came before the access.`,
      fix: 'Check the pointer before using it (`if (!p) return 0;`), on every path that reaches the access, and use the checked pointer itself rather than a copy made before the check.',
    }),
  },
  {
    id: 'scalar-deref',
    pattern: /R(\d+) invalid mem access '(?:scalar|inv)'/,
    hint: (m) => ({
      title: `${reg(m[1])} is a number, not a pointer the program may dereference`,
      why: 'The verifier tracks it as a scalar: a kernel address read as plain data, a pointer field of an untrusted struct, or a pointer that lost its type (spilled in part, or built by arithmetic on a number).',
      fix: 'Read kernel memory with bpf_probe_read_kernel() or BPF_CORE_READ(); in BTF-typed programs (fentry, tp_btf, LSM) follow typed pointers, and check a kfunc’s returned pointer before use.',
    }),
  },
  {
    id: 'uninit-register',
    pattern: /R(\d+) !read_ok/,
    hint: (m) => ({
      title: `${reg(m[1])} is read before it is written`,
      why: 'On this path nothing set the register. A helper or function call clobbers R1–R5, and a function’s result is only in R0.',
      fix: 'Give the variable a value on every path; do not expect R1–R5 to survive a call (the compiler keeps such values in R6–R9 or on the stack).',
    }),
  },
  {
    id: 'uninit-stack',
    pattern: /invalid (?:indirect )?read from stack (?:R\d+ )?off -?\d+\+\d+ size/,
    hint: () => ({
      title: 'Stack memory is read before it is written',
      why: 'Some bytes of the stack range were never initialized on this path: often a struct’s padding or an unset field, passed to a helper or map.',
      fix: 'Zero the variable first (`struct x v = {};` or __builtin_memset(&v, 0, sizeof(v))), then set its fields.',
    }),
  },
  {
    id: 'stack-bounds',
    pattern:
      /invalid (?:variable-offset )?(?:indirect )?(?:read|write|access) (?:from|to|into) stack|invalid stack off=/,
    hint: () => ({
      title: 'A stack access the verifier cannot prove inside the 512-byte frame',
      why: 'The offset is outside the stack frame, or it depends on a value whose range the verifier does not know (an array on the stack indexed by a variable).',
      fix: 'Bound the index with an unsigned check against the array length right before the access (`if (i >= N) return 0;`), or keep the data in a map (a per-CPU array) instead of the stack.',
    }),
  },
  {
    id: 'packet-bounds',
    pattern: /invalid access to packet|R(\d+) offset is outside of the packet/,
    hint: () => ({
      title: 'Packet access without a bounds check against data_end',
      why: 'The verifier only allows reading packet bytes it has seen checked against data_end on this path; a helper that may move the packet (bpf_skb_pull_data, bpf_xdp_adjust_head) forgets earlier checks.',
      fix: 'Compare before the access: `if ((void *)(p + 1) > data_end) return XDP_DROP;`, on the pointer that is then read, and reload data/data_end and check again after packet-changing helpers.',
    }),
  },
  {
    id: 'value-bounds',
    pattern:
      /invalid access to map value|R(\d+) (?:min|max) value is outside of the allowed memory range|R(\d+) unbounded memory access|R(\d+) min value is negative|math between \w+ pointer and register with unbounded min value/,
    hint: (m) => ({
      title: `An offset into a map value or memory region the verifier cannot bound${named(m[1] ?? m[2] ?? m[3])}`,
      why: 'The access may fall outside the value: the index has no upper bound, a signed index may be negative, or the bound was checked on a different register than the one used.',
      fix: 'Check the index right before the access with an unsigned comparison against the element count (`if (i >= N) return 0;`, or `i &= N - 1` for a power of two), and use an unsigned type for it.',
    }),
  },
  {
    id: 'context-access',
    pattern: /invalid bpf_context access/,
    hint: () => ({
      title: 'The program reads or writes its context at an offset its type does not allow',
      why: 'Each program type exposes only some fields of its context (struct __sk_buff, xdp_md, …), at their own size, and most of them read-only.',
      fix: 'Use the context struct of this program type with its declared field sizes; write through helpers (bpf_skb_store_bytes) instead of the context; in tracing programs read raw pointers with BPF_CORE_READ.',
    }),
  },
  {
    id: 'reference-leak',
    pattern: /Unreleased reference|would lead to reference leak/,
    hint: () => ({
      title: 'A reference is still held when the program exits',
      why: 'Something acquired on this path (a ring buffer reservation, a socket lookup, a task or cgroup reference) reaches an exit without its release.',
      fix: 'Release it on every path, error returns included: bpf_ringbuf_submit() or bpf_ringbuf_discard(), bpf_sk_release(), or the matching *_release kfunc.',
    }),
  },
  {
    id: 'loop',
    pattern: /infinite loop detected|back-edge from insn|loop is not bounded/,
    hint: () => ({
      title: 'A loop the verifier cannot prove ends',
      why: 'It reached the same instruction with a state no different from before, or the loop has no bound it can follow.',
      fix: 'Give the loop a constant bound, or use bpf_loop(), bpf_for()/open-coded iterators, or can_loop on newer kernels.',
    }),
  },
  {
    id: 'too-complex',
    pattern: /BPF program is too large|jumps is too complex|BPF program is too complex|too many states/,
    hint: () => ({
      title: 'The verifier gave up: too many instructions or paths to check',
      why: 'It walks every path; branches multiply them and large unrolled loops repeat them, past its limit of 1,000,000 processed instructions.',
      fix: 'Cut the paths: move work into bpf_loop() callbacks or global (non-static) functions, which are checked once, avoid unrolling, and bound loop counters tightly.',
    }),
  },
  {
    id: 'return-value',
    pattern: /At (?:program exit|callback return) the register R0 (?:has|is)/,
    hint: () => ({
      title: 'The return value is outside what this program or callback may return',
      why: 'Some program types (cgroup, LSM, bpf_loop callbacks) accept only a small range, and the verifier must see R0 inside it on every path.',
      fix: 'Return one of the allowed constants on every path (for example `return ok ? 1 : 0;`), not a computed or truncated value.',
    }),
  },
  {
    id: 'helper-not-allowed',
    pattern:
      /program of this type cannot use helper|unknown func|helper call is not allowed|cannot call GPL-restricted function|calling kernel function \S+ is not allowed/,
    hint: () => ({
      title: 'This helper or kfunc is not available to this program',
      why: 'Helpers are allowed per program type (and some need a GPL license or a newer kernel).',
      fix: 'Use a helper this program type may call, change the program type (SEC name), or set a GPL-compatible license if the helper requires one.',
    }),
  },
  {
    id: 'argument-type',
    pattern: /R(\d+) type=(\w+) expected=([^\n]+)/,
    hint: (m) => ({
      title: `${reg(m[1])} has the wrong type for this call’s argument`,
      why: `The call expects ${m[3].trim()}, and ${reg(m[1])} holds a ${m[2] === 'inv' ? 'scalar' : m[2]}.`,
      fix: 'Pass what the helper’s prototype asks for: a pointer to initialized stack memory, a map value, or a checked (non-NULL) pointer, rather than a number or a pointer that may be NULL.',
    }),
  },
  {
    id: 'lock',
    pattern:
      /while holding a lock|bpf_spin_unlock is missing|BPF_EXIT instruction cannot be used inside bpf_spin_lock/,
    hint: () => ({
      title: 'A call or exit inside a bpf_spin_lock section',
      why: 'Between bpf_spin_lock() and bpf_spin_unlock() the program may not call functions or helpers, or exit.',
      fix: 'Keep only plain loads and stores inside the locked section, and unlock before any call or return.',
    }),
  },
  {
    id: 'unreachable-code',
    pattern: /unreachable insn|last insn is not an exit or jmp|jump out of range/,
    hint: () => ({
      title: 'The program’s control flow is malformed',
      why: 'Code no path reaches, or a path that runs off the end, is rejected before any value is checked; it is often left by the compiler after a call it assumes never returns.',
      fix: 'Make every path end in a return; in Rust (Aya) avoid unwrap()/panics in BPF code; check that relocations and linking produced the whole program.',
    }),
  },
  {
    id: 'stack-size',
    pattern:
      /combined stack size of \d+ calls is \d+|stack depth \d+ exceeds|the call stack of \d+ frames is too deep/,
    hint: () => ({
      title: 'Too much stack: the 512-byte limit counts every frame of a call chain',
      why: 'Each function’s locals add up along the deepest chain of calls.',
      fix: 'Move large buffers to a per-CPU array map, and make big helpers global functions or inline them less.',
    }),
  },
  {
    id: 'read-only',
    pattern: /cannot write into|write into map forbidden|only read is supported/,
    hint: () => ({
      title: 'A write to memory this program may only read',
      why: 'The target is read-only for this program: a read-only map value or section (.rodata), the context’s read-only fields, or kernel memory.',
      fix: 'Copy the data to the stack or a writable map value first, and write there.',
    }),
  },
  {
    id: 'pointer-arithmetic',
    pattern:
      /pointer arithmetic|pointer comparison prohibited|R\d+ leaks addr|addition of negative constant to packet pointer/,
    hint: () => ({
      title: 'Arithmetic or a comparison on a pointer that the verifier forbids',
      why: 'Only some pointer types allow arithmetic, and only with bounded scalars; comparing or storing pointers can leak kernel addresses.',
      fix: 'Compute offsets in a scalar, bound them, then add them to the pointer once; compare values, not pointers.',
    }),
  },
];

/** The hint for a verifier error (its lines joined with \n); null when its wording is not one we know. */
export function explainError(message: string): ErrorHint | null {
  for (const line of message.split('\n')) {
    for (const rule of RULES) {
      const m = rule.pattern.exec(line);
      if (m) return { id: rule.id, ...rule.hint(m) };
    }
  }
  return null;
}
