#ifndef MODELDOCTOR_BYTE_SEARCH_H
#define MODELDOCTOR_BYTE_SEARCH_H
#include <stddef.h>

/* The first occurrence of the needle in the haystack: in a long haystack a memchr on the
   needle's rarest byte and a compare, else (or where that byte is common) the C library's
   memmem, which Swift's Glibc module does not import (a GNU extension there). NULL when the
   needle does not occur; an empty needle is found at the start. */
const void *md_memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len);

#endif
