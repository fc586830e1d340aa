#ifndef GS_JPEG_H
#define GS_JPEG_H
// PLACEHOLDER
#endif
