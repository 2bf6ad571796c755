/* Loads one program of an object with a caller-owned log buffer and writes
 * the kernel's log buffer to OUT (text up to the NUL, or the whole buffer
 * with MODE=full). Prints one JSON line with the result.
 * usage: rawcap OBJ PROG LEVEL LOG_SIZE OUT [text|full] */
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static int quiet(enum libbpf_print_level l, const char *f, va_list a) { return 0; }
int main(int argc, char **argv)
{
	if (argc < 6) { fprintf(stderr, "usage\n"); return 2; }
	libbpf_set_print(quiet);
	struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) { perror(argv[1]); return 1; }
	size_t size = strtoul(argv[4], 0, 0);
	char *buf = calloc(1, size);
	struct bpf_program *p; int found = 0;
	bpf_object__for_each_program(p, obj) {
		if (strcmp(bpf_program__name(p), argv[2])) { bpf_program__set_autoload(p, false); continue; }
		found = 1;
		bpf_program__set_log_buf(p, buf, size);
		bpf_program__set_log_level(p, strtoul(argv[3], 0, 0));
	}
	if (!found) { fprintf(stderr, "no program %s\n", argv[2]); return 1; }
	int err = bpf_object__load(obj);
	int full = argc > 6 && !strcmp(argv[6], "full");
	size_t len = strnlen(buf, size);
	FILE *f = fopen(argv[5], "wb");
	fwrite(buf, 1, full ? size : len, f);
	fclose(f);
	printf("{\"errno\":%d,\"error\":\"%s\",\"log_len\":%zu,\"log_size\":%zu}\n", -err, err ? strerror(-err) : "", len, size);
	return 0;
}
