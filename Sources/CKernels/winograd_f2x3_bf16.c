// Winograd F(2x2, 3x3) convolution in bf16 with fp32 accumulation (AVX-512 BF16).
//
// Per 2x2 block of outputs ("tile") the 4x4 input patch d becomes V = Bᵀ d B, each channel's
// 3x3 kernel g becomes U = G g Gᵀ (once, at load), the 16 positions of the 4x4 transformed
// domain are 16 independent matrix products M[ξ] = V[ξ] · U[ξ] over the input channels, and
// Y = Aᵀ M A gives the 2x2 outputs: 16 multiply-adds per tile and channel pair where direct
// convolution does 36. The products run on vdpbf16ps (pairs of bf16 into fp32), the
// transforms in fp32. Tiles are processed in blocks sized so that a block's V and M stay in
// the core's L2 cache. The input may be a concatenation of several images along channels,
// each read where it lies, so a dense block's concatenation is never written out.
//
//   Bᵀ = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]
//   G  = [1 0 0; ½ ½ ½; ½ -½ ½; 0 0 1]
//   Aᵀ = [1 1 1 0; 0 1 -1 -1]
#include "gs_kernels.h"
#include "simd_math.h"

#include <immintrin.h>
#include <string.h>

#define TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx512bf16")))

enum { ROWS = 12, BLOCK_BYTES = 512 * 1024, MAX_BLOCK = 240 };

static int64_t round_up(int64_t x, int64_t m) { return (x + m - 1) / m * m; }
static int64_t padded_in(int64_t c) { return round_up(c, 16); }
// A V row: the padded channels and 16 of slack, as a segment's last 16 lanes may reach past them.
static int64_t v_stride(int64_t c) { return padded_in(c) + 16; }
static int64_t padded_out(int64_t c) { return round_up(c, 32); }

// Tiles per block: a multiple of ROWS whose V (bf16) and M (fp32) fit BLOCK_BYTES.
static int64_t block_tiles(int64_t cin, int64_t cout) {
    int64_t per_tile = 16 * (2 * v_stride(cin) + 4 * padded_out(cout));
    int64_t n = BLOCK_BYTES / per_tile / ROWS * ROWS;
    return n < ROWS ? ROWS : (n > MAX_BLOCK ? MAX_BLOCK : n);
}

size_t gs_wino_f2x3_weights_count(int64_t cin, int64_t cout) { return (size_t)(16 * padded_in(cin) * padded_out(cout)); }

// ROWS rows of slack: the multiply's last row group may read past the last tile of plane 15.
size_t gs_wino_f2x3_input_transform_count(int64_t height, int64_t width, int64_t channels) {
    return (size_t)((16 * ((height + 1) / 2) * ((width + 1) / 2) + ROWS) * channels);
}

size_t gs_wino_f2x3_scratch_bytes(int64_t cin, int64_t cout) {
    int64_t tb = block_tiles(cin, cout);
    return (size_t)(16 * tb * (2 * v_stride(cin) + 4 * padded_out(cout)));
}

// U[ξ][i/2][o][i%2], zero where i or o is padding.
void gs_wino_f2x3_transform_weights(const float *w, int64_t cin, int64_t cout, uint16_t *u) {
    static const float G[4][3] = {{1, 0, 0}, {.5f, .5f, .5f}, {.5f, -.5f, .5f}, {0, 0, 1}};
    int64_t cinp = padded_in(cin), coutp = padded_out(cout);
    memset(u, 0, gs_wino_f2x3_weights_count(cin, cout) * sizeof(uint16_t));
    for (int64_t o = 0; o < cout; o++)
        for (int64_t i = 0; i < cin; i++) {
            const float *g = w + (o * cin + i) * 9;
            float t[4][3];
            for (int a = 0; a < 4; a++)
                for (int b = 0; b < 3; b++) t[a][b] = G[a][0] * g[b] + G[a][1] * g[3 + b] + G[a][2] * g[6 + b];
            for (int a = 0; a < 4; a++)
                for (int b = 0; b < 4; b++) {
                    float v = t[a][0] * G[b][0] + t[a][1] * G[b][1] + t[a][2] * G[b][2];
                    u[(((int64_t)(a * 4 + b) * (cinp / 2) + i / 2) * coutp + o) * 2 + (i & 1)] = to_bf16(v);
                }
        }
}

// Bᵀ d B of one tile's 16 channels d[4][4], stored as bf16 at v (plane stride `plane`).
TARGET static inline void transform_patch(__m512 d[4][4], uint16_t *v, int64_t plane) {
    __m512 t[4][4];
    for (int b = 0; b < 4; b++) {
        t[0][b] = _mm512_sub_ps(d[0][b], d[2][b]);
        t[1][b] = _mm512_add_ps(d[1][b], d[2][b]);
        t[2][b] = _mm512_sub_ps(d[2][b], d[1][b]);
        t[3][b] = _mm512_sub_ps(d[1][b], d[3][b]);
    }
    for (int a = 0; a < 4; a++) {
        __m512 r[4] = {_mm512_sub_ps(t[a][0], t[a][2]), _mm512_add_ps(t[a][1], t[a][2]),
                       _mm512_sub_ps(t[a][2], t[a][1]), _mm512_sub_ps(t[a][1], t[a][3])};
        for (int b = 0; b < 4; b++)
            _mm256_storeu_si256((__m256i *)(v + (int64_t)(a * 4 + b) * plane), (__m256i)_mm512_cvtneps_pbh(r[b]));
    }
}

// Where the multiply reads a run of input channels [first, first + 2·pairs): V[ξ][k] of the
// block's k-th tile starts at base + ξ·plane + k·row.
typedef struct {
    const uint16_t *base;
    int64_t plane, row, first, pairs;
    int in_block;                     // the block's V (else an input's kept transform)
} v_source;

static int64_t tile_count(const gs_wino_conv *cv) { return ((cv->height + 1) / 2) * ((cv->width + 1) / 2); }

static uint16_t *kept_transform(const gs_wino_conv *cv, int64_t s) {
    return cv->input_transforms ? cv->input_transforms[s] : NULL;
}

// The runs of channels the multiply reads for the block of tiles from t0: each input with a kept
// transform from its own whole-image V, the others (merged where adjacent) from the block's V.
static int64_t v_sources(const gs_wino_conv *cv, int64_t t0, int64_t tb, const uint16_t *v, v_source *out) {
    const int64_t vs = v_stride(cv->in_channels), T = tile_count(cv);
    int64_t n = 0, first = 0;
    for (int64_t s = 0; s < cv->input_count; first += cv->input_channels[s], s++) {
        const int64_t cs = cv->input_channels[s];
        const uint16_t *kept = kept_transform(cv, s);
        if (kept) {
            out[n++] = (v_source){kept + t0 * cs, T * cs, cs, first, cs / 2, 0};
        } else if (n > 0 && out[n - 1].in_block) {
            out[n - 1].pairs = (first + cs - out[n - 1].first + 1) / 2;
        } else {
            out[n++] = (v_source){v + first, tb * vs, vs, first, (cs + 1) / 2, 1};
        }
    }
    // A block run that ends the input also covers the channel padding.
    if (out[n - 1].in_block) out[n - 1].pairs = (padded_in(cv->in_channels) - out[n - 1].first) / 2;
    return n;
}

// V[ξ][k][c] = (Bᵀ d B)[ξ] for the block's tiles, bf16, tile by tile and, within a tile, channel
// by channel through the input's segments (so each tile's pixels are read while in cache and its
// V rows written whole); channels past in_channels are zero. An input with a kept transform is
// skipped when it is ready and written to it otherwise. Sharing the vertical transform of the
// two columns neighbouring tiles overlap on, channel group by channel group along a row,
// measured slower: V rows were then written in pieces.
TARGET static void transform_input(const gs_wino_conv *cv, int64_t t0, int64_t nt, int64_t tw, int64_t tb, uint16_t *v) {
    const int64_t H = cv->height, W = cv->width, cin = cv->in_channels, vs = v_stride(cin), plane = tb * vs, T = tile_count(cv);
    for (int64_t k = 0; k < nt; k++) {
        int64_t ty = (t0 + k) / tw, tx = (t0 + k) % tw, y0 = 2 * ty - 1, x0 = 2 * tx - 1;
        int interior = y0 >= 0 && x0 >= 0 && y0 + 4 <= H && x0 + 4 <= W;
        uint16_t *row = v + k * vs;
        int64_t first = 0;
        for (int64_t s = 0; s < cv->input_count; first += cv->input_channels[s], s++) {
            const int64_t cs = cv->input_channels[s];
            uint16_t *kept = kept_transform(cv, s);
            if (kept && cv->input_transform_ready[s]) continue;
            uint16_t *dst = kept ? kept + (t0 + k) * cs : row + first;
            const int64_t dst_plane = kept ? T * cs : plane;
            const float *in = cv->inputs[s];
            for (int64_t c = 0; c < cs; c += 16) {
                __mmask16 m = lanes(cs - c);
                __m512 d[4][4];
                if (interior && m == 0xFFFF) {       // the common case: plain loads
                    const float *p = in + (y0 * W + x0) * cs + c;
                    for (int a = 0; a < 4; a++)
                        for (int b = 0; b < 4; b++) d[a][b] = _mm512_loadu_ps(p + (a * W + b) * cs);
                } else {
                    for (int a = 0; a < 4; a++)
                        for (int b = 0; b < 4; b++) {
                            int64_t y = y0 + a, x = x0 + b;
                            d[a][b] = (interior || (y >= 0 && y < H && x >= 0 && x < W))
                                          ? _mm512_maskz_loadu_ps(m, in + (y * W + x) * cs + c) : _mm512_setzero_ps();
                        }
                }
                transform_patch(d, dst + c, dst_plane);
            }
        }
        if (cin % 16) {
            __m512 zero[4][4];
            for (int a = 0; a < 4; a++)
                for (int b = 0; b < 4; b++) zero[a][b] = _mm512_setzero_ps();
            transform_patch(zero, row + cin, plane);
        }
    }
}

// M[ξ][k][o] = Σ_i V[ξ][k][i] U[ξ][i][o], ROWS tiles × 32 outputs at a time (rows past the
// block's tiles are computed from whatever V lies there and ignored).
TARGET static void multiply(const gs_wino_conv *cv, int64_t nt, int64_t tb, const v_source *src, int64_t nsrc, float *mo) {
    const int64_t cinp = padded_in(cv->in_channels), coutp = padded_out(cv->out_channels);
    for (int x = 0; x < 16; x++) {
        const uint16_t *ux = cv->weights + (int64_t)x * cinp * coutp;
        for (int64_t og = 0; og < coutp; og += 32)
            for (int64_t k0 = 0; k0 < nt; k0 += ROWS) {
                __m512 acc[ROWS][2];
                for (int r = 0; r < ROWS; r++) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
                for (int64_t s = 0; s < nsrc; s++) {
                    const int64_t rs = src[s].row;
                    const uint16_t *vx = src[s].base + x * src[s].plane + k0 * rs;
                    const uint16_t *us = ux + (src[s].first / 2 * coutp + og) * 2;
                    for (int64_t ip = 0; ip < src[s].pairs; ip++) {
                        __m512bh b0 = (__m512bh)_mm512_loadu_si512(us + ip * coutp * 2);
                        __m512bh b1 = (__m512bh)_mm512_loadu_si512(us + ip * coutp * 2 + 32);
                        for (int r = 0; r < ROWS; r++) {
                            int32_t pair;
                            memcpy(&pair, vx + r * rs + 2 * ip, 4);
                            __m512bh a = (__m512bh)_mm512_set1_epi32(pair);
                            acc[r][0] = _mm512_dpbf16_ps(acc[r][0], a, b0);
                            acc[r][1] = _mm512_dpbf16_ps(acc[r][1], a, b1);
                        }
                    }
                }
                for (int r = 0; r < ROWS; r++) {
                    float *row = mo + ((int64_t)x * tb + k0 + r) * coutp + og;
                    _mm512_storeu_ps(row, acc[r][0]);
                    _mm512_storeu_ps(row + 16, acc[r][1]);
                }
            }
    }
}

// Y = Aᵀ M A per tile and channel, then the epilogue, into the NHWC output.
TARGET static void transform_output(const gs_wino_conv *cv, float *out, int64_t t0, int64_t nt, int64_t tw, int64_t tb,
                                    const float *mo) {
    const int64_t H = cv->height, W = cv->width, cout = cv->out_channels, coutp = padded_out(cout);
    for (int64_t k = 0; k < nt; k++) {
        int64_t ty = (t0 + k) / tw, tx = (t0 + k) % tw;
        for (int64_t o = 0; o < cout; o += 16) {
            __mmask16 m = lanes(cout - o);
            __m512 s[16];
            for (int x = 0; x < 16; x++) s[x] = _mm512_loadu_ps(mo + ((int64_t)x * tb + k) * coutp + o);
            __m512 r0[4], r1[4];
            for (int b = 0; b < 4; b++) {
                r0[b] = _mm512_add_ps(_mm512_add_ps(s[b], s[4 + b]), s[8 + b]);
                r1[b] = _mm512_sub_ps(_mm512_sub_ps(s[4 + b], s[8 + b]), s[12 + b]);
            }
            __m512 y[2][2] = {
                {_mm512_add_ps(_mm512_add_ps(r0[0], r0[1]), r0[2]), _mm512_sub_ps(_mm512_sub_ps(r0[1], r0[2]), r0[3])},
                {_mm512_add_ps(_mm512_add_ps(r1[0], r1[1]), r1[2]), _mm512_sub_ps(_mm512_sub_ps(r1[1], r1[2]), r1[3])}};
            __m512 bias = cv->bias ? _mm512_maskz_loadu_ps(m, cv->bias + o) : _mm512_setzero_ps();
            for (int a = 0; a < 2; a++)
                for (int b = 0; b < 2; b++) {
                    int64_t yy = 2 * ty + a, xx = 2 * tx + b;
                    if (yy < H && xx < W) store_epilogue(cv, y[a][b], bias, out + (yy * W + xx) * cout + o, out + (yy * W + xx) * cout + o, m);
                }
        }
    }
}

TARGET static void run(const gs_wino_conv *cv, float *out, int64_t tr0, int64_t tr1, void *scratch) {
    const int64_t tw = (cv->width + 1) / 2, th = (cv->height + 1) / 2;
    if (tr1 > th) tr1 = th;
    const int64_t tb = block_tiles(cv->in_channels, cv->out_channels);
    uint16_t *v = (uint16_t *)scratch;
    float *mo = (float *)(v + 16 * tb * v_stride(cv->in_channels));
    for (int64_t t0 = tr0 * tw, end = tr1 * tw; t0 < end; t0 += tb) {
        int64_t nt = end - t0 < tb ? end - t0 : tb;
        transform_input(cv, t0, nt, tw, tb, v);
        v_source src[GS_WINO_MAX_KEPT_INPUTS];
        multiply(cv, nt, tb, src, v_sources(cv, t0, tb, v, src), mo);
        transform_output(cv, out, t0, nt, tw, tb, mo);
    }
}

int gs_wino_f2x3_bf16(const gs_wino_conv *conv, float *output, int64_t tr0, int64_t tr1, void *scratch) {
    if (!gs_wino_bf16_supported()) return -1;
    if (conv->enlarge_input || conv->enlarged_addend) return -2;
    if (conv->input_transforms) {
        if (conv->input_count > GS_WINO_MAX_KEPT_INPUTS) return -2;
        for (int64_t s = 0; s < conv->input_count; s++)
            if (conv->input_channels[s] % 16) return -2;
    }
    run(conv, output, tr0, tr1, scratch);
    return 0;
}
