#ifndef MODELDOCTOR_CZLIB_SHIM_H
#define MODELDOCTOR_CZLIB_SHIM_H
#include <zlib.h>

/* inflateInit2 is a macro in zlib.h, which Swift cannot call; these wrappers
   pass the version and stream size the macro would. */

/* windowBits 15+32: zlib or gzip header, detected automatically. */
static inline int md_inflate_init_auto(z_stream *s) {
    return inflateInit2_(s, 15 + 32, ZLIB_VERSION, (int)sizeof(z_stream));
}
/* windowBits -15: raw deflate, as stored in zip entries. */
static inline int md_inflate_init_raw(z_stream *s) {
    return inflateInit2_(s, -15, ZLIB_VERSION, (int)sizeof(z_stream));
}
/* windowBits 15+16: gzip wrapper, for writing .gz copies. */
static inline int md_deflate_init_gzip(z_stream *s, int level) {
    return deflateInit2_(s, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                         ZLIB_VERSION, (int)sizeof(z_stream));
}
#endif
