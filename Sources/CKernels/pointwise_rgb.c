// A 1x1 convolution to 3 outputs in fp32 (AVX-512): a generator's to_rgb, which oneDNN runs at a
// few GFLOP/s with 3 of its 16 lanes used. Here 16 pixels at a time: their channels, 16 at a
// time, are transposed so that one vector holds one channel of the 16 pixels (four butterfly
// stages of two-source permutes; gathers measured twice as slow as oneDNN), each is multiplied
// by the three outputs' weights, and the three sums are interleaved back into the pixels' RGB.
#include "gs_kernels.h"
#include "simd_math.h"

#include <immintrin.h>

#define TARGET __attribute__((target("avx512f,avx512dq")))

// The permutes, made once a call: the butterfly's, where at the stage of bit b (stage s,
// b = 1 << s) rows i and i | b swap the lanes whose bit b differs from the row's, so that after
// the four stages rows[r] lane l holds what rows[l] lane r held; and the interleave's, where lane
// l of output vector j takes colour (16j + l) % 3 of pixel (16j + l) / 3.
typedef struct {
    __m512i low[4], high[4];
    __m512i red_green[3], blue[3];
    __mmask16 is_blue[3];
} permutes;

TARGET static permutes make_permutes(void) {
    permutes f;
    for (int s = 0; s < 4; s++) {
        const int b = 1 << s;
        int low[16], high[16];
        for (int l = 0; l < 16; l++) {
            low[l] = (l & b) ? 16 + (l ^ b) : l;
            high[l] = (l & b) ? 16 + l : (l ^ b);
        }
        f.low[s] = _mm512_loadu_si512(low);
        f.high[s] = _mm512_loadu_si512(high);
    }
    for (int j = 0; j < 3; j++) {
        int red_green[16], blue[16];
        f.is_blue[j] = 0;
        for (int l = 0; l < 16; l++) {
            const int k = 16 * j + l, pixel = k / 3, colour = k % 3;
            red_green[l] = colour == 1 ? 16 + pixel : pixel;
            blue[l] = pixel;
            if (colour == 2) f.is_blue[j] |= (__mmask16)(1u << l);
        }
        f.red_green[j] = _mm512_loadu_si512(red_green);
        f.blue[j] = _mm512_loadu_si512(blue);
    }
    return f;
}

TARGET static inline void interleave(const permutes *f, __m512 r, __m512 g, __m512 b, __m512 out[3]) {
    for (int j = 0; j < 3; j++)
        out[j] = _mm512_mask_permutexvar_ps(_mm512_permutex2var_ps(r, f->red_green[j], g), f->is_blue[j], f->blue[j], b);
}

TARGET static inline void transpose16(const permutes *f, __m512 rows[16]) {
    for (int s = 0; s < 4; s++) {
        const int b = 1 << s;
        for (int i = 0; i < 16; i++) {
            if (i & b) continue;
            const __m512 a = rows[i], c = rows[i | b];
            rows[i] = _mm512_permutex2var_ps(a, f->low[s], c);
            rows[i | b] = _mm512_permutex2var_ps(a, f->high[s], c);
        }
    }
}

TARGET static void run(const float *in, int64_t pixels, int64_t channels, const float *w, const float *bias,
                       int accumulate, float *out) {
    const float b0 = bias ? bias[0] : 0, b1 = bias ? bias[1] : 0, b2 = bias ? bias[2] : 0;
    const permutes f = make_permutes();
    int64_t p = 0;
    for (; p + 16 <= pixels; p += 16) {
        const float *base = in + p * channels;
        __m512 r = _mm512_set1_ps(b0), g = _mm512_set1_ps(b1), b = _mm512_set1_ps(b2);
        for (int64_t c0 = 0; c0 < channels; c0 += 16) {
            const __mmask16 m = lanes(channels - c0);
            __m512 column[16];
            for (int i = 0; i < 16; i++) column[i] = _mm512_maskz_loadu_ps(m, base + i * channels + c0);
            transpose16(&f, column);
            for (int64_t c = c0; c < c0 + 16 && c < channels; c++) {
                const __m512 v = column[c - c0];
                r = _mm512_fmadd_ps(v, _mm512_set1_ps(w[c]), r);
                g = _mm512_fmadd_ps(v, _mm512_set1_ps(w[channels + c]), g);
                b = _mm512_fmadd_ps(v, _mm512_set1_ps(w[2 * channels + c]), b);
            }
        }
        __m512 rgb[3];
        interleave(&f, r, g, b, rgb);
        for (int j = 0; j < 3; j++) {
            float *to = out + 3 * p + 16 * j;
            _mm512_storeu_ps(to, accumulate ? _mm512_add_ps(rgb[j], _mm512_loadu_ps(to)) : rgb[j]);
        }
    }
    for (; p < pixels; p++)
        for (int o = 0; o < 3; o++) {
            float sum = bias ? bias[o] : 0;
            for (int64_t c = 0; c < channels; c++) sum = __builtin_fmaf(in[p * channels + c], w[o * channels + c], sum);
            out[3 * p + o] = accumulate ? sum + out[3 * p + o] : sum;
        }
}

int gs_pointwise_rgb(const float *input, int64_t pixels, int64_t channels, const float *weights, const float *bias,
                     int accumulate, float *output) {
    if (!gs_avx512_supported()) return -1;
    if (channels < 1 || channels * 16 > INT32_MAX) return -2;
    run(input, pixels, channels, weights, bias, accumulate, output);
    return 0;
}
