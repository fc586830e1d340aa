// Bilinear ×2 enlargement of an NHWC image (PyTorch's align_corners = false), optionally writing
// SiLU of the result in the same pass: a generator's decoder enlarges a map and its first
// residual block reads only SiLU of it (and the skip path the map itself), so both are written
// while each output row is still in cache instead of reading the whole map again.
//
// Output row 2i blends source rows i−1 and i (¼, ¾), row 2i + 1 rows i and i + 1 (¾, ¼), clamped
// at the edges (row 0 is source row 0); columns likewise. Each source row is first blended
// horizontally, then two such rows vertically, with separate multiplies and adds (no fused
// multiply-add), which is the arithmetic of Ops.upsampleBilinear: the two agree bit for bit.
#include "bilinear2x_rows.h"
#include "gs_kernels.h"
#include "simd_math.h"

#include <immintrin.h>
#include <stdlib.h>

#define TARGET __attribute__((target("avx512f,avx512dq")))

#pragma clang fp contract(off)

typedef struct {
    int64_t low, high;
    float low_weight, high_weight;
} tap;

// The taps of output index `dst` of an axis enlarged from n to 2n, as Ops.bilinearTaps computes
// them in Float: source = max((dst + 0.5) · ½ − 0.5, 0).
static tap tap_for(int64_t dst, int64_t n) {
    float source = 0.5f * ((float)dst + 0.5f) - 0.5f;
    if (source < 0) source = 0;
    int64_t low = (int64_t)source;
    if (low > n - 1) low = n - 1;
    int64_t high = low + 1 > n - 1 ? n - 1 : low + 1;
    float high_weight = source - (float)low;
    return (tap){low, high, 1 - high_weight, high_weight};
}

// Source row `row` blended horizontally into `to` (2w·c values), 16 channels at a time.
TARGET static void resample_row(const float *row, int64_t w, int64_t c, float *to) {
    for (int64_t x = 0; x < 2 * w; x++) {
        tap t = tap_for(x, w);
        const float *p0 = row + t.low * c, *p1 = row + t.high * c;
        const __m512 w0 = _mm512_set1_ps(t.low_weight), w1 = _mm512_set1_ps(t.high_weight);
        float *q = to + x * c;
        for (int64_t k = 0; k < c; k += 16) {
            __mmask16 m = lanes(c - k);
            _mm512_mask_storeu_ps(q + k, m, _mm512_add_ps(_mm512_mul_ps(w0, _mm512_maskz_loadu_ps(m, p0 + k)),
                                                          _mm512_mul_ps(w1, _mm512_maskz_loadu_ps(m, p1 + k))));
        }
    }
}

// Makes one of the two slots hold source row `row` blended horizontally and returns it; a row
// not held goes into the slot other than `keep`.
TARGET static int hold(gs_bilinear2x_rows *r, int64_t row, int keep) {
    if (r->held[0] == row) return 0;
    if (r->held[1] == row) return 1;
    int s = keep == 0 ? 1 : 0;
    resample_row(r->in + row * r->w * r->c, r->w, r->c, r->slots[s]);
    r->held[s] = row;
    return s;
}

void gs_bilinear2x_rows_init(gs_bilinear2x_rows *r, const float *in, int64_t h, int64_t w, int64_t c, float *scratch) {
    *r = (gs_bilinear2x_rows){in, h, w, c, {scratch, scratch + 2 * w * c}, {-1, -1}};
}

TARGET void gs_bilinear2x_row(gs_bilinear2x_rows *r, int64_t y, float *out, float *silu_out) {
    const int64_t length = 2 * r->w * r->c;
    tap t = tap_for(y, r->h);
    int low = hold(r, t.low, -1);
    int high = hold(r, t.high, low);
    const float *blended[2] = {r->slots[low], r->slots[high]};
    const __m512 w0 = _mm512_set1_ps(t.low_weight), w1 = _mm512_set1_ps(t.high_weight);
    // Four vectors a step: SiLU is a long chain of dependent instructions, and four independent
    // ones keep the core busy where one leaves it waiting.
    int64_t i = 0;
    for (; i + 64 <= length; i += 64) {
        __m512 v[4];
        for (int k = 0; k < 4; k++)
            v[k] = _mm512_add_ps(_mm512_mul_ps(w0, _mm512_loadu_ps(blended[0] + i + 16 * k)),
                                 _mm512_mul_ps(w1, _mm512_loadu_ps(blended[1] + i + 16 * k)));
        if (out)
            for (int k = 0; k < 4; k++) _mm512_storeu_ps(out + i + 16 * k, v[k]);
        if (silu_out)
            for (int k = 0; k < 4; k++) _mm512_storeu_ps(silu_out + i + 16 * k, silu512(v[k]));
    }
    for (; i < length; i += 16) {
        __mmask16 m = lanes(length - i);
        __m512 v = _mm512_add_ps(_mm512_mul_ps(w0, _mm512_maskz_loadu_ps(m, blended[0] + i)),
                                 _mm512_mul_ps(w1, _mm512_maskz_loadu_ps(m, blended[1] + i)));
        if (out) _mm512_mask_storeu_ps(out + i, m, v);
        if (silu_out) _mm512_mask_storeu_ps(silu_out + i, m, silu512(v));
    }
}

int gs_upsample_bilinear2x(const float *input, int64_t height, int64_t width, int64_t channels, float *output,
                           float *silu_output) {
    if (!gs_avx512_supported()) return -1;
    float *scratch = malloc(sizeof(float) * 2 * 2 * (size_t)(width * channels));
    if (!scratch) return -2;
    gs_bilinear2x_rows rows;
    gs_bilinear2x_rows_init(&rows, input, height, width, channels, scratch);
    const int64_t length = 2 * width * channels;
    for (int64_t y = 0; y < 2 * height; y++)
        gs_bilinear2x_row(&rows, y, output + y * length, silu_output ? silu_output + y * length : NULL);
    free(scratch);
    return 0;
}
