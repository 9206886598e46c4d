/*
 * crc32.h - the CRC-32 of RFC 1952 (gzip, zip, PNG, Ethernet: reflected
 * polynomial 0xEDB88320, initial and final XOR 0xFFFFFFFF), which is what
 * the .evtx format stores for its file header, chunk headers and event
 * records (collector/evtx_source.c verifies them).  Table-driven, no state.
 */
#ifndef WUDIAG_CRC32_H
#define WUDIAG_CRC32_H

#include <stddef.h>
#include <stdint.h>

/*
 * The CRC-32 of len bytes at data, continuing from crc (the value returned
 * for the bytes before; 0 to start).  So crc32_update(crc32_update(0, a),
 * b) is the CRC of a followed by b.
 */
uint32_t crc32_update(uint32_t crc, const void *data, size_t len);

#endif
