"""Builds ../truth.json from ../logs/results.jsonl by reading each captured log
independently of the CLI. Rules: error = trailing non-stats lines after the last
instruction/state/precision/source line; pc = last `N: (xx) ...` line before it."""
import gzip, json, re, sys
L = '../logs/'
STATS = re.compile(r'^(processed \d+ insns.*|verification time \d+ usec|stack depth .*|)$')
INSN = re.compile(r'^(\d+): \([0-9a-f]{2}\)')
NOISE = re.compile(r'^(\d+: |mark_precise: |; |\(\d+,\d+\) live stack|func#\d+ @\d+|Live regs before insn:|\s+\d+: |from \d+ to \d+: |Func#\d+ |Validating |arg#\d+ )')
def read(f):
    b = gzip.open(L + f).read() if f.endswith('.gz') else open(L + f, 'rb').read()
    return b.split(b'\0')[0].decode('utf-8', 'replace')
out = []
for line in open(L + 'results.jsonl'):
    r = json.loads(line)
    text = read(r['file'])
    res = r['result']
    if r['form'] in ('raw', 'rawsyscall'):
        errno = res['errno']
    else:
        m = re.findall(r"prog '[^']+': failed to load: -(\d+)", text)
        errno = int(m[-1]) if m else (0 if res['exit'] == 0 else None)
        if r['form'] == 'bpftool' and errno is None and res['exit']: errno = 'unknown'
    logs = re.findall(r'-- BEGIN PROG LOAD LOG --\n(.*?)-- END PROG LOAD LOG --', text, re.S)
    body = logs[-1] if r['form'] in ('libbpf', 'bpftool') and logs else text
    lines = [l for l in body.split('\n')]
    while lines and STATS.match(lines[-1]): lines.pop()
    err = []
    i = len(lines) - 1
    while i >= 0 and not NOISE.match(lines[i]):
        err.insert(0, lines[i]); i -= 1
    pc = None
    for l in reversed(lines[:i + 1]):
        m = INSN.match(l)
        if m: pc = int(m.group(1)); break
    accepted = errno == 0
    out.append({'file': 'logs/' + r['file'], 'form': r['form'], 'log_level': r['log_level'], 'program': r['program'],
                'verdict': 'accepted' if accepted else 'rejected', 'errno': errno,
                'error': None if accepted else err, 'pc': None if accepted else pc,
                'truncated': errno == 28, 'program_count': max(1, len(logs))})
    if errno == 28 and int(r['log_level']) & 8:
        out[-1]['error'] = None; out[-1]['pc'] = None
        out[-1]['note'] = 'BPF_LOG_FIXED truncation: the log stops before the error, so the log holds no error line'
json.dump(out, open('../truth.json', 'w'), indent=1)
for o in out:
    print(o['file'][5:], o['verdict'], o['errno'], o['pc'], ' | '.join(o['error'] or [])[:150])
