/* A typical libbpf loader: opens and loads a whole object, with libbpf's
 * messages (all levels) on stderr. usage: libbpfcap OBJ [LOG_LEVEL] */
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static int all(enum libbpf_print_level l, const char *f, va_list a) { return vfprintf(stderr, f, a); }
int main(int argc, char **argv)
{
	libbpf_set_print(all);
	struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) { fprintf(stderr, "failed to open %s\n", argv[1]); return 1; }
	if (argc > 2) {
		struct bpf_program *p;
		bpf_object__for_each_program(p, obj)
			bpf_program__set_log_level(p, strtoul(argv[2], 0, 0));
	}
	int err = bpf_object__load(obj);
	if (err) { fprintf(stderr, "failed to load BPF object: %d (%s)\n", err, strerror(-err)); return 1; }
	fprintf(stderr, "loaded OK\n");
	bpf_object__close(obj);
	return 0;
}
