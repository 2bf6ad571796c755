/* Loads one program of an object with libbpf's own log buffer, so libbpf prints its report of a failed load. */
#include <bpf/libbpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int argc, char **argv) {
	struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
	struct bpf_program *p;
	bpf_object__for_each_program(p, obj) {
		int keep = 0;
		for (int i = 3; i < argc; i++) if (!strcmp(bpf_program__name(p), argv[i])) keep = 1;
		bpf_program__set_autoload(p, keep);
		if (keep) bpf_program__set_log_level(p, atoi(argv[2]));
	}
	int err = bpf_object__load(obj);
	fprintf(stderr, "load: %d\n", err);
	return 0;
}
