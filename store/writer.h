/*
 * writer.h: write an index file (format.h) section by section, atomically.
 *
 * The caller says up front how many bytes each section will hold; the writer
 * lays the file out, then takes the sections in kind order as a stream of
 * bytes, computing each section's CRC-32C and the CRC of every 64 KiB block
 * as they pass, so no section need be in memory whole.  Close writes the
 * block table and the header and renames the temporary file over the target:
 * a kill never leaves a half-written index under the final name, and the
 * temporary file a killed writer left is removed by the next writer of the
 * same path.  HG_WRITE_DURABLE also fsyncs the file before the rename and the
 * directory after it, so that a power loss cannot leave a damaged index under
 * the final name either; HG_WRITE_ATOMIC leaves that to the kernel, for files
 * that are only an intermediate step and are verified before reuse (the parts
 * of a batch run, index/batch.h).
 */
#ifndef HG_WRITER_H
#define HG_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "store/format.h"

typedef struct HgIndexWriter HgIndexWriter;

typedef enum {
  HG_WRITE_DURABLE, /* atomic against a kill and a power loss: fsync, rename, fsync the directory */
  HG_WRITE_ATOMIC,  /* atomic against a kill: rename only */
} HgWriteMode;

/* An index is written beside path and renamed over it, which would replace
 * whatever path names: so path must be absent or a regular file (not a
 * device, FIFO, socket, directory or symbolic link).  HG_OK, or HG_ERR_USAGE
 * with err saying what path is; the writer checks again before its rename. */
HgStatus hg_writer_check_target(const char *path, char *err, size_t errlen);

/* bytes[k]: the exact size of section k (BLOCKCRCS is the writer's own). */
HgStatus hg_writer_open(HgIndexWriter **w, const char *path, const uint64_t bytes[HG_SEC_COUNT_], HgWriteMode mode,
                        char *err, size_t errlen);
/* Start section kind (kinds in increasing order, each once). */
void hg_writer_section(HgIndexWriter *w, int kind);
/* Append bytes to the current section. */
void hg_writer_put(HgIndexWriter *w, const void *p, size_t n);
/* Finish: the sizes must match what open was told.  Frees w either way. */
HgStatus hg_writer_close(HgIndexWriter *w, char *err, size_t errlen);
/* Give up: remove the temporary file.  Frees w. */
void hg_writer_abort(HgIndexWriter *w);

#endif
