/*
 * fingerprint.h - a content fingerprint of an input file, so that importing
 * the same bytes twice is recognised without parsing them again.
 */
#ifndef WUDIAG_FINGERPRINT_H
#define WUDIAG_FINGERPRINT_H

#include <stdint.h>
#include <stdio.h>

/*
 * Hash the whole stream from its current position to EOF into hex (17
 * bytes incl. NUL) and set *size.  Returns 0, or -1 on a read error.
 */
int fingerprint_stream(FILE *fp, char hex[17], int64_t *size);

#endif
