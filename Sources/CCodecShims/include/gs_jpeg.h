#ifndef GS_JPEG_H
#define GS_JPEG_H
// setjmp-protected entry points into libjpeg(-turbo). Each function below sets its own jump
// target before calling libjpeg; libjpeg's error_exit (and every warning that means damaged
// data) longjmps back to it, so the function returns a status instead of exiting. Nothing is
// ever printed: messages are formatted into the handle and read back with *_message().
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/// Outcome of a shim call. Anything but GS_JPEG_OK leaves the handle unusable except for
/// *_message() and *_destroy().
typedef enum {
    GS_JPEG_OK = 0,
    /// The data contradicts the format (libjpeg error or "Corrupt JPEG data" warning).
    GS_JPEG_CORRUPT = 1,
    /// The data ends early ("Premature end of JPEG file", empty input).
    GS_JPEG_TRUNCATED = 2,
    /// Valid JPEG that this build cannot decode (12-bit, lossless, ...).
    GS_JPEG_UNSUPPORTED = 3,
    /// libjpeg could not allocate its working memory or the size exceeds its limits.
    GS_JPEG_NO_MEMORY = 4,
    /// Writing the output file failed.
    GS_JPEG_IO = 5,
    /// The shim was called out of order or could not allocate its handle.
    GS_JPEG_MISUSE = 6,
    /// The file exceeds a safety limit of the shim (more scans than any real file has).
    GS_JPEG_LIMIT = 7,
} gs_jpeg_status;

/// What jpeg_read_header found.
typedef struct {
    uint32_t width;
    uint32_t height;
    /// Components stored in the file (1, 3 or 4).
    int32_t components;
    /// Channels the decoder will deliver: 1 (gray), 3 (RGB) or 4 (CMYK as stored).
    int32_t output_channels;
    /// libjpeg's J_COLOR_SPACE of the file (JCS_GRAYSCALE=1, RGB=2, YCbCr=3, CMYK=4, YCCK=5).
    int32_t jpeg_color_space;
    int32_t precision;
    int32_t progressive;
    int32_t arithmetic;
    /// An Adobe APP14 marker was present (CMYK samples are then stored inverted).
    int32_t saw_adobe_marker;
    int32_t adobe_transform;
} gs_jpeg_header;

typedef struct gs_jpeg_decoder gs_jpeg_decoder;

/// A new decoder handle, or NULL when out of memory.
gs_jpeg_decoder *gs_jpeg_decoder_create(void);
/// Frees the handle, the libjpeg state and the saved EXIF / ICC copies.
void gs_jpeg_decoder_destroy(gs_jpeg_decoder *dec);
/// Reads the markers up to the first scan from `data` (which must outlive the handle), saves
/// the first EXIF APP1 payload and the reassembled ICC profile, and fills `header`.
gs_jpeg_status gs_jpeg_decoder_read_header(gs_jpeg_decoder *dec, const uint8_t *data, size_t size,
                                           gs_jpeg_header *header);
/// Decodes every row into `pixels` (height rows of `row_bytes`, output_channels samples per
/// pixel), then reads to the EOI marker.
gs_jpeg_status gs_jpeg_decoder_read_pixels(gs_jpeg_decoder *dec, uint8_t *pixels, size_t row_bytes);
/// The message of the last failure ("" when none).
const char *gs_jpeg_decoder_message(const gs_jpeg_decoder *dec);
/// The first pixel row of the block row being read when the failure happened, or -1 when it
/// happened in the headers.
int32_t gs_jpeg_decoder_failure_row(const gs_jpeg_decoder *dec);
/// The number of the scan (1, 2, ...) being read when the failure happened, or -1.
int32_t gs_jpeg_decoder_failure_scan(const gs_jpeg_decoder *dec);
/// Harmless warnings, one per line ("" when none).
const char *gs_jpeg_decoder_notes(const gs_jpeg_decoder *dec);
/// The EXIF payload after "Exif\0\0" (TIFF-structured), or NULL.
const uint8_t *gs_jpeg_decoder_exif(const gs_jpeg_decoder *dec, size_t *size);
/// The ICC profile reassembled from its APP2 chunks, or NULL.
const uint8_t *gs_jpeg_decoder_icc(const gs_jpeg_decoder *dec, size_t *size);

/// How to compress.
typedef struct {
    uint32_t width;
    uint32_t height;
    /// 1 (grayscale JPEG) or 3 (RGB in, Y'CbCr JPEG out).
    int32_t components;
    /// 1–100.
    int32_t quality;
    /// Halve chroma in both directions (4:2:0) instead of keeping it whole (4:4:4).
    int32_t subsample_420;
    int32_t progressive;
} gs_jpeg_encode_params;

typedef struct gs_jpeg_encoder gs_jpeg_encoder;

/// A new encoder handle, or NULL when out of memory.
gs_jpeg_encoder *gs_jpeg_encoder_create(void);
/// Aborts an unfinished compression and frees everything. Does not close the FILE.
void gs_jpeg_encoder_destroy(gs_jpeg_encoder *enc);
/// Sets up compression into `file`, writes the headers, then the EXIF APP1 segment
/// ("Exif\0\0" + exif, at most 65527 bytes of exif) and the ICC profile APP2 chunks when given.
gs_jpeg_status gs_jpeg_encoder_start(gs_jpeg_encoder *enc, FILE *file, const gs_jpeg_encode_params *params,
                                     const uint8_t *exif, size_t exif_size,
                                     const uint8_t *icc, size_t icc_size);
/// Compresses `count` rows of interleaved 8-bit samples, `row_bytes` apart.
gs_jpeg_status gs_jpeg_encoder_write_rows(gs_jpeg_encoder *enc, const uint8_t *rows, size_t row_bytes,
                                          uint32_t count);
/// Writes the last scans and the EOI marker, and flushes the FILE.
gs_jpeg_status gs_jpeg_encoder_finish(gs_jpeg_encoder *enc);
/// The message of the last failure ("" when none).
const char *gs_jpeg_encoder_message(const gs_jpeg_encoder *enc);

#endif
