// Vector math the kernels share (AVX-512F): e^x and SiLU on 16 floats.
#ifndef GS_SIMD_MATH_H
#define GS_SIMD_MATH_H

#include <immintrin.h>

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

// x / (1 + e^−x); with e^−x clamped to [e^−88, e^88], so the result is x where x > 88 and a
// few ulps from −0 where x < −88.
GS_AVX512F static inline __m512 silu512(__m512 x) {
    __m512 e = exp512(_mm512_sub_ps(_mm512_setzero_ps(), x));
    return _mm512_div_ps(x, _mm512_add_ps(_mm512_set1_ps(1.f), e));
}

#endif
