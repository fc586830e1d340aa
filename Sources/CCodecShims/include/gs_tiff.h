#ifndef GS_TIFF_H
#define GS_TIFF_H
// libtiff needs no longjmp, but its messages go to stderr through global handlers unless each
// handle gets its own, and TIFFGetField/TIFFSetField are variadic, which Swift cannot call.
// These entry points open TIFF handles over a memory buffer (reading) or a FILE* (writing),
// each with silent per-handle handlers that collect the messages, and wrap the variadic
// accessors with fixed signatures.
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <tiffio.h>

/// A libtiff handle together with its I/O source and the messages libtiff produced for it.
typedef struct gs_tiff_handle gs_tiff_handle;

/// Opens `data[0..<size]` (not copied; must outlive the handle) for reading. Returns NULL only
/// when out of memory; when libtiff refuses the data, returns a handle whose `tiff` is NULL and
/// whose error text says why.
gs_tiff_handle *gs_tiff_open_memory(const uint8_t *data, size_t size);

/// Opens `file` (seekable, positioned anywhere; libtiff writes from offset 0) for writing a
/// classic TIFF, or a BigTIFF when `bigtiff` is non-zero. The FILE is not closed by the handle.
gs_tiff_handle *gs_tiff_open_file_for_writing(FILE *file, int bigtiff);

/// The libtiff handle, or NULL when opening failed.
TIFF *gs_tiff_tiff(gs_tiff_handle *h);

/// The error messages collected so far ("module: message; module: message"), "" if none.
const char *gs_tiff_errors(const gs_tiff_handle *h);
/// The warning messages collected so far, "" if none.
const char *gs_tiff_warnings(const gs_tiff_handle *h);
/// Forgets the collected messages and read-past-end records.
void gs_tiff_clear_messages(gs_tiff_handle *h);

/// For memory handles: whether some read asked for bytes past the end of the data, and where
/// the first such read started and wanted to end.
int gs_tiff_read_past_end(const gs_tiff_handle *h, uint64_t *start, uint64_t *end);

/// For file handles: makes every later write fail silently, so that closing an abandoned
/// output writes nothing more.
void gs_tiff_discard_writes(gs_tiff_handle *h);

/// Closes the TIFF (flushing a writer) and frees the handle. Safe with NULL.
void gs_tiff_close(gs_tiff_handle *h);

// Fixed-signature wrappers of the variadic accessors. Each returns 1 when the tag is present
// (or defaulted, for the _defaulted variants), 0 otherwise.
int gs_tiff_get_u16(TIFF *tif, uint32_t tag, uint16_t *value);
int gs_tiff_get_u16_defaulted(TIFF *tif, uint32_t tag, uint16_t *value);
int gs_tiff_get_u32(TIFF *tif, uint32_t tag, uint32_t *value);
int gs_tiff_get_u32_defaulted(TIFF *tif, uint32_t tag, uint32_t *value);
/// ICC profile bytes (TIFFTAG_ICCPROFILE), pointing into libtiff's directory storage.
int gs_tiff_get_icc(TIFF *tif, uint32_t *length, const uint8_t **bytes);
/// ExtraSamples (count and kinds), defaulted to none.
int gs_tiff_get_extra_samples(TIFF *tif, uint16_t *count, const uint16_t **kinds);
/// The three colour-map arrays of a palette image (each 2^BitsPerSample entries).
int gs_tiff_get_colormap(TIFF *tif, const uint16_t **red, const uint16_t **green, const uint16_t **blue);

int gs_tiff_set_u16(TIFF *tif, uint32_t tag, uint16_t value);
int gs_tiff_set_u32(TIFF *tif, uint32_t tag, uint32_t value);
/// Sets a tag whose value is a count and an array (ICC profile: count, bytes).
int gs_tiff_set_counted_bytes(TIFF *tif, uint32_t tag, uint32_t count, const void *bytes);
/// Sets ExtraSamples.
int gs_tiff_set_extra_samples(TIFF *tif, uint16_t count, const uint16_t *kinds);
/// Sets an ASCII tag.
int gs_tiff_set_string(TIFF *tif, uint32_t tag, const char *value);

#endif
