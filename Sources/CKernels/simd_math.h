// What the kernels share (AVX-512F): e^x and SiLU on 16 floats, bf16 rounding, a convolution's
// epilogue.
#ifndef GS_SIMD_MATH_H
#define GS_SIMD_MATH_H

#include "gs_kernels.h"

#include <immintrin.h>
#include <string.h>

#define GS_AVX512F __attribute__((target("avx512f")))

// e^x for |x| <= 88 (x is clamped there): x = n·ln2 + r with |r| <= ln2/2 (ln2 in two parts, so
// r is exact enough), e^r by its degree-6 Taylor polynomial, scaled by 2^n; relative error
// below 2e-7.
GS_AVX512F static inline __m512 exp512(__m512 x) {
    x = _mm512_min_ps(_mm512_max_ps(x, _mm512_set1_ps(-88.f)), _mm512_set1_ps(88.f));
    const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                          _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693145751953125f), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(1.428606765330187e-06f), r);
    __m512 p = _mm512_set1_ps(1.f / 720);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.f / 120));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.f / 24));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.f / 6));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(.5f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.f));
    return _mm512_scalef_ps(p, n);
}

// x / (1 + e^−x), the division as a reciprocal estimate refined by one Newton step (a
// division is the slowest instruction here, and SiLU runs on every value of the large maps):
// relative error below 3e-7. With e^−x clamped to [e^−88, e^88], the result is x where x > 88
// and −0 or a few ulps from it where x < −88.
GS_AVX512F static inline __m512 silu512(__m512 x) {
    const __m512 d = _mm512_add_ps(_mm512_set1_ps(1.f), exp512(_mm512_sub_ps(_mm512_setzero_ps(), x)));
    __m512 r = _mm512_rcp14_ps(d);
    r = _mm512_mul_ps(r, _mm512_fnmadd_ps(d, r, _mm512_set1_ps(2.f)));
    return _mm512_mul_ps(x, r);
}

// The mask of the first min(left, 16) lanes.
static inline __mmask16 lanes(int64_t left) { return left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1); }

// fp32 → bf16, rounding to nearest even (NaN stays NaN).
static inline uint16_t to_bf16(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    if ((u & 0x7fffffff) > 0x7f800000) return (uint16_t)((u >> 16) | 0x40);
    u += 0x7fff + ((u >> 16) & 1);
    return (uint16_t)(u >> 16);
}

// The epilogue of a gs_wino_conv (gs_kernels.h) on 16 output channels at dst, `m` the lanes
// that exist: bias, `addend` when accumulating (the destination itself, or where the kernel
// enlarged gs_wino_conv.enlarged_addend), the activation, the scale, the final SiLU.
GS_AVX512F static inline void store_epilogue(const gs_wino_conv *cv, __m512 val, __m512 bias, const float *addend,
                                             float *dst, __mmask16 m) {
    const __m512 zero = _mm512_setzero_ps();
    val = _mm512_add_ps(val, bias);
    if (cv->accumulate) val = _mm512_add_ps(val, _mm512_maskz_loadu_ps(m, addend));
    if (cv->activation == GS_WINO_ACT_LEAKY) {
        val = _mm512_mask_mul_ps(val, _mm512_cmp_ps_mask(val, zero, _CMP_LT_OQ), val, _mm512_set1_ps(cv->alpha));
    } else if (cv->activation == GS_WINO_ACT_SILU) {
        val = silu512(val);
    }
    if (cv->scale != 1.f) val = _mm512_mul_ps(val, _mm512_set1_ps(cv->scale));
    if (cv->final_silu) val = silu512(val);
    _mm512_mask_storeu_ps(dst, m, val);
}

#endif
