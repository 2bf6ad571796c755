"""Loads one ELF section's instructions (no relocations) with the raw bpf()
syscall, so BPF_LOG_FIXED (8) and log_true_size can be used.
usage: rawsec.py OBJ SECTION PROG_TYPE LEVEL LOG_SIZE OUT  -> one JSON line"""
import ctypes, json, os, struct, subprocess, sys, tempfile
libc = ctypes.CDLL(None, use_errno=True)
obj, sec, ptype, level, size, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
with tempfile.NamedTemporaryFile() as t:
    subprocess.check_call(['llvm-objcopy', '-O', 'binary', '--only-section=' + sec, obj, t.name])
    code = open(t.name, 'rb').read()
log = ctypes.create_string_buffer(size)
prog = ctypes.create_string_buffer(code); lic = ctypes.create_string_buffer(b'GPL')
attr = bytearray(144)
struct.pack_into('<IIQQIIQ', attr, 0, ptype, len(code) // 8, ctypes.addressof(prog), ctypes.addressof(lic), level, size, ctypes.addressof(log))
a = ctypes.create_string_buffer(bytes(attr), 144)
ret = libc.syscall(321, 5, a, 144)
err = ctypes.get_errno() if ret < 0 else 0
if ret >= 0: os.close(ret)
n = log.raw.find(b'\0'); n = size if n < 0 else n
open(out, 'wb').write(log.raw[:n])
print(json.dumps({'errno': err, 'error': os.strerror(err) if err else '', 'log_len': n, 'log_size': size,
                  'log_true_size': struct.unpack_from('<I', a.raw, 140)[0]}))
