#ifndef GS_KERNELS_H
#define GS_KERNELS_H

#include <stddef.h>
#include <stdint.h>

// Gigascale's own SIMD kernels, for what oneDNN does not offer. How the Winograd kernel works:
// winograd_f2x3_bf16.c's header comment; what it measured: README.md, "Speed against ncnn".

/// 1 when this CPU (and its OS) runs AVX-512 F, DQ, BW and VL, else 0.
int gs_avx512_supported(void);

/// 1 when this CPU (and its OS) runs AVX-512 with BF16 dot products, else 0.
int gs_wino_bf16_supported(void);

/// Bilinear ×2 enlargement (PyTorch's align_corners = false) of one NHWC fp32 image into
/// `output` (2·height × 2·width × channels) and, when `silu_output` is not NULL, SiLU of every
/// output value into it, in one pass (upsample_bilinear2x.c). Returns 0, -1 when the CPU lacks
/// AVX-512, or -2 when its two rows of scratch cannot be allocated.
int gs_upsample_bilinear2x(const float *input, int64_t height, int64_t width, int64_t channels, float *output,
                           float *silu_output);

/// SiLU of `count` values from `input` into `output` (which may be `input`), silu.c; relative
/// error below 3e-7. Returns 0, or -1 when the CPU lacks AVX-512.
int gs_silu(const float *input, float *output, int64_t count);

/// Softmax of `count` values in place (softmax.c); e^x of values more than 88 below the row's
/// maximum is taken as 0. Returns 0, or -1 when the CPU lacks AVX-512.
int gs_softmax_in_place(float *row, int64_t count);

/// A 1x1 convolution of `pixels` NHWC pixels of `channels` channels to 3 outputs, fp32
/// (pointwise_rgb.c): output[p][o] = bias[o] + Σ_c input[p][c] · weights[o][c], plus the previous
/// output[p][o] when `accumulate`. Returns 0, -1 when the CPU lacks AVX-512, -2 for a channel
/// count it cannot index.
int gs_pointwise_rgb(const float *input, int64_t pixels, int64_t channels, const float *weights, const float *bias,
                     int accumulate, float *output);

/// Epilogue of a Winograd convolution, applied per output value in this order:
/// v = conv + bias; v += dst (when accumulate; see enlarged_addend); v = act(v); v *= scale;
/// v = silu(v) (when final_silu).
typedef enum { GS_WINO_ACT_NONE = 0, GS_WINO_ACT_LEAKY = 1, GS_WINO_ACT_SILU = 2 } gs_wino_activation;

enum { GS_WINO_MAX_KEPT_INPUTS = 16 };

typedef struct {
    int64_t height, width;          // input = output size (3x3, stride 1, zero padding 1)
    int64_t in_channels, out_channels;
    // The input, as the concatenation along channels of input_count NHWC images of
    // input_channels[k] channels each (summing to in_channels), read in place.
    const float *const *inputs;
    const int64_t *input_channels;
    int64_t input_count;
    // Optional (NULL, or input_count entries, each NULL or a buffer of
    // gs_wino_f2x3_input_transform_count elements): where each input's transform V lives for
    // the whole image. When input_transform_ready[k] is 1 the kernel reads V from there instead of
    // transforming the input again; when 0 it writes V there as it goes. Only for inputs whose
    // channels are a multiple of 16, only when every input's are, and only for at most
    // GS_WINO_MAX_KEPT_INPUTS inputs.
    uint16_t *const *input_transforms;
    const int *input_transform_ready;
    const uint16_t *weights;        // from gs_wino_f2x3_transform_weights
    const float *bias;              // out_channels values, or NULL
    gs_wino_activation activation;
    float alpha;                    // leaky slope
    int accumulate;                 // add the destination's previous values
    float scale;
    int final_silu;                 // SiLU after the scale
    // Direct kernel only (the Winograd kernel refuses them). With enlarge_input the input, one
    // tensor, is half the height and width, and the kernel reads its bilinear ×2 enlargement
    // (gs_upsample_bilinear2x's values; SiLU of them with input_silu) without it being written
    // out. With enlarged_addend, accumulating adds the bilinear ×2 enlargement of that half-size
    // map of out_channels channels instead of the destination's previous values: a residual
    // block's skip path read from the map before its enlargement.
    int enlarge_input;
    int input_silu;
    const float *enlarged_addend;
} gs_wino_conv;

/// bf16 elements the transformed weights of a conv take (16 transformed 4x4 positions, channels
/// padded to the kernel's blocks).
size_t gs_wino_f2x3_weights_count(int64_t in_channels, int64_t out_channels);

/// Transforms OIHW fp32 3x3 weights into the layout gs_wino_f2x3_bf16 reads: G g Gᵀ per channel
/// pair, rounded to bf16.
void gs_wino_f2x3_transform_weights(const float *oihw, int64_t in_channels, int64_t out_channels, uint16_t *out);

/// bf16 elements of one input's whole-image transform (see gs_wino_conv.input_transforms).
size_t gs_wino_f2x3_input_transform_count(int64_t height, int64_t width, int64_t channels);

/// Bytes of scratch one call (one thread) needs.
size_t gs_wino_f2x3_scratch_bytes(int64_t in_channels, int64_t out_channels);

/// Computes the output rows [2·tile_row_begin, 2·tile_row_end) (clipped to the height) of one
/// image: NHWC fp32 input and output. Calls on disjoint tile-row ranges may run concurrently,
/// each with its own scratch (64-byte aligned). Returns 0, -1 when the CPU lacks the
/// instructions, or -2 when kept transforms break the rules of gs_wino_conv.input_transforms.
int gs_wino_f2x3_bf16(const gs_wino_conv *conv, float *output, int64_t tile_row_begin, int64_t tile_row_end,
                      void *scratch);

/// A direct 3x3 convolution (stride 1, zero padding 1) in bf16 with fp32 accumulation
/// (direct3x3_bf16.c), for layers too narrow for Winograd: the same gs_wino_conv, with weights
/// from gs_direct3x3_transform_weights and no kept transforms. Computes output rows
/// [row_begin, row_end) of one image; calls on disjoint rows may run concurrently, each with its
/// own scratch of gs_direct3x3_scratch_bytes. Returns 0, -1 when the CPU lacks the
/// instructions, or -2 when kept transforms are given or an enlarged input is not one tensor of
/// even height and width.
size_t gs_direct3x3_weights_count(int64_t in_channels, int64_t out_channels);
void gs_direct3x3_transform_weights(const float *oihw, int64_t in_channels, int64_t out_channels, uint16_t *out);
size_t gs_direct3x3_scratch_bytes(int64_t width, int64_t in_channels, int64_t out_channels);
int gs_direct3x3_bf16(const gs_wino_conv *conv, float *output, int64_t row_begin, int64_t row_end, void *scratch);

#endif
