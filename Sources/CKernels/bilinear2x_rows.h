// Rows of a bilinear ×2 enlargement (PyTorch's align_corners = false), made one at a time: for
// gs_upsample_bilinear2x, and for kernels that read an enlarged map without it being written
// out (direct3x3_bf16.c). Both get the same values, bit for bit.
#ifndef GS_BILINEAR2X_ROWS_H
#define GS_BILINEAR2X_ROWS_H

#include <stdint.h>

typedef struct {
    const float *in;            // NHWC image of h × w × c
    int64_t h, w, c;
    float *slots[2];            // two source rows blended horizontally (2w · c values each)
    int64_t held[2];            // the source row each slot holds, or -1
} gs_bilinear2x_rows;

// Starts over on `in`, with `scratch` for 2 · 2w · c floats.
void gs_bilinear2x_rows_init(gs_bilinear2x_rows *rows, const float *in, int64_t h, int64_t w, int64_t c,
                             float *scratch);

// Writes enlarged row y (2w · c values) to `out` and SiLU of it to `silu_out`, each when not
// NULL. Rows in increasing order reuse the horizontal blends they share.
void gs_bilinear2x_row(gs_bilinear2x_rows *rows, int64_t y, float *out, float *silu_out);

#endif
