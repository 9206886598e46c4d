/*
 * grow.c - wu_grow().  The T* is read and written through memcpy, so no T**
 * is ever accessed as a void**.
 */
#include "util/grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int wu_grow(void *rowsp, size_t n, size_t *cap, size_t size)
{
    char *rows, *r;
    size_t nc;

    if (n < *cap)
        return 0;
    nc = *cap ? *cap * 2 : 16;
    if (nc < *cap || nc > SIZE_MAX / size)
        return -1;
    memcpy(&rows, rowsp, sizeof rows);
    if (!(r = realloc(rows, nc * size)))
        return -1;
    memcpy(rowsp, &r, sizeof r);
    *cap = nc;
    return 0;
}
