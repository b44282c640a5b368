#include "base/diag.h"

const char *hg_status_str(HgStatus s) {
  switch (s) {
  case HG_OK: return "ok";
  case HG_ERR_IO: return "I/O error";
  case HG_ERR_FORMAT: return "bad index format";
  case HG_ERR_INPUT: return "bad input";
  case HG_ERR_USAGE: return "usage error";
  case HG_ERR_NOT_FOUND: return "not found";
  case HG_ERR_INTERNAL: return "internal error";
  }
  return "unknown status";
}

const char *hg_severity_str(HgSeverity s) {
  switch (s) {
  case HG_SEV_ERROR: return "error";
  case HG_SEV_WARNING: return "warning";
  case HG_SEV_NOTE: return "note";
  }
  return "error";
}

void hg_diag_print(FILE *f, const char *path, const HgDiag *d) {
  fprintf(f, "%s:%u:%u: %s: %s\n", path, d->line + 1, d->col + 1, hg_severity_str(d->severity), d->message);
}

int hg_exit_code(HgStatus s) {
  switch (s) {
  case HG_OK: return HG_EXIT_OK;
  case HG_ERR_NOT_FOUND: return HG_EXIT_NOT_FOUND;
  case HG_ERR_USAGE: return HG_EXIT_USAGE;
  case HG_ERR_IO:
  case HG_ERR_FORMAT:
  case HG_ERR_INPUT: return HG_EXIT_INPUT;
  case HG_ERR_INTERNAL: return HG_EXIT_INTERNAL;
  }
  return HG_EXIT_INTERNAL;
}
