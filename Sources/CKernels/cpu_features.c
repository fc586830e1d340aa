// What the CPU and its OS run, read with cpuid and xgetbv, for kernels that pick their code at
// run time (the package is built for baseline x86-64).
#include "gs_kernels.h"

#include <cpuid.h>

static int avx512_supported(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27))) return 0;            // OSXSAVE
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 0xE6) != 0xE6) return 0;                                               // XMM, YMM, opmask, ZMM state
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    unsigned need = (1u << 16) | (1u << 17) | (1u << 30) | (1u << 31);               // F, DQ, BW, VL
    return (b & need) == need;
}

int gs_avx512_supported(void) {
    static int supported = -1;
    if (supported < 0) supported = avx512_supported();
    return supported;
}

static int avx512_bf16_supported(void) {
    unsigned a, b, c, d;
    if (!gs_avx512_supported() || !__get_cpuid_count(7, 1, &a, &b, &c, &d)) return 0;
    return (a >> 5) & 1;                                                             // AVX512_BF16
}

int gs_wino_bf16_supported(void) {
    static int supported = -1;
    if (supported < 0) supported = avx512_bf16_supported();
    return supported;
}
