/*
 * crc32c.h: CRC-32C (Castagnoli), the checksum of the index format.
 * Uses the SSE4.2 instruction when the CPU has it, a table otherwise; both
 * give the same value.
 */
#ifndef HG_CRC32C_H
#define HG_CRC32C_H

#include <stddef.h>
#include <stdint.h>

uint32_t hg_crc32c(uint32_t crc, const void *data, size_t len);

#endif
