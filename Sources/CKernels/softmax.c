// Softmax of one row of attention logits in place (AVX-512): the maximum, e^(x − max) (0 below
// −88, as the reference softmaxInPlace has it), the sum, the scale. The reference's scalar loops
// took most of a 256-token attention layer's time outside its matrix products.
#include "gs_kernels.h"
#include "simd_math.h"

#include <immintrin.h>

#define TARGET __attribute__((target("avx512f,avx512dq")))

TARGET static void run(float *p, int64_t count) {
    __m512 top = _mm512_set1_ps(-__builtin_inff());
    for (int64_t j = 0; j < count; j += 16) {
        __mmask16 m = lanes(count - j);
        top = _mm512_mask_max_ps(top, m, top, _mm512_maskz_loadu_ps(m, p + j));
    }
    const __m512 maximum = _mm512_set1_ps(_mm512_reduce_max_ps(top)), floor = _mm512_set1_ps(-88.f);
    __m512 sum = _mm512_setzero_ps();
    for (int64_t j = 0; j < count; j += 16) {
        __mmask16 m = lanes(count - j);
        __m512 x = _mm512_sub_ps(_mm512_maskz_loadu_ps(m, p + j), maximum);
        __m512 e = _mm512_maskz_mov_ps(m & _mm512_cmp_ps_mask(x, floor, _CMP_GE_OQ), exp512(x));
        sum = _mm512_add_ps(sum, e);
        _mm512_mask_storeu_ps(p + j, m, e);
    }
    const __m512 inverse = _mm512_set1_ps(1.f / _mm512_reduce_add_ps(sum));
    for (int64_t j = 0; j < count; j += 16) {
        __mmask16 m = lanes(count - j);
        _mm512_mask_storeu_ps(p + j, m, _mm512_mul_ps(_mm512_maskz_loadu_ps(m, p + j), inverse));
    }
}

int gs_softmax_in_place(float *row, int64_t count) {
    if (!gs_avx512_supported()) return -1;
    if (count > 0) run(row, count);
    return 0;
}
