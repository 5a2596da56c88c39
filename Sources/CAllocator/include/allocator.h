#ifndef MODELDOCTOR_ALLOCATOR_H
#define MODELDOCTOR_ALLOCATOR_H
#include <stddef.h>

/* Makes the C library's allocator give every block of at least `bytes` its own mapping,
   returned to the system as soon as it is freed (glibc's mallopt M_MMAP_THRESHOLD, which
   Swift's Glibc module does not import). Without it glibc raises that threshold after the
   first such block is freed, and later large blocks (read buffers, growing arrays) come from
   the heap, where the small allocations made between them keep their pages resident. Does
   nothing on other C libraries. */
void md_allocator_map_blocks_from(size_t bytes);

#endif
