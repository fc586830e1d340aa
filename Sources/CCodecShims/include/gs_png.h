#ifndef GS_PNG_H
#define GS_PNG_H
// PLACEHOLDER
#endif
