// The one place Gigascale calls oneDNN. Every function compiles against oneDNN 2.x (Debian 12's
// 2.6) and 3.x (where primitive descriptors are created directly, without op descriptors).
// Activations are float32 NHWC at this boundary; weights are handed over once as float32 OIHW
// (or [K, N] for matmul) and reordered into whatever layout the primitive prefers.
// Every call returns 0 on success or writes a message into `err` and returns non-zero.
#ifndef GS_DNNL_H
#define GS_DNNL_H
#include <stddef.h>
#include <stdint.h>

typedef struct gs_dnnl_context gs_dnnl_context;
typedef struct gs_weighted gs_weighted;
typedef struct gs_unary gs_unary;
typedef struct gs_product gs_product;

/// Fused activation applied after bias (oneDNN eltwise post-op).
typedef enum {
    GS_ACT_NONE = 0,
    GS_ACT_RELU = 1,        // alpha = negative slope: 0.2 gives LeakyReLU(0.2)
    GS_ACT_SILU = 2,
    GS_ACT_GELU_ERF = 3,
} gs_activation;

typedef struct {
    int64_t batch, in_channels, in_height, in_width;
    int64_t out_channels, kernel_height, kernel_width;
    int64_t stride_h, stride_w;
    int64_t pad_top, pad_left, pad_bottom, pad_right;
    int has_bias;
    gs_activation activation;
    float activation_alpha;
    int use_bf16;           // bf16 weights and source, float32 accumulation and output
    int accumulate;         // add the destination's previous contents (sum post-op), before the activation
    float output_scale;     // multiply the result by this last (1: no scaling)
    int winograd;           // try oneDNN's Winograd algorithm (fp32, 3x3, stride 1, no accumulate);
                            // falls back to direct where it is unavailable
    gs_activation final_activation;   // applied after output_scale (GS_ACT_NONE: none)
} gs_conv_params;

typedef struct {
    int64_t batch;          // leading batch of the source: [batch, m, k] x [k, n] -> [batch, m, n]
    int64_t m, k, n;
    int has_bias;           // bias of n values
    gs_activation activation;
    float activation_alpha;
    int use_bf16;
} gs_matmul_params;

int gs_dnnl_context_create(gs_dnnl_context **out, char *err, size_t err_len);
void gs_dnnl_context_destroy(gs_dnnl_context *ctx);

/// Whether the CPU has native bf16 instructions (AVX512-BF16 or AMX) per oneDNN.
int gs_dnnl_has_bf16(void);
/// 1 when oneDNN runs its threads on OpenMP and the OpenMP runtime is loaded, 0 otherwise.
int gs_openmp_runtime(void);
/// A human-readable name of the instruction set oneDNN dispatches to.
const char *gs_dnnl_isa_name(void);
/// The oneDNN version as "major.minor.patch".
const char *gs_dnnl_version(void);

/// A primitive with prepared weights: a convolution or a matmul. Both are made once per input
/// shape, run many times, and share every call but their creation.
///
/// Convolution: output spatial size follows PyTorch's formula. `weights` is OIHW float32,
/// `bias` out_channels floats or NULL. Both are copied (reordered) and may be freed afterwards.
/// src: [batch, in_h, in_w, in_c] float32; dst: [batch, out_h, out_w, out_c] float32.
int gs_conv_create(gs_dnnl_context *ctx, const gs_conv_params *p, const float *weights, const float *bias,
                   gs_weighted **out, char *err, size_t err_len);
/// Matrix product with a constant right-hand side: weights [k, n] row-major float32, bias n
/// floats or NULL. src: [batch, m, k] float32; dst: [batch, m, n] float32.
int gs_matmul_create(gs_dnnl_context *ctx, const gs_matmul_params *p, const float *weights, const float *bias,
                     gs_weighted **out, char *err, size_t err_len);
/// Replaces the weights and bias (same shapes, same layouts as at creation), e.g. per style.
int gs_weighted_set_weights(gs_weighted *op, const float *weights, const float *bias, char *err, size_t err_len);
/// Runs the primitive from `src` into `dst` (float32, laid out as its creation says).
int gs_weighted_execute(gs_weighted *op, const float *src, float *dst, int threads, char *err, size_t err_len);
/// The implementation oneDNN chose, e.g. "brg:avx512_core".
const char *gs_weighted_implementation(const gs_weighted *op);
void gs_weighted_destroy(gs_weighted *op);

/// A one-input, one-output float32 primitive (element-wise) with its own scratchpad; src and dst
/// may be the same buffer.
int gs_unary_execute(gs_unary *op, const float *src, float *dst, int threads, char *err, size_t err_len);
void gs_unary_destroy(gs_unary *op);
/// An activation applied to `count` contiguous float32 values.
int gs_eltwise_create(gs_dnnl_context *ctx, int64_t count, gs_activation activation, float alpha,
                      gs_unary **out, char *err, size_t err_len);

/// A float32 matrix product of two operands given at run time, over a batch of two leading
/// dimensions: c[i, j, m, n] = scale · Σ_k a[i, j, m, k] · b[i, j, k, n]. Each operand's element
/// strides are free, so per-head slices of token tensors are read and written in place
/// (attention's q·kᵀ and p·v without packing).
typedef struct {
    int64_t batch0, batch1, m, k, n;
    int64_t a_strides[4], b_strides[4], c_strides[4];
    float scale;
} gs_product_params;
int gs_product_create(gs_dnnl_context *ctx, const gs_product_params *p, gs_product **out, char *err, size_t err_len);
int gs_product_execute(gs_product *op, const float *a, const float *b, float *c, int threads, char *err, size_t err_len);
void gs_product_destroy(gs_product *op);

/// glibc only: serve blocks up to `largest_heap_block` bytes from the heap, never trim freed heap,
/// and grow it `top_pad` bytes at a time. Returns 1 when all three settings took, 0 otherwise.
int gs_retain_freed_memory(int largest_heap_block, int top_pad);

#endif
