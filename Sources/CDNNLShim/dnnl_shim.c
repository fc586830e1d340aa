#include "gs_dnnl.h"
#include <oneapi/dnnl/dnnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// OpenMP is oneDNN's threading runtime on Debian. omp_set_num_threads sets the calling thread's
// team size, so it is applied right before each execute; weak, because other runtimes lack it.
extern void omp_set_num_threads(int) __attribute__((weak));

static void set_threads(int threads) {
#if DNNL_CPU_RUNTIME == DNNL_RUNTIME_OMP
    if (threads > 0 && omp_set_num_threads) omp_set_num_threads(threads);
#else
    (void)threads;
#endif
}

int gs_openmp_runtime(void) {
#if DNNL_CPU_RUNTIME == DNNL_RUNTIME_OMP
    return omp_set_num_threads != NULL;
#else
    return 0;
#endif
}

#define FAIL(what) do { snprintf(err, err_len, "%s", what); goto fail; } while (0)
#define CHECK(call, what) do { dnnl_status_t s_ = (call); if (s_ != dnnl_success) { \
    snprintf(err, err_len, "%s failed (oneDNN status %d)", what, (int)s_); goto fail; } } while (0)

// ---- oneDNN 2.x / 3.x differences, kept to these few helpers ---------------------------------
#if DNNL_VERSION_MAJOR >= 3
typedef dnnl_memory_desc_t gs_md;             // an opaque handle that must be destroyed
typedef const_dnnl_memory_desc_t gs_md_ref;
static dnnl_status_t md_init(gs_md *md, int nd, const dnnl_dims_t dims, dnnl_data_type_t dt, dnnl_format_tag_t tag) {
    return dnnl_memory_desc_create_with_tag(md, nd, dims, dt, tag);
}
static gs_md_ref md_ref(const gs_md *md) { return *md; }
static void md_free(gs_md *md) { if (*md) dnnl_memory_desc_destroy(*md); *md = NULL; }
static dnnl_status_t md_init_strided(gs_md *md, int nd, const dnnl_dims_t dims, const dnnl_dims_t strides) {
    return dnnl_memory_desc_create_with_strides(md, nd, dims, dnnl_f32, strides);
}
static dnnl_status_t append_eltwise(dnnl_post_ops_t po, dnnl_alg_kind_t alg, float alpha) {
    return dnnl_post_ops_append_eltwise(po, alg, alpha, 0.f);
}
static dnnl_status_t append_sum(dnnl_post_ops_t po) {
    return dnnl_post_ops_append_sum(po, 1.f, 0, dnnl_data_type_undef);
}
#else
typedef dnnl_memory_desc_t gs_md;             // a plain struct
typedef const dnnl_memory_desc_t *gs_md_ref;
static dnnl_status_t md_init(gs_md *md, int nd, const dnnl_dims_t dims, dnnl_data_type_t dt, dnnl_format_tag_t tag) {
    return dnnl_memory_desc_init_by_tag(md, nd, dims, dt, tag);
}
static gs_md_ref md_ref(const gs_md *md) { return md; }
static void md_free(gs_md *md) { (void)md; }
static dnnl_status_t md_init_strided(gs_md *md, int nd, const dnnl_dims_t dims, const dnnl_dims_t strides) {
    return dnnl_memory_desc_init_by_strides(md, nd, dims, dnnl_f32, strides);
}
static dnnl_status_t append_eltwise(dnnl_post_ops_t po, dnnl_alg_kind_t alg, float alpha) {
    return dnnl_post_ops_append_eltwise(po, 1.f, alg, alpha, 0.f);
}
static dnnl_status_t append_sum(dnnl_post_ops_t po) {
    return dnnl_post_ops_append_sum(po, 1.f);
}
#endif

struct gs_dnnl_context {
    dnnl_engine_t engine;
    dnnl_stream_t stream;
};

int gs_dnnl_context_create(gs_dnnl_context **out, char *err, size_t err_len) {
    gs_dnnl_context *ctx = calloc(1, sizeof *ctx);
    if (!ctx) { snprintf(err, err_len, "out of memory"); return 1; }
    CHECK(dnnl_engine_create(&ctx->engine, dnnl_cpu, 0), "creating the oneDNN CPU engine");
    CHECK(dnnl_stream_create(&ctx->stream, ctx->engine, dnnl_stream_default_flags), "creating a oneDNN stream");
    *out = ctx;
    return 0;
fail:
    gs_dnnl_context_destroy(ctx);
    return 1;
}

void gs_dnnl_context_destroy(gs_dnnl_context *ctx) {
    if (!ctx) return;
    if (ctx->stream) dnnl_stream_destroy(ctx->stream);
    if (ctx->engine) dnnl_engine_destroy(ctx->engine);
    free(ctx);
}

int gs_dnnl_has_bf16(void) {
    dnnl_cpu_isa_t isa = dnnl_get_effective_cpu_isa();
    return isa == dnnl_cpu_isa_avx512_core_bf16 || isa == dnnl_cpu_isa_avx512_core_amx
#if DNNL_VERSION_MAJOR >= 3
        || isa == dnnl_cpu_isa_avx2_vnni_2 || isa == dnnl_cpu_isa_avx512_core_fp16
#endif
        ;
}

const char *gs_dnnl_isa_name(void) {
    switch (dnnl_get_effective_cpu_isa()) {
    case dnnl_cpu_isa_avx512_core_amx: return "avx512_core_amx";
    case dnnl_cpu_isa_avx512_core_bf16: return "avx512_core_bf16";
    case dnnl_cpu_isa_avx512_core_vnni: return "avx512_core_vnni";
    case dnnl_cpu_isa_avx512_core: return "avx512_core";
    case dnnl_cpu_isa_avx2: return "avx2";
    case dnnl_cpu_isa_avx: return "avx";
    case dnnl_cpu_isa_sse41: return "sse41";
    default: return "other";
    }
}

const char *gs_dnnl_version(void) {
    static char text[32];
    const dnnl_version_t *v = dnnl_version();
    snprintf(text, sizeof text, "%d.%d.%d", v->major, v->minor, v->patch);
    return text;
}

static dnnl_alg_kind_t activation_alg(gs_activation a) {
    switch (a) {
    case GS_ACT_RELU: return dnnl_eltwise_relu;
    case GS_ACT_SILU: return dnnl_eltwise_swish;      // x * sigmoid(alpha x) with alpha 1
    case GS_ACT_GELU_ERF: return dnnl_eltwise_gelu_erf;
    default: return dnnl_alg_kind_undef;
    }
}

/// A post-op multiplying by `scale` (oneDNN's linear eltwise: alpha x + beta).
static dnnl_status_t append_linear(dnnl_post_ops_t po, float scale) {
#if DNNL_VERSION_MAJOR >= 3
    return dnnl_post_ops_append_eltwise(po, dnnl_eltwise_linear, scale, 0.f);
#else
    return dnnl_post_ops_append_eltwise(po, 1.f, dnnl_eltwise_linear, scale, 0.f);
#endif
}

/// Attributes with a user-managed scratchpad and, in this order, these post-ops: the sum with the
/// destination's previous contents (`accumulate`), the activation, a `scale`, and a final
/// activation (`last`, SiLU or none).
///
/// The scratchpad must be ours: oneDNN's library-managed one is tied to the thread that created
/// the primitive and freed when that thread exits, while Swift runs work on whatever pool thread
/// is free -- executing there corrupted the heap. Each primitive gets its own scratchpad memory.
static dnnl_status_t make_attr_chain(int accumulate, gs_activation act, float alpha, float scale, gs_activation last,
                                     dnnl_primitive_attr_t *attr) {
    dnnl_status_t s = dnnl_primitive_attr_create(attr);
    if (s == dnnl_success) s = dnnl_primitive_attr_set_scratchpad_mode(*attr, dnnl_scratchpad_mode_user);
    if (s != dnnl_success || (!accumulate && act == GS_ACT_NONE && scale == 1.f && last == GS_ACT_NONE)) return s;
    dnnl_post_ops_t po = NULL;
    s = dnnl_post_ops_create(&po);
    if (s == dnnl_success && accumulate) s = append_sum(po);
    if (s == dnnl_success && act != GS_ACT_NONE)
        s = append_eltwise(po, activation_alg(act), act == GS_ACT_SILU ? 1.f : alpha);
    if (s == dnnl_success && scale != 1.f) s = append_linear(po, scale);
    if (s == dnnl_success && last != GS_ACT_NONE) s = append_eltwise(po, activation_alg(last), 1.f);
    if (s == dnnl_success) s = dnnl_primitive_attr_set_post_ops(*attr, po);
    if (po) dnnl_post_ops_destroy(po);
    return s;
}

/// Attributes with a user-managed scratchpad and the activation as a post-op (if any).
static dnnl_status_t make_attr(gs_activation act, float alpha, dnnl_primitive_attr_t *attr) {
    return make_attr_chain(0, act, alpha, 1.f, GS_ACT_NONE, attr);
}

/// Allocates the scratchpad memory a primitive descriptor asks for.
static dnnl_status_t make_scratchpad(gs_dnnl_context *ctx, const_dnnl_primitive_desc_t pd, dnnl_memory_t *out) {
    return dnnl_memory_create(out, dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0), ctx->engine,
                              DNNL_MEMORY_ALLOCATE);
}

/// A reorder primitive between two layouts (or data types), with its own scratchpad.
typedef struct {
    dnnl_primitive_t prim;
    dnnl_memory_t scratchpad;
} gs_reorder;

static void reorder_destroy(gs_reorder *r) {
    if (r->prim) dnnl_primitive_destroy(r->prim);
    if (r->scratchpad) dnnl_memory_destroy(r->scratchpad);
    r->prim = NULL;
    r->scratchpad = NULL;
}

/// Makes `r`, reordering memory laid out as `from` into memory laid out as `to`.
static dnnl_status_t reorder_create(gs_dnnl_context *ctx, gs_md_ref from, gs_md_ref to, gs_reorder *r) {
    dnnl_primitive_attr_t attr = NULL;
    dnnl_primitive_desc_t pd = NULL;
    dnnl_status_t s = make_attr(GS_ACT_NONE, 0, &attr);
    if (s == dnnl_success) s = dnnl_reorder_primitive_desc_create(&pd, from, ctx->engine, to, ctx->engine, attr);
    if (s == dnnl_success) s = make_scratchpad(ctx, pd, &r->scratchpad);
    if (s == dnnl_success) s = dnnl_primitive_create(&r->prim, pd);
    if (pd) dnnl_primitive_desc_destroy(pd);
    if (attr) dnnl_primitive_attr_destroy(attr);
    if (s != dnnl_success) reorder_destroy(r);
    return s;
}

/// Queues `r` on the context's stream, from `from` into `to`.
static dnnl_status_t reorder_run(gs_dnnl_context *ctx, const gs_reorder *r, dnnl_memory_t from, dnnl_memory_t to) {
    dnnl_exec_arg_t args[3] = {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}, {DNNL_ARG_SCRATCHPAD, r->scratchpad}};
    return dnnl_primitive_execute(r->prim, ctx->stream, 3, args);
}

/// Reorders the user values described by `user_md` into the memory object `dst`, now.
static dnnl_status_t reorder_into(gs_dnnl_context *ctx, gs_md_ref user_md, const void *user, dnnl_memory_t dst) {
    gs_md_ref dst_md = NULL;
    dnnl_memory_t src = NULL;
    gs_reorder r = {0};
    dnnl_status_t s = dnnl_memory_get_memory_desc(dst, &dst_md);
    if (s == dnnl_success) s = dnnl_memory_create(&src, user_md, ctx->engine, (void *)user);
    if (s == dnnl_success) s = reorder_create(ctx, user_md, dst_md, &r);
    if (s == dnnl_success) s = reorder_run(ctx, &r, src, dst);
    if (s == dnnl_success) s = dnnl_stream_wait(ctx->stream);
    reorder_destroy(&r);
    if (src) dnnl_memory_destroy(src);
    return s;
}

// ---- weighted primitives (convolution, matmul) -------------------------------------------------
// Both are one oneDNN primitive with prepared weights and an optional bias, run on caller-owned
// float32 NHWC source and destination, with the source converted when the primitive computes on
// another (bf16, or Winograd's blocked layout) and the result delivered from Winograd's blocked
// one. Only their descriptors differ: `weighted_finish` does everything after the descriptor.
struct gs_weighted {
    gs_dnnl_context *ctx;
    int has_bias;
    dnnl_primitive_desc_t pd;
    dnnl_primitive_t prim;
    gs_reorder src_convert;                 // caller's source -> src_computed: f32 -> bf16, or NHWC -> blocked
    gs_reorder dst_deliver;                 // dst_computed -> caller's destination (Winograd's blocked -> NHWC)
    dnnl_memory_t src_user, src_computed, weights, bias, dst, dst_computed, scratchpad;
    gs_md user_weights_md, user_bias_md;    // the float32 layouts weights and bias are handed over in
    char impl[64];
};

void gs_weighted_destroy(gs_weighted *w) {
    if (!w) return;
    if (w->prim) dnnl_primitive_destroy(w->prim);
    reorder_destroy(&w->src_convert);
    reorder_destroy(&w->dst_deliver);
    if (w->pd) dnnl_primitive_desc_destroy(w->pd);
    dnnl_memory_t mems[] = {w->src_user, w->src_computed, w->weights, w->bias, w->dst, w->dst_computed, w->scratchpad};
    for (size_t i = 0; i < sizeof mems / sizeof *mems; i++) if (mems[i]) dnnl_memory_destroy(mems[i]);
    md_free(&w->user_weights_md);
    md_free(&w->user_bias_md);
    free(w);
}

int gs_weighted_set_weights(gs_weighted *w, const float *weights, const float *bias, char *err, size_t err_len) {
    CHECK(reorder_into(w->ctx, md_ref(&w->user_weights_md), weights, w->weights), "reordering the weights");
    if (w->has_bias) {
        if (!bias) FAIL("created with a bias but given none");
        CHECK(reorder_into(w->ctx, md_ref(&w->user_bias_md), bias, w->bias), "copying the bias");
    }
    return 0;
fail:
    return 1;
}

/// A new primitive's shared part, before its descriptor exists.
static gs_weighted *weighted_alloc(gs_dnnl_context *ctx, int has_bias) {
    gs_weighted *w = calloc(1, sizeof *w);
    if (w) { w->ctx = ctx; w->has_bias = has_bias; }
    return w;
}

/// Everything after `w->pd` is made: the primitive, its scratchpad, weights and bias memory
/// (filled from `weights`, `bias`), the bound source and destination, and their conversions.
/// `src_md` is the source as computed, `src_f32_md` as handed over; `convert_src` asks for a
/// reorder from the second to the first before each run. `dst_md` is the caller's destination;
/// when `computed_dst_md` is not NULL the primitive writes there instead and a reorder delivers it.
static int weighted_finish(gs_weighted *w, gs_md_ref src_md, gs_md_ref src_f32_md, gs_md_ref bias_md,
                           gs_md_ref dst_md, gs_md_ref computed_dst_md, int convert_src,
                           const float *weights, const float *bias, char *err, size_t err_len) {
    gs_dnnl_context *ctx = w->ctx;
    CHECK(dnnl_primitive_create(&w->prim, w->pd), "creating the primitive");
    CHECK(make_scratchpad(ctx, w->pd, &w->scratchpad), "allocating the scratchpad");
    {
        const char *impl = NULL;
        if (dnnl_primitive_desc_query(w->pd, dnnl_query_impl_info_str, 0, &impl) == dnnl_success && impl)
            snprintf(w->impl, sizeof w->impl, "%s", impl);
    }
    CHECK(dnnl_memory_create(&w->weights, dnnl_primitive_desc_query_md(w->pd, dnnl_query_weights_md, 0),
                             ctx->engine, DNNL_MEMORY_ALLOCATE), "allocating weights");
    if (w->has_bias)
        CHECK(dnnl_memory_create(&w->bias, bias_md, ctx->engine, DNNL_MEMORY_ALLOCATE), "allocating bias");
    CHECK(dnnl_memory_create(&w->src_user, src_f32_md, ctx->engine, DNNL_MEMORY_NONE), "source memory");
    CHECK(dnnl_memory_create(&w->dst, dst_md, ctx->engine, DNNL_MEMORY_NONE), "destination memory");
    if (convert_src) {
        CHECK(dnnl_memory_create(&w->src_computed, src_md, ctx->engine, DNNL_MEMORY_ALLOCATE), "converted source memory");
        CHECK(reorder_create(ctx, src_f32_md, src_md, &w->src_convert), "creating the source conversion");
    }
    if (computed_dst_md) {
        CHECK(dnnl_memory_create(&w->dst_computed, computed_dst_md, ctx->engine, DNNL_MEMORY_ALLOCATE), "computed destination memory");
        CHECK(reorder_create(ctx, computed_dst_md, dst_md, &w->dst_deliver), "creating the destination reorder");
    }
    if (gs_weighted_set_weights(w, weights, bias, err, err_len)) goto fail;
    return 0;
fail:
    return 1;
}

int gs_weighted_execute(gs_weighted *w, const float *src, float *dst, int threads, char *err, size_t err_len) {
    set_threads(threads);
    CHECK(dnnl_memory_set_data_handle(w->src_user, (void *)src), "binding the source");
    CHECK(dnnl_memory_set_data_handle(w->dst, dst), "binding the destination");
    if (w->src_convert.prim)
        CHECK(reorder_run(w->ctx, &w->src_convert, w->src_user, w->src_computed), "converting the source");
    dnnl_exec_arg_t args[5] = {
        {DNNL_ARG_SRC, w->src_convert.prim ? w->src_computed : w->src_user},
        {DNNL_ARG_WEIGHTS, w->weights},
        {DNNL_ARG_DST, w->dst_deliver.prim ? w->dst_computed : w->dst},
        {DNNL_ARG_SCRATCHPAD, w->scratchpad},
        {DNNL_ARG_BIAS, w->bias},
    };
    CHECK(dnnl_primitive_execute(w->prim, w->ctx->stream, w->has_bias ? 5 : 4, args), "running the primitive");
    if (w->dst_deliver.prim)
        CHECK(reorder_run(w->ctx, &w->dst_deliver, w->dst_computed, w->dst), "delivering the destination");
    CHECK(dnnl_stream_wait(w->ctx->stream), "waiting for the primitive");
    return 0;
fail:
    return 1;
}

const char *gs_weighted_implementation(const gs_weighted *w) { return w->impl; }

// ---- convolution -----------------------------------------------------------------------------
/// A forward-inference convolution descriptor for `alg`; the bias descriptor may be NULL.
static dnnl_status_t conv_pd_create(dnnl_primitive_desc_t *pd, gs_dnnl_context *ctx, dnnl_alg_kind_t alg,
                                    gs_md_ref src, gs_md_ref weights, gs_md_ref bias, gs_md_ref dst,
                                    const dnnl_dims_t strides, const dnnl_dims_t pad_l, const dnnl_dims_t pad_r,
                                    const_dnnl_primitive_attr_t attr) {
#if DNNL_VERSION_MAJOR >= 3
    return dnnl_convolution_forward_primitive_desc_create(pd, ctx->engine, dnnl_forward_inference, alg, src, weights,
                                                          bias, dst, strides, NULL, pad_l, pad_r, attr);
#else
    dnnl_convolution_desc_t cd;
    dnnl_status_t s = dnnl_convolution_forward_desc_init(&cd, dnnl_forward_inference, alg, src, weights, bias, dst,
                                                         strides, pad_l, pad_r);
    return s == dnnl_success ? dnnl_primitive_desc_create(pd, &cd, attr, ctx->engine, NULL) : s;
#endif
}

int gs_conv_create(gs_dnnl_context *ctx, const gs_conv_params *p, const float *weights, const float *bias,
                   gs_weighted **out, char *err, size_t err_len) {
    gs_md src_md = {0}, src_f32_md = {0}, w_md = {0}, b_md = {0}, dst_md = {0}, src_any_md = {0}, dst_any_md = {0};
    dnnl_primitive_attr_t attr = NULL;
    gs_weighted *c = weighted_alloc(ctx, p->has_bias);
    if (!c) { snprintf(err, err_len, "out of memory"); return 1; }
    int64_t out_h = (p->in_height + p->pad_top + p->pad_bottom - p->kernel_height) / p->stride_h + 1;
    int64_t out_w = (p->in_width + p->pad_left + p->pad_right - p->kernel_width) / p->stride_w + 1;
    if (out_h <= 0 || out_w <= 0) FAIL("convolution output would be empty");

    dnnl_data_type_t compute = p->use_bf16 ? dnnl_bf16 : dnnl_f32;
    dnnl_dims_t src_dims = {p->batch, p->in_channels, p->in_height, p->in_width};
    dnnl_dims_t w_dims = {p->out_channels, p->in_channels, p->kernel_height, p->kernel_width};
    dnnl_dims_t b_dims = {p->out_channels};
    dnnl_dims_t dst_dims = {p->batch, p->out_channels, out_h, out_w};
    dnnl_dims_t strides = {p->stride_h, p->stride_w};
    dnnl_dims_t pad_l = {p->pad_top, p->pad_left}, pad_r = {p->pad_bottom, p->pad_right};

    CHECK(md_init(&src_md, 4, src_dims, compute, dnnl_nhwc), "source descriptor");
    CHECK(md_init(&src_f32_md, 4, src_dims, dnnl_f32, dnnl_nhwc), "source descriptor");
    CHECK(md_init(&w_md, 4, w_dims, compute, dnnl_format_tag_any), "weights descriptor");
    CHECK(md_init(&b_md, 1, b_dims, dnnl_f32, dnnl_a), "bias descriptor");
    CHECK(md_init(&dst_md, 4, dst_dims, dnnl_f32, dnnl_nhwc), "destination descriptor");
    CHECK(md_init(&c->user_weights_md, 4, w_dims, dnnl_f32, dnnl_oihw), "weights descriptor");
    CHECK(md_init(&c->user_bias_md, 1, b_dims, dnnl_f32, dnnl_a), "bias descriptor");
    CHECK(make_attr_chain(p->accumulate, p->activation, p->activation_alpha, p->output_scale, p->final_activation, &attr),
          "post-ops");

    // Winograd runs in its own blocked layouts: the source is reordered in and the destination
    // out, so a sum post-op (which reads the caller's destination) rules it out.
    int winograd = p->winograd && !p->use_bf16 && !p->accumulate && p->kernel_height == 3 && p->kernel_width == 3
                   && p->stride_h == 1 && p->stride_w == 1;
    if (winograd) {
        CHECK(md_init(&src_any_md, 4, src_dims, dnnl_f32, dnnl_format_tag_any), "source descriptor");
        CHECK(md_init(&dst_any_md, 4, dst_dims, dnnl_f32, dnnl_format_tag_any), "destination descriptor");
        winograd = conv_pd_create(&c->pd, ctx, dnnl_convolution_winograd, md_ref(&src_any_md), md_ref(&w_md),
                                  p->has_bias ? md_ref(&b_md) : NULL, md_ref(&dst_any_md), strides, pad_l, pad_r, attr)
                   == dnnl_success;
    }
    if (!winograd)
        CHECK(conv_pd_create(&c->pd, ctx, dnnl_convolution_direct, md_ref(&src_md), md_ref(&w_md),
                             p->has_bias ? md_ref(&b_md) : NULL, md_ref(&dst_md), strides, pad_l, pad_r, attr),
              "creating the convolution");
    if (winograd) {
        if (weighted_finish(c, dnnl_primitive_desc_query_md(c->pd, dnnl_query_src_md, 0), md_ref(&src_f32_md), md_ref(&b_md),
                            md_ref(&dst_md), dnnl_primitive_desc_query_md(c->pd, dnnl_query_dst_md, 0), 1,
                            weights, bias, err, err_len)) goto fail;
    } else if (weighted_finish(c, md_ref(&src_md), md_ref(&src_f32_md), md_ref(&b_md), md_ref(&dst_md), NULL, p->use_bf16,
                               weights, bias, err, err_len)) goto fail;
    if (attr) dnnl_primitive_attr_destroy(attr);
    md_free(&src_md); md_free(&src_f32_md); md_free(&w_md); md_free(&b_md); md_free(&dst_md);
    md_free(&src_any_md); md_free(&dst_any_md);
    *out = c;
    return 0;
fail:
    if (attr) dnnl_primitive_attr_destroy(attr);
    md_free(&src_md); md_free(&src_f32_md); md_free(&w_md); md_free(&b_md); md_free(&dst_md);
    md_free(&src_any_md); md_free(&dst_any_md);
    gs_weighted_destroy(c);
    return 1;
}

// ---- matmul ----------------------------------------------------------------------------------
int gs_matmul_create(gs_dnnl_context *ctx, const gs_matmul_params *p, const float *weights, const float *bias,
                     gs_weighted **out, char *err, size_t err_len) {
    gs_md src_md = {0}, src_f32_md = {0}, w_md = {0}, dst_md = {0};
    dnnl_primitive_attr_t attr = NULL;
    gs_weighted *m = weighted_alloc(ctx, p->has_bias);
    if (!m) { snprintf(err, err_len, "out of memory"); return 1; }
    dnnl_data_type_t compute = p->use_bf16 ? dnnl_bf16 : dnnl_f32;
    dnnl_dims_t src_dims = {p->batch, p->m, p->k}, w_dims = {1, p->k, p->n};
    dnnl_dims_t b_dims = {1, 1, p->n}, dst_dims = {p->batch, p->m, p->n};
    CHECK(md_init(&src_md, 3, src_dims, compute, dnnl_abc), "source descriptor");
    CHECK(md_init(&src_f32_md, 3, src_dims, dnnl_f32, dnnl_abc), "source descriptor");
    CHECK(md_init(&w_md, 3, w_dims, compute, dnnl_format_tag_any), "weights descriptor");
    CHECK(md_init(&m->user_weights_md, 3, w_dims, dnnl_f32, dnnl_abc), "weights descriptor");
    CHECK(md_init(&m->user_bias_md, 3, b_dims, dnnl_f32, dnnl_abc), "bias descriptor");
    CHECK(md_init(&dst_md, 3, dst_dims, dnnl_f32, dnnl_abc), "destination descriptor");
    CHECK(make_attr(p->activation, p->activation_alpha, &attr), "activation post-op");
#if DNNL_VERSION_MAJOR >= 3
    CHECK(dnnl_matmul_primitive_desc_create(&m->pd, ctx->engine, src_md, w_md,
                                            p->has_bias ? md_ref(&m->user_bias_md) : NULL, dst_md, attr),
          "creating the matmul");
#else
    dnnl_matmul_desc_t md;
    CHECK(dnnl_matmul_desc_init(&md, &src_md, &w_md, p->has_bias ? &m->user_bias_md : NULL, &dst_md), "describing the matmul");
    CHECK(dnnl_primitive_desc_create(&m->pd, &md, attr, ctx->engine, NULL), "creating the matmul");
#endif
    if (weighted_finish(m, md_ref(&src_md), md_ref(&src_f32_md), md_ref(&m->user_bias_md), md_ref(&dst_md), NULL, p->use_bf16,
                        weights, bias, err, err_len)) goto fail;
    if (attr) dnnl_primitive_attr_destroy(attr);
    md_free(&src_md); md_free(&src_f32_md); md_free(&w_md); md_free(&dst_md);
    *out = m;
    return 0;
fail:
    if (attr) dnnl_primitive_attr_destroy(attr);
    md_free(&src_md); md_free(&src_f32_md); md_free(&w_md); md_free(&dst_md);
    gs_weighted_destroy(m);
    return 1;
}

// ---- element-wise ------------------------------------------------------------------------------
struct gs_unary {
    gs_dnnl_context *ctx;
    dnnl_primitive_desc_t pd;
    dnnl_primitive_t prim;
    dnnl_memory_t src, dst, scratchpad;
};

void gs_unary_destroy(gs_unary *u) {
    if (!u) return;
    if (u->prim) dnnl_primitive_destroy(u->prim);
    if (u->pd) dnnl_primitive_desc_destroy(u->pd);
    dnnl_memory_t mems[] = {u->src, u->dst, u->scratchpad};
    for (size_t i = 0; i < sizeof mems / sizeof *mems; i++) if (mems[i]) dnnl_memory_destroy(mems[i]);
    free(u);
}

/// Creates the primitive, its scratchpad and unbound source/destination memories once `u->pd` is set.
static int unary_finish(gs_unary *u, gs_md_ref src_md, gs_md_ref dst_md, char *err, size_t err_len) {
    CHECK(dnnl_primitive_create(&u->prim, u->pd), "creating the primitive");
    CHECK(make_scratchpad(u->ctx, u->pd, &u->scratchpad), "allocating the scratchpad");
    CHECK(dnnl_memory_create(&u->src, src_md, u->ctx->engine, DNNL_MEMORY_NONE), "source memory");
    CHECK(dnnl_memory_create(&u->dst, dst_md, u->ctx->engine, DNNL_MEMORY_NONE), "destination memory");
    return 0;
fail:
    return 1;
}

int gs_unary_execute(gs_unary *u, const float *src, float *dst, int threads, char *err, size_t err_len) {
    set_threads(threads);
    CHECK(dnnl_memory_set_data_handle(u->src, (void *)src), "binding the source");
    CHECK(dnnl_memory_set_data_handle(u->dst, dst), "binding the destination");
    dnnl_exec_arg_t args[3] = {{DNNL_ARG_SRC, u->src}, {DNNL_ARG_DST, u->dst}, {DNNL_ARG_SCRATCHPAD, u->scratchpad}};
    CHECK(dnnl_primitive_execute(u->prim, u->ctx->stream, 3, args), "running the primitive");
    CHECK(dnnl_stream_wait(u->ctx->stream), "waiting for the primitive");
    return 0;
fail:
    return 1;
}

int gs_eltwise_create(gs_dnnl_context *ctx, int64_t count, gs_activation activation, float alpha,
                      gs_unary **out, char *err, size_t err_len) {
    gs_md md = {0};
    dnnl_primitive_attr_t attr = NULL;
    gs_unary *u = calloc(1, sizeof *u);
    if (!u) { snprintf(err, err_len, "out of memory"); return 1; }
    u->ctx = ctx;
    if (activation == GS_ACT_NONE) FAIL("element-wise primitive without an activation");
    dnnl_dims_t dims = {count};
    dnnl_alg_kind_t alg = activation_alg(activation);
    float a = activation == GS_ACT_SILU ? 1.f : alpha;
    CHECK(md_init(&md, 1, dims, dnnl_f32, dnnl_a), "element-wise descriptor");
    CHECK(make_attr(GS_ACT_NONE, 0, &attr), "element-wise attributes");
#if DNNL_VERSION_MAJOR >= 3
    CHECK(dnnl_eltwise_forward_primitive_desc_create(&u->pd, ctx->engine, dnnl_forward_inference, alg, md, md,
                                                     a, 0.f, attr), "creating the element-wise primitive");
#else
    dnnl_eltwise_desc_t ed;
    CHECK(dnnl_eltwise_forward_desc_init(&ed, dnnl_forward_inference, alg, &md, a, 0.f), "describing the element-wise primitive");
    CHECK(dnnl_primitive_desc_create(&u->pd, &ed, attr, ctx->engine, NULL), "creating the element-wise primitive");
#endif
    if (unary_finish(u, md_ref(&md), md_ref(&md), err, err_len)) goto fail;
    if (attr) dnnl_primitive_attr_destroy(attr);
    md_free(&md);
    *out = u;
    return 0;
fail:
    if (attr) dnnl_primitive_attr_destroy(attr);
    md_free(&md);
    gs_unary_destroy(u);
    return 1;
}

// ---- product of two run-time operands ------------------------------------------------------------
struct gs_product {
    gs_dnnl_context *ctx;
    dnnl_primitive_desc_t pd;
    dnnl_primitive_t prim;
    dnnl_memory_t a, b, c, scratchpad;
};

void gs_product_destroy(gs_product *p) {
    if (!p) return;
    if (p->prim) dnnl_primitive_destroy(p->prim);
    if (p->pd) dnnl_primitive_desc_destroy(p->pd);
    dnnl_memory_t mems[] = {p->a, p->b, p->c, p->scratchpad};
    for (size_t i = 0; i < sizeof mems / sizeof *mems; i++) if (mems[i]) dnnl_memory_destroy(mems[i]);
    free(p);
}

int gs_product_create(gs_dnnl_context *ctx, const gs_product_params *p, gs_product **out, char *err, size_t err_len) {
    gs_md a_md = {0}, b_md = {0}, c_md = {0};
    dnnl_primitive_attr_t attr = NULL;
    gs_product *m = calloc(1, sizeof *m);
    if (!m) { snprintf(err, err_len, "out of memory"); return 1; }
    m->ctx = ctx;
    if (p->batch0 < 1 || p->batch1 < 1 || p->m < 1 || p->k < 1 || p->n < 1) FAIL("matrix product with an empty dimension");
    dnnl_dims_t a_dims = {p->batch0, p->batch1, p->m, p->k}, b_dims = {p->batch0, p->batch1, p->k, p->n};
    dnnl_dims_t c_dims = {p->batch0, p->batch1, p->m, p->n};
    dnnl_dims_t a_st = {p->a_strides[0], p->a_strides[1], p->a_strides[2], p->a_strides[3]};
    dnnl_dims_t b_st = {p->b_strides[0], p->b_strides[1], p->b_strides[2], p->b_strides[3]};
    dnnl_dims_t c_st = {p->c_strides[0], p->c_strides[1], p->c_strides[2], p->c_strides[3]};
    CHECK(md_init_strided(&a_md, 4, a_dims, a_st), "left operand descriptor");
    CHECK(md_init_strided(&b_md, 4, b_dims, b_st), "right operand descriptor");
    CHECK(md_init_strided(&c_md, 4, c_dims, c_st), "product descriptor");
    CHECK(make_attr_chain(0, GS_ACT_NONE, 0.f, p->scale, GS_ACT_NONE, &attr), "product attributes");
#if DNNL_VERSION_MAJOR >= 3
    CHECK(dnnl_matmul_primitive_desc_create(&m->pd, ctx->engine, a_md, b_md, NULL, c_md, attr), "creating the matrix product");
#else
    dnnl_matmul_desc_t md;
    CHECK(dnnl_matmul_desc_init(&md, &a_md, &b_md, NULL, &c_md), "describing the matrix product");
    CHECK(dnnl_primitive_desc_create(&m->pd, &md, attr, ctx->engine, NULL), "creating the matrix product");
#endif
    CHECK(dnnl_primitive_create(&m->prim, m->pd), "creating the primitive");
    CHECK(make_scratchpad(ctx, m->pd, &m->scratchpad), "allocating the scratchpad");
    CHECK(dnnl_memory_create(&m->a, md_ref(&a_md), ctx->engine, DNNL_MEMORY_NONE), "left operand memory");
    CHECK(dnnl_memory_create(&m->b, md_ref(&b_md), ctx->engine, DNNL_MEMORY_NONE), "right operand memory");
    CHECK(dnnl_memory_create(&m->c, md_ref(&c_md), ctx->engine, DNNL_MEMORY_NONE), "product memory");
    if (attr) dnnl_primitive_attr_destroy(attr);
    md_free(&a_md); md_free(&b_md); md_free(&c_md);
    *out = m;
    return 0;
fail:
    if (attr) dnnl_primitive_attr_destroy(attr);
    md_free(&a_md); md_free(&b_md); md_free(&c_md);
    gs_product_destroy(m);
    return 1;
}

int gs_product_execute(gs_product *m, const float *a, const float *b, float *c, int threads, char *err, size_t err_len) {
    set_threads(threads);
    CHECK(dnnl_memory_set_data_handle(m->a, (void *)a), "binding the left operand");
    CHECK(dnnl_memory_set_data_handle(m->b, (void *)b), "binding the right operand");
    CHECK(dnnl_memory_set_data_handle(m->c, c), "binding the product");
    dnnl_exec_arg_t args[4] = {{DNNL_ARG_SRC, m->a}, {DNNL_ARG_WEIGHTS, m->b}, {DNNL_ARG_DST, m->c},
                               {DNNL_ARG_SCRATCHPAD, m->scratchpad}};
    CHECK(dnnl_primitive_execute(m->prim, m->ctx->stream, 4, args), "running the matrix product");
    CHECK(dnnl_stream_wait(m->ctx->stream), "waiting for the matrix product");
    return 0;
fail:
    return 1;
}
