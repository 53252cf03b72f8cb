#ifndef DNSR_ZLIB_SHIM_H
#define DNSR_ZLIB_SHIM_H
#include <zlib.h>

/* deflateInit2/inflateInit2 are macros; Swift needs real functions. */
static inline int dnsr_deflate_init2(z_stream *s, int level, int windowBits, int memLevel) {
    return deflateInit2(s, level, Z_DEFLATED, windowBits, memLevel, Z_DEFAULT_STRATEGY);
}
static inline int dnsr_inflate_init2(z_stream *s, int windowBits) { return inflateInit2(s, windowBits); }

#endif
