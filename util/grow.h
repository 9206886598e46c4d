/*
 * grow.h - room for one more row in a growable array, the one pattern every
 * table-building module needs (model rows, findings, fleet rows, tokens).
 */
#ifndef WUDIAG_GROW_H
#define WUDIAG_GROW_H

#include <stddef.h>

/*
 * rowsp points at a T* variable holding n rows in *cap allocated ones; size
 * is sizeof(T).  When full, the array doubles (from 16).  Returns 0, or -1
 * on out of memory (the array is then unchanged).
 */
int wu_grow(void *rowsp, size_t n, size_t *cap, size_t size);

#endif
