/*
 * diag.h: diagnostics and status codes shared by every layer.
 *
 * A diagnostic is what a person reads as `path:line:col: severity: message`
 * and a machine reads as {"path","line","col","severity","message"}.  Lines
 * and columns are stored 0-indexed and printed 1-indexed, as compilers do.
 */
#ifndef HG_DIAG_H
#define HG_DIAG_H

#include <stdint.h>
#include <stdio.h>

typedef enum {
  HG_OK = 0,
  HG_ERR_IO,        /* a file could not be read or written */
  HG_ERR_FORMAT,    /* an index is damaged, truncated or of another version */
  HG_ERR_INPUT,     /* bad input that was reported and skipped */
  HG_ERR_USAGE,     /* bad arguments */
  HG_ERR_NOT_FOUND, /* a target or repository is not in the index */
  HG_ERR_INTERNAL,  /* a bug or resource exhaustion */
} HgStatus;

typedef enum { HG_SEV_ERROR = 0, HG_SEV_WARNING, HG_SEV_NOTE } HgSeverity;

typedef struct {
  uint32_t line, col;
  uint8_t severity;
  const char *message;
} HgDiag;

const char *hg_status_str(HgStatus s);
const char *hg_severity_str(HgSeverity s);
/* Print `path:line:col: severity: message` (1-indexed) to f. */
void hg_diag_print(FILE *f, const char *path, const HgDiag *d);

#endif

#ifndef HG_EXIT_CODES
#define HG_EXIT_CODES
/* Process exit codes shared by every hgym command (docs/CLI.md). */
enum {
  HG_EXIT_OK = 0,        /* success */
  HG_EXIT_NOT_FOUND = 1, /* a query target or repository is not in the index */
  HG_EXIT_USAGE = 2,     /* bad arguments */
  HG_EXIT_INPUT = 3,     /* bad input: unreadable repository, damaged index (partial results written) */
  HG_EXIT_INTERNAL = 4,  /* an internal failure: out of memory, cannot write output */
};
/* The exit code for a status. */
int hg_exit_code(HgStatus s);
#endif
