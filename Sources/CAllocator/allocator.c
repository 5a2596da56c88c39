#include <stdlib.h> /* defines __GLIBC__ on glibc */
#include "allocator.h"
#if defined(__GLIBC__)
#include <malloc.h>
#endif

void md_allocator_map_blocks_from(size_t bytes) {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, (int)bytes);
#else
    (void)bytes;
#endif
}
