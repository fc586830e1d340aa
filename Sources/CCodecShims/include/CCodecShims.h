// Umbrella header of the C shims: the only C in Gigascale. Each codec's entry points catch
// libpng's / libjpeg's longjmp errors (or libtiff's handler calls) and return an error string,
// so that no C library ever prints to stderr, calls exit(), or unwinds through Swift frames.
#ifndef GIGASCALE_CCODECSHIMS_H
#define GIGASCALE_CCODECSHIMS_H
#include "gs_png.h"
#include "gs_jpeg.h"
#include "gs_tiff.h"
#endif
