// The JPEG shim: every libjpeg call happens inside one of the entry points below, each of which
// sets its own jump target first. libjpeg's error_exit longjmps back to it; so does every
// warning that means the data is damaged (libjpeg would otherwise fill grey and carry on).
// output_message is never called (emit_message is replaced), so nothing reaches stderr.
#include "gs_jpeg.h"

#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

/// A progressive file needs ~10 scans; thousands of tiny scans only serve to make each one
/// re-walk the whole coefficient buffer (a CPU bomb), so more than this is refused.
#define GS_JPEG_MAX_SCANS 500

enum { GS_PHASE_HEADER, GS_PHASE_START, GS_PHASE_ROWS, GS_PHASE_FINISH, GS_PHASE_ENCODE };

typedef struct {
    struct jpeg_error_mgr pub; // first: libjpeg casts cinfo->err back to this struct
    jmp_buf jump;
    gs_jpeg_status status;
    int phase;
    long scans;
    int saw_eof; // libjpeg ran out of input and inserted a fake EOI marker
    int32_t failure_row;
    int32_t failure_scan;
    char message[JMSG_LENGTH_MAX + 64];
    char notes[1024];
} gs_jpeg_err;

struct gs_jpeg_decoder {
    struct jpeg_decompress_struct cinfo;
    gs_jpeg_err err;
    int header_read;
    int pixels_read;
    uint8_t *exif;
    size_t exif_size;
    JOCTET *icc;
    unsigned int icc_size;
};

struct gs_jpeg_encoder {
    struct jpeg_compress_struct cinfo;
    gs_jpeg_err err;
    int started;
    int failed;
    int finished;
    int components;
    uint32_t width;
};

static gs_jpeg_status gs_jpeg_status_for_error(int code) {
    switch (code) {
    case JERR_BAD_PRECISION:
    case JERR_SOF_UNSUPPORTED:
    case JERR_NOT_COMPILED:
    case JERR_CONVERSION_NOTIMPL:
    case JERR_ARITH_NOTIMPL:
    case JERR_COMPONENT_COUNT:
        return GS_JPEG_UNSUPPORTED;
    case JERR_OUT_OF_MEMORY:
    case JERR_IMAGE_TOO_BIG:
    case JERR_WIDTH_OVERFLOW:
        return GS_JPEG_NO_MEMORY;
    case JERR_INPUT_EMPTY:
        return GS_JPEG_TRUNCATED;
    case JERR_FILE_WRITE:
    case JERR_FILE_READ:
        return GS_JPEG_IO;
    default:
        return GS_JPEG_CORRUPT;
    }
}

/// The first pixel row of the block row whose compressed data the decoder was reading, or -1
/// while it was still in the headers.
static int32_t gs_jpeg_input_row(j_common_ptr c, const gs_jpeg_err *e) {
    if (!c->is_decompressor || e->phase < GS_PHASE_START) return -1;
    j_decompress_ptr d = (j_decompress_ptr)c;
    long row = (long)d->input_iMCU_row * d->max_v_samp_factor * DCTSIZE;
    return (int32_t)(row < (long)d->image_height ? row : (long)d->image_height);
}

static int32_t gs_jpeg_input_scan(j_common_ptr c, const gs_jpeg_err *e) {
    if (!c->is_decompressor || e->phase < GS_PHASE_START) return -1;
    return (int32_t)((j_decompress_ptr)c)->input_scan_number;
}

/// Records the current message with `status` and jumps back to the entry point.
static void gs_jpeg_fail(j_common_ptr c, gs_jpeg_status status) {
    gs_jpeg_err *e = (gs_jpeg_err *)c->err;
    if (status == GS_JPEG_TRUNCATED && e->saw_eof) {
        char text[JMSG_LENGTH_MAX];
        (*c->err->format_message)(c, text);
        snprintf(e->message, sizeof e->message, "Premature end of JPEG file, then: %s", text);
    } else {
        (*c->err->format_message)(c, e->message);
    }
    e->status = status;
    e->failure_row = gs_jpeg_input_row(c, e);
    e->failure_scan = gs_jpeg_input_scan(c, e);
    longjmp(e->jump, 1);
}

static void gs_jpeg_error_exit(j_common_ptr c) {
    gs_jpeg_status status = gs_jpeg_status_for_error(c->err->msg_code);
    if (((gs_jpeg_err *)c->err)->saw_eof && status == GS_JPEG_CORRUPT) status = GS_JPEG_TRUNCATED;
    gs_jpeg_fail(c, status);
}

static void gs_jpeg_output_message(j_common_ptr c) {
    (void)c; // silent: messages are read back through the handle
}

static void gs_jpeg_add_note(gs_jpeg_err *e, const char *text) {
    size_t used = strlen(e->notes);
    if (used + strlen(text) + 2 >= sizeof e->notes) return;
    if (used > 0) e->notes[used++] = '\n';
    strcpy(e->notes + used, text);
}

/// Warnings (level -1) that mean damaged data end the call; the rest become notes.
/// Trace messages (level >= 0) are ignored, except that start-of-scan ones are counted.
static void gs_jpeg_emit_message(j_common_ptr c, int level) {
    gs_jpeg_err *e = (gs_jpeg_err *)c->err;
    if (level >= 0) {
        if (c->err->msg_code == JTRC_SOS && ++e->scans > GS_JPEG_MAX_SCANS) {
            snprintf(e->message, sizeof e->message, "the file has more than %d scans", GS_JPEG_MAX_SCANS);
            e->status = GS_JPEG_LIMIT;
            e->failure_row = gs_jpeg_input_row(c, e);
            e->failure_scan = gs_jpeg_input_scan(c, e);
            longjmp(e->jump, 1);
        }
        return;
    }
    c->err->num_warnings++;
    switch (c->err->msg_code) {
    case JWRN_JPEG_EOF:
        // In the headers the image cannot be complete. In the image data, the entropy decoder
        // reads ahead to the next marker, so the end of the input is hit even when only the
        // EOI marker is missing; libjpeg then supplies a fake EOI. If the scan really needed
        // more bits, the entropy decoder warns JWRN_HIT_MARKER next, which fails the call as
        // truncated; if not, decoding completes and a note says the EOI marker was missing.
        if (e->phase == GS_PHASE_HEADER) gs_jpeg_fail(c, GS_JPEG_TRUNCATED);
        if (!e->saw_eof) gs_jpeg_add_note(e, "the file ends without an EOI marker (the image data present decoded cleanly)");
        e->saw_eof = 1;
        return;
    case JWRN_EXTRANEOUS_DATA:
        // Padding after the last scan's data, before EOI, is common in camera files and
        // harmless: every scan has been read by then. Elsewhere it means damage.
        if (c->err->msg_parm.i[1] == JPEG_EOI && !e->saw_eof) {
            char note[96];
            snprintf(note, sizeof note, "ignored %d stray bytes before the EOI marker", c->err->msg_parm.i[0]);
            gs_jpeg_add_note(e, note);
            return;
        }
        gs_jpeg_fail(c, e->saw_eof ? GS_JPEG_TRUNCATED : GS_JPEG_CORRUPT);
        break;
    case JWRN_HIT_MARKER:
    case JWRN_HUFF_BAD_CODE:
    case JWRN_ARITH_BAD_CODE:
    case JWRN_MUST_RESYNC:
    case JWRN_NOT_SEQUENTIAL:
    case JWRN_BOGUS_PROGRESSION:
        gs_jpeg_fail(c, e->saw_eof ? GS_JPEG_TRUNCATED : GS_JPEG_CORRUPT);
        break;
    case JWRN_BOGUS_ICC: // jpeg_read_icc_profile then returns no profile; the pixels are fine
        gs_jpeg_add_note(e, "ignored an ICC profile whose APP2 chunks are inconsistent (missing, duplicated or misnumbered)");
        break;
    default: {
        char text[JMSG_LENGTH_MAX], note[JMSG_LENGTH_MAX + 20];
        (*c->err->format_message)(c, text);
        snprintf(note, sizeof note, "libjpeg warning: %s", text);
        gs_jpeg_add_note(e, note);
        break;
    }
    }
}

static void gs_jpeg_init_err(gs_jpeg_err *e) {
    jpeg_std_error(&e->pub);
    e->pub.error_exit = gs_jpeg_error_exit;
    e->pub.output_message = gs_jpeg_output_message;
    e->pub.emit_message = gs_jpeg_emit_message;
    e->status = GS_JPEG_OK;
    e->failure_row = -1;
    e->failure_scan = -1;
    e->message[0] = 0;
    e->notes[0] = 0;
}

static gs_jpeg_status gs_jpeg_misuse(gs_jpeg_err *e, const char *what) {
    snprintf(e->message, sizeof e->message, "%s", what);
    e->status = GS_JPEG_MISUSE;
    return GS_JPEG_MISUSE;
}

// MARK: decoding

gs_jpeg_decoder *gs_jpeg_decoder_create(void) {
    gs_jpeg_decoder *dec = calloc(1, sizeof *dec);
    if (dec) gs_jpeg_init_err(&dec->err);
    return dec;
}

void gs_jpeg_decoder_destroy(gs_jpeg_decoder *dec) {
    if (!dec) return;
    jpeg_destroy_decompress(&dec->cinfo); // a no-op when jpeg_create_decompress never ran
    free(dec->exif);
    free(dec->icc);
    free(dec);
}

static int gs_jpeg_output_channels(J_COLOR_SPACE space) {
    switch (space) {
    case JCS_GRAYSCALE: return 1;
    case JCS_RGB:
    case JCS_YCbCr: return 3;
    case JCS_CMYK:
    case JCS_YCCK: return 4;
    default: return 0;
    }
}

/// Copies the first APP1 segment that starts with "Exif\0" (the payload after the 6-byte
/// identifier) out of libjpeg's image pool, which jpeg_finish_decompress frees.
static void gs_jpeg_save_exif(gs_jpeg_decoder *dec) {
    for (jpeg_saved_marker_ptr m = dec->cinfo.marker_list; m; m = m->next) {
        if (m->marker != JPEG_APP0 + 1 || m->data_length < 6 || memcmp(m->data, "Exif\0", 5) != 0) continue;
        size_t size = m->data_length - 6;
        if (size == 0) return;
        dec->exif = malloc(size);
        if (!dec->exif) return;
        memcpy(dec->exif, m->data + 6, size);
        dec->exif_size = size;
        return;
    }
}

gs_jpeg_status gs_jpeg_decoder_read_header(gs_jpeg_decoder *dec, const uint8_t *data, size_t size,
                                           gs_jpeg_header *header) {
    if (!dec) return GS_JPEG_MISUSE;
    if (dec->header_read) return gs_jpeg_misuse(&dec->err, "read_header called twice");
    dec->header_read = 1;
    dec->err.phase = GS_PHASE_HEADER;
    dec->cinfo.err = &dec->err.pub;
    if (setjmp(dec->err.jump)) return dec->err.status;

    jpeg_create_decompress(&dec->cinfo);
    jpeg_mem_src(&dec->cinfo, data, (unsigned long)size);
    jpeg_save_markers(&dec->cinfo, JPEG_APP0 + 1, 0xFFFF);
    jpeg_save_markers(&dec->cinfo, JPEG_APP0 + 2, 0xFFFF);
    jpeg_read_header(&dec->cinfo, TRUE);

    gs_jpeg_save_exif(dec);
    if (!jpeg_read_icc_profile(&dec->cinfo, &dec->icc, &dec->icc_size)) {
        dec->icc = NULL;
        dec->icc_size = 0;
    }

    memset(header, 0, sizeof *header);
    header->width = dec->cinfo.image_width;
    header->height = dec->cinfo.image_height;
    header->components = dec->cinfo.num_components;
    header->output_channels = gs_jpeg_output_channels(dec->cinfo.jpeg_color_space);
    header->jpeg_color_space = (int32_t)dec->cinfo.jpeg_color_space;
    header->precision = dec->cinfo.data_precision;
    header->progressive = dec->cinfo.progressive_mode ? 1 : 0;
    header->arithmetic = dec->cinfo.arith_code ? 1 : 0;
    header->saw_adobe_marker = dec->cinfo.saw_Adobe_marker ? 1 : 0;
    header->adobe_transform = dec->cinfo.Adobe_transform;
    return GS_JPEG_OK;
}

gs_jpeg_status gs_jpeg_decoder_read_pixels(gs_jpeg_decoder *dec, uint8_t *pixels, size_t row_bytes) {
    if (!dec) return GS_JPEG_MISUSE;
    if (!dec->header_read || dec->err.status != GS_JPEG_OK || dec->pixels_read)
        return gs_jpeg_misuse(&dec->err, "read_pixels called out of order");
    dec->pixels_read = 1;
    int channels = gs_jpeg_output_channels(dec->cinfo.jpeg_color_space);
    if (channels == 0) return gs_jpeg_misuse(&dec->err, "no output colour space for this JPEG");
    if (row_bytes < (size_t)dec->cinfo.image_width * (size_t)channels)
        return gs_jpeg_misuse(&dec->err, "row buffer too small");
    if (setjmp(dec->err.jump)) return dec->err.status;

    dec->cinfo.out_color_space = channels == 1 ? JCS_GRAYSCALE : channels == 3 ? JCS_RGB : JCS_CMYK;
    dec->err.phase = GS_PHASE_START;
    jpeg_start_decompress(&dec->cinfo);
    if (dec->cinfo.output_components != channels || dec->cinfo.output_width != dec->cinfo.image_width)
        return gs_jpeg_misuse(&dec->err, "libjpeg chose an unexpected output layout");

    dec->err.phase = GS_PHASE_ROWS;
    while (dec->cinfo.output_scanline < dec->cinfo.output_height) {
        JSAMPROW rows[16];
        JDIMENSION left = dec->cinfo.output_height - dec->cinfo.output_scanline;
        JDIMENSION count = left < 16 ? left : 16;
        for (JDIMENSION i = 0; i < count; i++)
            rows[i] = pixels + (size_t)(dec->cinfo.output_scanline + i) * row_bytes;
        jpeg_read_scanlines(&dec->cinfo, rows, count);
    }
    dec->err.phase = GS_PHASE_FINISH;
    jpeg_finish_decompress(&dec->cinfo);
    return GS_JPEG_OK;
}

const char *gs_jpeg_decoder_message(const gs_jpeg_decoder *dec) { return dec ? dec->err.message : ""; }

int32_t gs_jpeg_decoder_failure_row(const gs_jpeg_decoder *dec) { return dec ? dec->err.failure_row : -1; }

int32_t gs_jpeg_decoder_failure_scan(const gs_jpeg_decoder *dec) { return dec ? dec->err.failure_scan : -1; }

const char *gs_jpeg_decoder_notes(const gs_jpeg_decoder *dec) { return dec ? dec->err.notes : ""; }

const uint8_t *gs_jpeg_decoder_exif(const gs_jpeg_decoder *dec, size_t *size) {
    *size = dec ? dec->exif_size : 0;
    return dec ? dec->exif : NULL;
}

const uint8_t *gs_jpeg_decoder_icc(const gs_jpeg_decoder *dec, size_t *size) {
    *size = dec ? dec->icc_size : 0;
    return dec ? dec->icc : NULL;
}

// MARK: encoding

gs_jpeg_encoder *gs_jpeg_encoder_create(void) {
    gs_jpeg_encoder *enc = calloc(1, sizeof *enc);
    if (enc) gs_jpeg_init_err(&enc->err);
    return enc;
}

void gs_jpeg_encoder_destroy(gs_jpeg_encoder *enc) {
    if (!enc) return;
    jpeg_destroy_compress(&enc->cinfo); // also abandons an unfinished compression
    free(enc);
}

gs_jpeg_status gs_jpeg_encoder_start(gs_jpeg_encoder *enc, FILE *file, const gs_jpeg_encode_params *params,
                                     const uint8_t *exif, size_t exif_size,
                                     const uint8_t *icc, size_t icc_size) {
    if (!enc) return GS_JPEG_MISUSE;
    if (enc->started || enc->failed) return gs_jpeg_misuse(&enc->err, "start called twice");
    if (params->components != 1 && params->components != 3)
        return gs_jpeg_misuse(&enc->err, "JPEG output needs 1 or 3 components");
    if (exif && exif_size > 65533 - 6) return gs_jpeg_misuse(&enc->err, "EXIF block too large for one APP1 segment");
    enc->started = 1;
    enc->failed = 1; // until the end of this function
    enc->components = params->components;
    enc->width = params->width;
    enc->err.phase = GS_PHASE_ENCODE;
    enc->cinfo.err = &enc->err.pub;
    if (setjmp(enc->err.jump)) return enc->err.status;

    jpeg_create_compress(&enc->cinfo);
    jpeg_stdio_dest(&enc->cinfo, file);
    enc->cinfo.image_width = params->width;
    enc->cinfo.image_height = params->height;
    enc->cinfo.input_components = params->components;
    enc->cinfo.in_color_space = params->components == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&enc->cinfo); // Y'CbCr for RGB input, grayscale for gray
    jpeg_set_quality(&enc->cinfo, params->quality, TRUE);
    if (params->components == 3) {
        int factor = params->subsample_420 ? 2 : 1;
        enc->cinfo.comp_info[0].h_samp_factor = factor;
        enc->cinfo.comp_info[0].v_samp_factor = factor;
        enc->cinfo.comp_info[1].h_samp_factor = enc->cinfo.comp_info[1].v_samp_factor = 1;
        enc->cinfo.comp_info[2].h_samp_factor = enc->cinfo.comp_info[2].v_samp_factor = 1;
    }
    if (params->progressive) jpeg_simple_progression(&enc->cinfo);
    jpeg_start_compress(&enc->cinfo, TRUE);

    if (exif && exif_size > 0) {
        static const uint8_t identifier[6] = { 'E', 'x', 'i', 'f', 0, 0 };
        jpeg_write_m_header(&enc->cinfo, JPEG_APP0 + 1, (unsigned int)(6 + exif_size));
        for (size_t i = 0; i < 6; i++) jpeg_write_m_byte(&enc->cinfo, identifier[i]);
        for (size_t i = 0; i < exif_size; i++) jpeg_write_m_byte(&enc->cinfo, exif[i]);
    }
    if (icc && icc_size > 0) jpeg_write_icc_profile(&enc->cinfo, icc, (unsigned int)icc_size);
    enc->failed = 0;
    return GS_JPEG_OK;
}

gs_jpeg_status gs_jpeg_encoder_write_rows(gs_jpeg_encoder *enc, const uint8_t *rows, size_t row_bytes,
                                          uint32_t count) {
    if (!enc) return GS_JPEG_MISUSE;
    if (!enc->started || enc->failed || enc->finished) return gs_jpeg_misuse(&enc->err, "write_rows called out of order");
    if (row_bytes < (size_t)enc->width * (size_t)enc->components) return gs_jpeg_misuse(&enc->err, "rows too short");
    enc->failed = 1; // until the end of this function
    if (setjmp(enc->err.jump)) return enc->err.status;

    uint32_t done = 0;
    while (done < count) {
        JSAMPROW pointers[16];
        uint32_t n = count - done < 16 ? count - done : 16;
        // libjpeg only reads the input rows; its API just lacks const.
        for (uint32_t i = 0; i < n; i++) pointers[i] = (JSAMPROW)(uintptr_t)(rows + (size_t)(done + i) * row_bytes);
        JDIMENSION written = jpeg_write_scanlines(&enc->cinfo, pointers, n);
        if (written == 0) return gs_jpeg_misuse(&enc->err, "libjpeg accepted no rows");
        done += written;
    }
    enc->failed = 0;
    return GS_JPEG_OK;
}

gs_jpeg_status gs_jpeg_encoder_finish(gs_jpeg_encoder *enc) {
    if (!enc) return GS_JPEG_MISUSE;
    if (!enc->started || enc->failed || enc->finished) return gs_jpeg_misuse(&enc->err, "finish called out of order");
    enc->failed = 1;
    if (setjmp(enc->err.jump)) return enc->err.status;
    jpeg_finish_compress(&enc->cinfo); // flushes the FILE and checks ferror
    enc->finished = 1;
    enc->failed = 0;
    return GS_JPEG_OK;
}

const char *gs_jpeg_encoder_message(const gs_jpeg_encoder *enc) { return enc ? enc->err.message : ""; }
