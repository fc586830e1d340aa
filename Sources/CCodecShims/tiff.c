#include "gs_tiff.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#define GS_TIFF_MAGIC 0x47535446u /* "GSTF": marks our client data in global handler calls */
#define GS_TIFF_MESSAGES 2048

struct gs_tiff_handle {
    uint32_t magic;
    TIFF *tiff;
    /* memory source (reading) */
    const uint8_t *data;
    uint64_t size;
    uint64_t position;
    int read_past_end;
    uint64_t past_end_start, past_end_end;
    /* file sink (writing) */
    FILE *file;
    int discarding;
    /* messages */
    char errors[GS_TIFF_MESSAGES];
    char warnings[GS_TIFF_MESSAGES];
};

/* Appends "module: message" to `buffer`, separated by "; ", truncating silently when full. */
static void gs_tiff_append(char *buffer, const char *module, const char *fmt, va_list ap) {
    size_t used = strlen(buffer);
    if (used + 4 >= GS_TIFF_MESSAGES) return;
    if (used > 0) {
        memcpy(buffer + used, "; ", 3);
        used += 2;
    }
    if (module && *module) {
        int n = snprintf(buffer + used, GS_TIFF_MESSAGES - used, "%s: ", module);
        if (n < 0) return;
        used += (size_t)n < GS_TIFF_MESSAGES - used ? (size_t)n : GS_TIFF_MESSAGES - used - 1;
    }
    if (used + 1 < GS_TIFF_MESSAGES) vsnprintf(buffer + used, GS_TIFF_MESSAGES - used, fmt, ap);
}

/* gs_tiff_append with its arguments given directly. */
static void gs_tiff_note(char *buffer, const char *module, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    gs_tiff_append(buffer, module, fmt, ap);
    va_end(ap);
}

static int gs_tiff_error_handler(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap) {
    (void)tif;
    gs_tiff_handle *h = user;
    if (h) gs_tiff_append(h->errors, module, fmt, ap);
    return 1; /* handled: libtiff must not call the global (stderr) handler */
}

static int gs_tiff_warning_handler(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap) {
    (void)tif;
    gs_tiff_handle *h = user;
    if (h) gs_tiff_append(h->warnings, module, fmt, ap);
    return 1;
}

/* A few libtiff paths still report through the global handlers with the client data as the
   handle: route those into the handle too, and never print. */
static void gs_tiff_global_error(thandle_t client, const char *module, const char *fmt, va_list ap) {
    gs_tiff_handle *h = (gs_tiff_handle *)client;
    if (h && h->magic == GS_TIFF_MAGIC) gs_tiff_append(h->errors, module, fmt, ap);
}

static void gs_tiff_global_warning(thandle_t client, const char *module, const char *fmt, va_list ap) {
    gs_tiff_handle *h = (gs_tiff_handle *)client;
    if (h && h->magic == GS_TIFF_MAGIC) gs_tiff_append(h->warnings, module, fmt, ap);
}

static pthread_once_t gs_tiff_once = PTHREAD_ONCE_INIT;

static void gs_tiff_install_global_handlers(void) {
    TIFFSetErrorHandler(NULL);
    TIFFSetWarningHandler(NULL);
    TIFFSetErrorHandlerExt(gs_tiff_global_error);
    TIFFSetWarningHandlerExt(gs_tiff_global_warning);
}

static gs_tiff_handle *gs_tiff_new_handle(void) {
    pthread_once(&gs_tiff_once, gs_tiff_install_global_handlers);
    gs_tiff_handle *h = calloc(1, sizeof *h);
    if (h) h->magic = GS_TIFF_MAGIC;
    return h;
}

static TIFFOpenOptions *gs_tiff_options(gs_tiff_handle *h) {
    TIFFOpenOptions *opts = TIFFOpenOptionsAlloc();
    if (!opts) return NULL;
    TIFFOpenOptionsSetErrorHandlerExtR(opts, gs_tiff_error_handler, h);
    TIFFOpenOptionsSetWarningHandlerExtR(opts, gs_tiff_warning_handler, h);
    return opts;
}

/* ---- memory source ---- */

static tmsize_t gs_tiff_mem_read(thandle_t client, void *buffer, tmsize_t count) {
    gs_tiff_handle *h = (gs_tiff_handle *)client;
    if (count <= 0) return 0;
    uint64_t want = (uint64_t)count;
    uint64_t available = h->position < h->size ? h->size - h->position : 0;
    if (want > available && !h->read_past_end) {
        h->read_past_end = 1;
        h->past_end_start = h->position;
        h->past_end_end = h->position + want;
    }
    uint64_t n = want < available ? want : available;
    if (n > 0) memcpy(buffer, h->data + h->position, (size_t)n);
    h->position += n;
    return (tmsize_t)n;
}

static tmsize_t gs_tiff_mem_write(thandle_t client, void *buffer, tmsize_t count) {
    (void)client; (void)buffer; (void)count;
    return -1; /* read-only */
}

static toff_t gs_tiff_mem_seek(thandle_t client, toff_t offset, int whence) {
    gs_tiff_handle *h = (gs_tiff_handle *)client;
    uint64_t base;
    switch (whence) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = h->position; break;
    case SEEK_END: base = h->size; break;
    default: return (toff_t)-1;
    }
    if (offset > UINT64_MAX - base) return (toff_t)-1;
    /* Like a file, a position past the end is allowed; reads there return nothing. */
    h->position = base + offset;
    return h->position;
}

static int gs_tiff_mem_close(thandle_t client) { (void)client; return 0; }
static toff_t gs_tiff_mem_size(thandle_t client) { return ((gs_tiff_handle *)client)->size; }
static int gs_tiff_no_map(thandle_t client, void **base, toff_t *size) {
    (void)client; (void)base; (void)size;
    return 0;
}
static void gs_tiff_no_unmap(thandle_t client, void *base, toff_t size) {
    (void)client; (void)base; (void)size;
}

gs_tiff_handle *gs_tiff_open_memory(const uint8_t *data, size_t size) {
    gs_tiff_handle *h = gs_tiff_new_handle();
    if (!h) return NULL;
    h->data = data;
    h->size = size;
    TIFFOpenOptions *opts = gs_tiff_options(h);
    if (!opts) { free(h); return NULL; }
    /* "m": no memory mapping, so every byte goes through the bounds-checked read proc. */
    h->tiff = TIFFClientOpenExt("<memory>", "rm", (thandle_t)h, gs_tiff_mem_read, gs_tiff_mem_write,
                                gs_tiff_mem_seek, gs_tiff_mem_close, gs_tiff_mem_size,
                                gs_tiff_no_map, gs_tiff_no_unmap, opts);
    TIFFOpenOptionsFree(opts);
    return h;
}

/* ---- FILE sink ---- */

static tmsize_t gs_tiff_file_read(thandle_t client, void *buffer, tmsize_t count) {
    gs_tiff_handle *h = (gs_tiff_handle *)client;
    if (count <= 0) return 0;
    return (tmsize_t)fread(buffer, 1, (size_t)count, h->file);
}

static tmsize_t gs_tiff_file_write(thandle_t client, void *buffer, tmsize_t count) {
    gs_tiff_handle *h = (gs_tiff_handle *)client;
    if (h->discarding) return -1;
    if (count <= 0) return 0;
    size_t n = fwrite(buffer, 1, (size_t)count, h->file);
    if (n == (size_t)count) return count;
    /* libtiff says only "Write error at scanline N": keep the system's reason (a full disk) first. */
    gs_tiff_note(h->errors, "write", "%s", strerror(errno));
    return -1;
}

static toff_t gs_tiff_file_seek(thandle_t client, toff_t offset, int whence) {
    gs_tiff_handle *h = (gs_tiff_handle *)client;
    if (offset > (toff_t)INT64_MAX) return (toff_t)-1;
    if (fseeko(h->file, (off_t)offset, whence) != 0) return (toff_t)-1;
    off_t position = ftello(h->file);
    return position < 0 ? (toff_t)-1 : (toff_t)position;
}

static int gs_tiff_file_close(thandle_t client) { (void)client; return 0; /* the FILE stays open */ }

static toff_t gs_tiff_file_size(thandle_t client) {
    gs_tiff_handle *h = (gs_tiff_handle *)client;
    off_t here = ftello(h->file);
    if (here < 0 || fseeko(h->file, 0, SEEK_END) != 0) return 0;
    off_t end = ftello(h->file);
    fseeko(h->file, here, SEEK_SET);
    return end < 0 ? 0 : (toff_t)end;
}

gs_tiff_handle *gs_tiff_open_file_for_writing(FILE *file, int bigtiff) {
    gs_tiff_handle *h = gs_tiff_new_handle();
    if (!h) return NULL;
    h->file = file;
    TIFFOpenOptions *opts = gs_tiff_options(h);
    if (!opts) { free(h); return NULL; }
    h->tiff = TIFFClientOpenExt("<output>", bigtiff ? "w8m" : "wm", (thandle_t)h, gs_tiff_file_read,
                                gs_tiff_file_write, gs_tiff_file_seek, gs_tiff_file_close,
                                gs_tiff_file_size, gs_tiff_no_map, gs_tiff_no_unmap, opts);
    TIFFOpenOptionsFree(opts);
    return h;
}

/* ---- handle accessors ---- */

TIFF *gs_tiff_tiff(gs_tiff_handle *h) { return h ? h->tiff : NULL; }
const char *gs_tiff_errors(const gs_tiff_handle *h) { return h ? h->errors : ""; }
const char *gs_tiff_warnings(const gs_tiff_handle *h) { return h ? h->warnings : ""; }

void gs_tiff_clear_messages(gs_tiff_handle *h) {
    if (!h) return;
    h->errors[0] = 0;
    h->warnings[0] = 0;
    h->read_past_end = 0;
    h->past_end_start = h->past_end_end = 0;
}

int gs_tiff_read_past_end(const gs_tiff_handle *h, uint64_t *start, uint64_t *end) {
    if (!h || !h->read_past_end) return 0;
    if (start) *start = h->past_end_start;
    if (end) *end = h->past_end_end;
    return 1;
}

void gs_tiff_discard_writes(gs_tiff_handle *h) {
    if (h) h->discarding = 1;
}

void gs_tiff_close(gs_tiff_handle *h) {
    if (!h) return;
    if (h->tiff) TIFFClose(h->tiff);
    h->magic = 0;
    free(h);
}

/* ---- variadic accessors ---- */

int gs_tiff_get_u16(TIFF *tif, uint32_t tag, uint16_t *value) {
    return TIFFGetField(tif, tag, value) == 1;
}

int gs_tiff_get_u16_defaulted(TIFF *tif, uint32_t tag, uint16_t *value) {
    return TIFFGetFieldDefaulted(tif, tag, value) == 1;
}

int gs_tiff_get_u32(TIFF *tif, uint32_t tag, uint32_t *value) {
    return TIFFGetField(tif, tag, value) == 1;
}

int gs_tiff_get_u32_defaulted(TIFF *tif, uint32_t tag, uint32_t *value) {
    return TIFFGetFieldDefaulted(tif, tag, value) == 1;
}

int gs_tiff_get_icc(TIFF *tif, uint32_t *length, const uint8_t **bytes) {
    uint32_t n = 0;
    void *p = NULL;
    if (TIFFGetField(tif, TIFFTAG_ICCPROFILE, &n, &p) != 1 || !p || n == 0) return 0;
    *length = n;
    *bytes = p;
    return 1;
}

int gs_tiff_get_extra_samples(TIFF *tif, uint16_t *count, const uint16_t **kinds) {
    uint16_t n = 0;
    uint16_t *p = NULL;
    if (TIFFGetFieldDefaulted(tif, TIFFTAG_EXTRASAMPLES, &n, &p) != 1) return 0;
    *count = n;
    *kinds = p;
    return 1;
}

int gs_tiff_get_colormap(TIFF *tif, const uint16_t **red, const uint16_t **green, const uint16_t **blue) {
    uint16_t *r = NULL, *g = NULL, *b = NULL;
    if (TIFFGetField(tif, TIFFTAG_COLORMAP, &r, &g, &b) != 1 || !r || !g || !b) return 0;
    *red = r;
    *green = g;
    *blue = b;
    return 1;
}

/* uint16 tags are read by libtiff with va_arg(ap, int): pass int. */
int gs_tiff_set_u16(TIFF *tif, uint32_t tag, uint16_t value) { return TIFFSetField(tif, tag, (int)value); }
int gs_tiff_set_u32(TIFF *tif, uint32_t tag, uint32_t value) { return TIFFSetField(tif, tag, value); }

int gs_tiff_set_counted_bytes(TIFF *tif, uint32_t tag, uint32_t count, const void *bytes) {
    return TIFFSetField(tif, tag, count, bytes);
}

int gs_tiff_set_extra_samples(TIFF *tif, uint16_t count, const uint16_t *kinds) {
    return TIFFSetField(tif, TIFFTAG_EXTRASAMPLES, (int)count, kinds);
}

int gs_tiff_set_string(TIFF *tif, uint32_t tag, const char *value) {
    return TIFFSetField(tif, tag, value);
}
