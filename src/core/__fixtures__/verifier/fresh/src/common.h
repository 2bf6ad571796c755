/* shared bits for the capture programs */
#include "../vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

extern int bpf_iter_num_new(struct bpf_iter_num *it, int start, int end) __ksym;
extern int *bpf_iter_num_next(struct bpf_iter_num *it) __ksym;
extern void bpf_iter_num_destroy(struct bpf_iter_num *it) __ksym;
extern void *bpf_obj_new_impl(__u64 local_type_id, void *meta) __ksym;
extern void bpf_obj_drop_impl(void *kptr, void *meta) __ksym;
#define bpf_obj_new(type) ((type *)bpf_obj_new_impl(bpf_core_type_id_local(type), NULL))
#define bpf_obj_drop(kptr) bpf_obj_drop_impl(kptr, NULL)

#define bpf_for(i, start, end) for (						\
	struct bpf_iter_num ___it __attribute__((aligned(8),			\
						 cleanup(bpf_iter_num_destroy))),	\
	/* initialize and define destructor */					\
	*___p __attribute__((unused)) = (					\
		bpf_iter_num_new(&___it, (start), (end)),			\
	/* this is necessary to ensure that i is never unbounded */		\
		(void)bpf_iter_num_destroy, (void *)0);				\
	({									\
		/* iteration step */						\
		int *___t = bpf_iter_num_next(&___it);				\
		/* termination and bounds check */				\
		(___t && ((i) = *___t, (i) >= (start) && (i) < (end)));		\
	});									\
)

#define can_loop					\
	({ __label__ l_break, l_continue;		\
	int ret = 1;					\
	asm volatile goto("1:.byte 0xe5;			\
		      .byte 0;				\
		      .long ((%l[l_break] - 1b - 8) / 8) & 0xffff;	\
		      .short 0"				\
		      :::: l_break);			\
	goto l_continue;				\
	l_break: ret = 0;				\
	l_continue:;					\
	ret;						\
	})

char LICENSE[] SEC("license") = "GPL";
