// malloc tuning for HeapTuning.swift (mallopt is not visible through Swift's Glibc module).
#include "gs_dnnl.h"
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int gs_retain_freed_memory(int largest_heap_block, int top_pad) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, largest_heap_block) == 1
        && mallopt(M_TRIM_THRESHOLD, 0x7fffffff) == 1
        && mallopt(M_TOP_PAD, top_pad) == 1;
#else
    (void)largest_heap_block; (void)top_pad;
    return 0;
#endif
}
