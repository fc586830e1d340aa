#ifndef GS_TIFF_H
#define GS_TIFF_H
// PLACEHOLDER
#endif
