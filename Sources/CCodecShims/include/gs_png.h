// libpng behind setjmp: every entry point sets its own jump buffer, so a libpng error returns
// here with a message instead of unwinding through Swift or calling abort(). Warnings are
// counted, never printed.
#ifndef GS_PNG_H
#define GS_PNG_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct gs_png_decoder gs_png_decoder;
typedef struct gs_png_encoder gs_png_encoder;

/// What the header says, and the layout of the rows the decoder will produce after expanding
/// palettes, low bit depths and tRNS: 1–4 interleaved channels of 8 or 16 bits (host order).
typedef struct {
    uint32_t width, height;
    int bit_depth;          // the file's bit depth (1, 2, 4, 8, 16)
    int color_type;         // the file's PNG colour type (0, 2, 3, 4, 6)
    int interlaced;
    int channels;           // of the decoded rows
    int sample_bytes;       // 1 or 2
    size_t row_bytes;       // of the decoded rows
} gs_png_header;

/// Metadata found anywhere in the file; pointers stay valid until the decoder is destroyed.
typedef struct {
    int has_gamma;
    double gamma;
    int has_srgb;
    const uint8_t *icc;
    uint32_t icc_length;
    const uint8_t *exif;
    uint32_t exif_length;
    int missing_end;        // the data stopped after the image but before IEND
    int warnings;
    char last_warning[128]; // what libpng last warned about (a dropped chunk, say)
} gs_png_metadata;

/// Reads the signature and every chunk up to the image data. On failure `*truncated` tells
/// whether the data simply ran out.
int gs_png_decoder_create(const uint8_t *data, size_t size, gs_png_decoder **out, gs_png_header *header,
                          int *truncated, char *err, size_t err_len);
/// Decodes every row into `pixels` (height * header.row_bytes bytes) and reads the chunks after
/// the image data.
int gs_png_decode_rows(gs_png_decoder *d, uint8_t *pixels, gs_png_metadata *metadata, int *truncated,
                       char *err, size_t err_len);
void gs_png_decoder_destroy(gs_png_decoder *d);

typedef struct {
    uint32_t width, height;
    int channels;           // 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA
    int bit_depth;          // 8 or 16; 16-bit rows are given in host byte order
    int compression_level;  // 0–9
    const uint8_t *icc;
    uint32_t icc_length;
    const uint8_t *exif;
    uint32_t exif_length;
} gs_png_encode_params;

/// Writes the signature, IHDR, iCCP and eXIf to `file`.
int gs_png_encoder_create(FILE *file, const gs_png_encode_params *p, gs_png_encoder **out, char *err, size_t err_len);
/// Writes `count` rows of `row_bytes` each.
int gs_png_encoder_write_rows(gs_png_encoder *e, const uint8_t *rows, uint32_t count, size_t row_bytes,
                              char *err, size_t err_len);
/// Writes IEND.
int gs_png_encoder_finish(gs_png_encoder *e, char *err, size_t err_len);
void gs_png_encoder_destroy(gs_png_encoder *e);

#endif
