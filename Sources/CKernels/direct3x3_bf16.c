// Direct 3x3 convolution (stride 1, zero padding 1) in bf16 with fp32 accumulation, for the
// narrow layers the Winograd kernel leaves to oneDNN (fewer than 32 channels: a generator's
// 16-channel 512 px stage). One vdpbf16ps multiplies a broadcast pair of input channels of one
// pixel by the 16 outputs' weights for that pair, so with 16 outputs every lane does useful
// work: 16 pixels × 16 outputs accumulate in 16 registers while the 9 taps × channel pairs
// stream past. The input rows are rounded to bf16 once, into a ring of three zero-padded rows
// in scratch, as the band of output rows advances; the epilogue is gs_wino_conv's.
//
// With gs_wino_conv.enlarge_input the rows come from a half-size map, enlarged (and SiLU'd) one
// row at a time as they are loaded, and with enlarged_addend the epilogue adds an enlarged row of
// another half-size map: a decoder's first residual block then never writes its 512 px input.
#include "bilinear2x_rows.h"
#include "gs_kernels.h"
#include "simd_math.h"

#include <immintrin.h>
#include <string.h>

#define TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512bf16")))

enum { PIXELS = 16 };   // output pixels per step (their accumulators stay in registers)

static int64_t pairs(int64_t cin) { return (cin + 1) / 2; }
static int64_t groups(int64_t cout) { return (cout + 15) / 16; }
// A bf16 row: one zero pixel each side, then PIXELS of slack for the last step's reads.
static int64_t row_pixels(int64_t width) { return width + 2 + PIXELS; }

size_t gs_direct3x3_weights_count(int64_t cin, int64_t cout) { return (size_t)(groups(cout) * 9 * pairs(cin) * 32); }

// Scratch: the ring of three bf16 rows and a zero row, then for enlargements the two
// horizontally blended source rows and one enlarged row, of the input and of the addend.
static int64_t ring_length(int64_t width, int64_t cin) { return 4 * row_pixels(width) * 2 * pairs(cin); }

size_t gs_direct3x3_scratch_bytes(int64_t width, int64_t cin, int64_t cout) {
    return (size_t)ring_length(width, cin) * sizeof(uint16_t) + (size_t)(3 * width * (cin + cout)) * sizeof(float);
}

// W[g][tap][p][o][j] = w[16g + o][2p + j][tap], zero where o or 2p + j is padding.
void gs_direct3x3_transform_weights(const float *oihw, int64_t cin, int64_t cout, uint16_t *out) {
    memset(out, 0, gs_direct3x3_weights_count(cin, cout) * sizeof(uint16_t));
    const int64_t np = pairs(cin);
    for (int64_t o = 0; o < cout; o++)
        for (int64_t i = 0; i < cin; i++)
            for (int tap = 0; tap < 9; tap++)
                out[(((o / 16) * 9 + tap) * np + i / 2) * 32 + (o % 16) * 2 + (i & 1)] = to_bf16(oihw[(o * cin + i) * 9 + tap]);
}

// A band's enlargements: the row makers of the input and of the addend, and the row each made last.
typedef struct {
    gs_bilinear2x_rows input, addend;
    float *input_row, *addend_row;
} enlargements;

// Input row y, all inputs side by side, rounded to bf16 into `to` (pixel x at x + 1).
TARGET static void load_row(const gs_wino_conv *cv, int64_t y, uint16_t *to, enlargements *e) {
    const int64_t W = cv->width, cp = 2 * pairs(cv->in_channels);
    memset(to, 0, (size_t)(row_pixels(W) * cp) * sizeof(uint16_t));
    if (cv->enlarge_input)
        gs_bilinear2x_row(&e->input, y, cv->input_silu ? NULL : e->input_row, cv->input_silu ? e->input_row : NULL);
    int64_t first = 0;
    for (int64_t s = 0; s < cv->input_count; first += cv->input_channels[s], s++) {
        const int64_t cs = cv->input_channels[s];
        const float *in = cv->enlarge_input ? e->input_row : cv->inputs[s] + y * W * cs;
        for (int64_t x = 0; x < W; x++)
            for (int64_t c = 0; c < cs; c += 16) {
                __mmask16 m = lanes(cs - c);
                __m256i v = (__m256i)_mm512_cvtneps_pbh(_mm512_maskz_loadu_ps(m, in + x * cs + c));
                _mm256_mask_storeu_epi16(to + (x + 1) * cp + first + c, m, v);
            }
    }
}

// Output row y from the bf16 rows above, at and below it (`rows[0..2]`); `addend` is what
// accumulating adds (the row itself, or its enlarged addend).
TARGET static void compute_row(const gs_wino_conv *cv, const uint16_t *rows[3], const float *addend, float *out) {
    const int64_t W = cv->width, cout = cv->out_channels, np = pairs(cv->in_channels), cp = 2 * np;
    for (int64_t g = 0; g < groups(cout); g++) {
        const __mmask16 m = lanes(cout - 16 * g);
        const __m512 bias = cv->bias ? _mm512_maskz_loadu_ps(m, cv->bias + 16 * g) : _mm512_setzero_ps();
        const uint16_t *wg = cv->weights + g * 9 * np * 32;
        for (int64_t x0 = 0; x0 < W; x0 += PIXELS) {
            __m512 acc[PIXELS];
            for (int i = 0; i < PIXELS; i++) acc[i] = _mm512_setzero_ps();
            for (int ky = 0; ky < 3; ky++)
                for (int kx = 0; kx < 3; kx++) {
                    const uint16_t *src = rows[ky] + (x0 + kx) * cp;
                    const uint16_t *w = wg + (ky * 3 + kx) * np * 32;
                    for (int64_t p = 0; p < np; p++) {
                        __m512bh wp = (__m512bh)_mm512_loadu_si512(w + p * 32);
                        for (int i = 0; i < PIXELS; i++) {
                            int32_t pair;
                            memcpy(&pair, src + i * cp + 2 * p, 4);
                            // The broadcast second, where vdpbf16ps takes it as a {1to16} memory operand.
                            acc[i] = _mm512_dpbf16_ps(acc[i], wp, (__m512bh)_mm512_set1_epi32(pair));
                        }
                    }
                }
            const int64_t n = W - x0 < PIXELS ? W - x0 : PIXELS;
            for (int64_t i = 0; i < n; i++) {
                const int64_t at = (x0 + i) * cout + 16 * g;
                store_epilogue(cv, acc[i], bias, addend + at, out + at, m);
            }
        }
    }
}

TARGET static void direct_run(const gs_wino_conv *cv, float *out, int64_t r0, int64_t r1, uint16_t *scratch) {
    const int64_t H = cv->height, W = cv->width, length = row_pixels(W) * 2 * pairs(cv->in_channels);
    const int64_t cin = cv->in_channels, cout = cv->out_channels;
    uint16_t *zero = scratch + 3 * length;
    memset(zero, 0, (size_t)length * sizeof(uint16_t));
    float *floats = (float *)(scratch + ring_length(W, cin));
    enlargements e = {.input_row = floats + 2 * W * cin, .addend_row = floats + 3 * W * cin + 2 * W * cout};
    if (cv->enlarge_input) gs_bilinear2x_rows_init(&e.input, cv->inputs[0], H / 2, W / 2, cin, floats);
    if (cv->enlarged_addend)
        gs_bilinear2x_rows_init(&e.addend, cv->enlarged_addend, H / 2, W / 2, cout, floats + 3 * W * cin);
    int64_t held[3] = {-1, -1, -1};   // the input row each ring slot holds
    for (int64_t y = r0; y < r1; y++) {
        const uint16_t *rows[3];
        for (int k = 0; k < 3; k++) {
            int64_t r = y - 1 + k;
            if (r < 0 || r >= H) { rows[k] = zero; continue; }
            uint16_t *slot = scratch + (r % 3) * length;
            if (held[r % 3] != r) { load_row(cv, r, slot, &e); held[r % 3] = r; }
            rows[k] = slot;
        }
        float *row = out + y * W * cout;
        if (cv->enlarged_addend) gs_bilinear2x_row(&e.addend, y, e.addend_row, NULL);
        compute_row(cv, rows, cv->enlarged_addend ? e.addend_row : row, row);
    }
}

int gs_direct3x3_bf16(const gs_wino_conv *conv, float *output, int64_t row_begin, int64_t row_end, void *scratch) {
    if (!gs_wino_bf16_supported()) return -1;
    if (conv->input_transforms) return -2;
    if ((conv->enlarge_input || conv->enlarged_addend) && (conv->height % 2 || conv->width % 2)) return -2;
    if (conv->enlarge_input && conv->input_count != 1) return -2;
    if (row_end > conv->height) row_end = conv->height;
    direct_run(conv, output, row_begin, row_end, (uint16_t *)scratch);
    return 0;
}
