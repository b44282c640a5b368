#include "index/batch.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/strset.h"
#include "base/utf8.h"
#include "index/gitinfo.h"
#include "index/walk.h"
#include "store/builder_p.h"
#include "store/merge.h"
#include "store/reader.h"

void hg_memory_keep_freed(void) {
  mallopt(M_MMAP_THRESHOLD, 32 << 20); /* glibc's largest; also stops its dynamic threshold */
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

/* ---- repository lists ------------------------------------------------------------ */

static char *hg_batch__dup(const char *s) {
  char *d = hg_xstrdup(s ? s : "");
  return d;
}

/* The last component of path's real path (of path itself when it has none). */
static char *hg_batch__dir_name(const char *path) {
  char real[PATH_MAX];
  const char *p = realpath(path, real) ? real : path;
  size_t n = strlen(p);
  while (n > 1 && p[n - 1] == '/') n--;
  const char *s = p + n;
  while (s > p && s[-1] != '/') s--;
  return hg_xstrndup(s, (size_t)(p + n - s));
}

/* path relative to root, both resolved: 0, or -1 when path is not root or under it. */
static int hg_batch__relative(const char *root, const char *path, char *prefix, size_t len) {
  char rr[PATH_MAX], rp[PATH_MAX];
  if (!realpath(root, rr) || !realpath(path, rp)) return -1;
  size_t n = strlen(rr);
  if (n == 1) n = 0; /* root is "/" */
  if (strncmp(rp, rr, n) != 0 || (rp[n] != 0 && rp[n] != '/')) return -1;
  snprintf(prefix, len, "%s", rp[n] ? rp + n + 1 : "");
  return 0;
}

HgStatus hg_repo_list_add(HgRepoList *l, const char *path, const char *name, const char *commit, const char *root,
                          uint32_t line, char *err, size_t errlen) {
  char found[PATH_MAX], prefix[PATH_MAX] = "";
  if (root) {
    if (!realpath(root, found)) {
      snprintf(err, errlen, "%s: the root %s cannot be resolved: %s", path, root, strerror(errno));
      return HG_ERR_USAGE;
    }
    char rp[PATH_MAX];
    /* a directory that does not exist fails when it is indexed, as without a root */
    if (realpath(path, rp) && hg_batch__relative(root, path, prefix, sizeof prefix) != 0) {
      snprintf(err, errlen, "%s: not inside the root %s", path, root);
      return HG_ERR_USAGE;
    }
  } else if (hg_git_find_root(path, found, sizeof found, prefix, sizeof prefix) == 0 && prefix[0]) {
    root = found; /* a checkout above path tracks it */
  } else {
    root = path;
    prefix[0] = 0;
  }
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 16;
    HgRepoEntry *n = hg_xrealloc(l->items, l->cap * sizeof *n);
    l->items = n;
  }
  HgRepoEntry *e = &l->items[l->n++];
  e->path = hg_batch__dup(path);
  e->root = hg_batch__dup(root);
  e->prefix = hg_batch__dup(prefix);
  char git[256];
  if (name)
    e->name = hg_batch__dup(name);
  else if (hg_git_origin_name(root, git, sizeof git) == 0)
    e->name = hg_batch__dup(git);
  else
    e->name = hg_batch__dir_name(path);
  e->commit = hg_batch__dup(commit ? commit : hg_git_head(root, git, sizeof git) == 0 ? git : "");
  e->line = line;
  return HG_OK;
}

void hg_repo_list_free(HgRepoList *l) {
  for (uint32_t i = 0; i < l->n; i++) {
    free(l->items[i].path);
    free(l->items[i].name);
    free(l->items[i].commit);
    free(l->items[i].root);
    free(l->items[i].prefix);
  }
  free(l->items);
  memset(l, 0, sizeof *l);
}

HgStatus hg_manifest_read(const char *file, HgRepoList *l, char *err, size_t errlen) {
  FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
  if (!f) {
    snprintf(err, errlen, "%s: cannot open manifest: %s", file, strerror(errno));
    return HG_ERR_IO;
  }
  struct stat fs;
  if (fstat(fileno(f), &fs) == 0 && S_ISDIR(fs.st_mode)) {
    snprintf(err, errlen, "%s: cannot read manifest: %s", file, strerror(EISDIR));
    if (f != stdin) fclose(f);
    return HG_ERR_IO;
  }
  char *line = NULL;
  size_t cap = 0;
  uint32_t no = 0;
  HgStatus st = HG_OK;
  ssize_t got;
  errno = 0;
  while ((got = getline(&line, &cap, f)) >= 0) {
    no++;
    /* a NUL would end the line for strtok and silently cut its fields */
    const char *nul = memchr(line, 0, (size_t)got);
    if (nul) {
      snprintf(err, errlen, "%s:%u: NUL byte in the line (byte %zu)", file, no, (size_t)(nul - line) + 1);
      st = HG_ERR_USAGE;
      break;
    }
    char *fields[5] = {0};
    int nf = 0;
    for (char *tok = strtok(line, " \t\r\n"); tok && nf < 5; tok = strtok(NULL, " \t\r\n")) fields[nf++] = tok;
    if (nf == 0 || fields[0][0] == '#') continue;
    if (nf > 4) {
      snprintf(err, errlen, "%s:%u: expected `path [name [commit [root]]]`, found more fields", file, no);
      st = HG_ERR_USAGE;
      break;
    }
    for (int k = 1; k <= 2; k++)
      if (fields[k] && strcmp(fields[k], "-") == 0) fields[k] = NULL; /* the default */
    char why[PATH_MAX + 200];
    if ((st = hg_repo_list_add(l, fields[0], fields[1], fields[2], fields[3], no, why, sizeof why)) != HG_OK) {
      snprintf(err, errlen, "%s:%u: %s", file, no, why);
      break;
    }
  }
  if (st == HG_OK && ferror(f)) {
    snprintf(err, errlen, "%s: cannot read manifest: %s", file, strerror(errno ? errno : EIO));
    st = HG_ERR_IO;
  }
  free(line);
  if (f != stdin) fclose(f);
  if (st == HG_OK && l->n == 0) {
    snprintf(err, errlen, "%s: the manifest lists no repository", file);
    st = HG_ERR_USAGE;
  }
  return st;
}

HgStatus hg_repo_list_check(const HgRepoList *l, char *err, size_t errlen) {
  HgStrSet seen = {0}; /* names of any length cost one pass (base/strset.h) */
  HgStatus st = HG_OK;
  for (uint32_t i = 0; i < l->n && st == HG_OK; i++) {
    uint32_t first;
    if (hg_strset_add(&seen, l->items[i].name, i + 1, &first)) {
      const HgRepoEntry *a = &l->items[first - 1], *b = &l->items[i];
      snprintf(err, errlen, "repository name '%.300s' is given twice (%s%u and %s%u): names must be unique", b->name,
               a->line ? "line " : "argument ", a->line ? a->line : first, b->line ? "line " : "argument ",
               b->line ? b->line : i + 1);
      st = HG_ERR_USAGE;
    }
  }
  hg_strset_free(&seen);
  return st;
}

void hg_batch_options_default(HgBatchOptions *opt) {
  memset(opt, 0, sizeof *opt);
  hg_index_options_default(&opt->index);
}

/* ---- the run --------------------------------------------------------------------- */

typedef enum { JOB_PENDING = 0, JOB_RESUMED, JOB_DONE, JOB_FAILED } HgBatchJobState;

typedef struct {
  uint32_t entry;     /* index into the list */
  uint64_t est_bytes; /* Python source bytes found by a first walk */
  HgBatchJobState state;
  int write_failed; /* the repository was read but its part could not be written */
  HgRepoStats stats;
  char error[256];
} HgBatchJob;

typedef struct {
  const HgRepoList *list;
  const HgBatchOptions *opt;
  const char *parts; /* the parts directory */
  HgBatchJob *jobs;
  uint32_t *order; /* jobs to run, largest first */
  uint32_t n_order, next;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  uint32_t finished; /* of the jobs to run */
  uint64_t bytes_done, bytes_total, files_done;
  double t0;
  int report_errno; /* the first failed write of the report */
} HgBatchRun;

static double hg_batch__now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void hg_batch__part_path(const HgBatchRun *run, uint32_t entry, char *buf, size_t len) {
  snprintf(buf, len, "%s/%06u.idx", run->parts, entry);
}

/* What part NNNNNN.idx was built from, in NNNNNN.src beside it: the options
 * that change an index, where its paths are rooted (the root recorded and the
 * prefix put before every path: --root, a manifest's fourth field or the
 * checkout found), and the digest of the files (hg_walk_digest, over paths
 * relative to the directory walked).  A part is resumed only when this text is
 * the one the present options, root and files give: one built with
 * --max-file-size 1K, before a file changed, or for a directory since moved
 * within its root (the same files under another prefix) is indexed again.
 * Root and prefix are written with their lengths, so that no pair of names
 * reads as another. */
enum { HG_SOURCES_MAX = 2 * PATH_MAX + 256 };
static void hg_batch__sources_text(const HgIndexOptions *opt, const HgRepoEntry *e, uint64_t digest, char *buf,
                                   size_t len) {
  snprintf(buf, len,
           "hgym-index part sources 2\n"
           "max_file_size %llu\nmax_files %u\nparse_timeout_us %llu\n"
           "root %zu %s\nprefix %zu %s\n"
           "files %016llx\n",
           (unsigned long long)opt->max_file_bytes, opt->max_files, (unsigned long long)opt->parse_budget_us,
           strlen(e->root), e->root, strlen(e->prefix), e->prefix, (unsigned long long)digest);
}

static void hg_batch__src_path(const HgBatchRun *run, uint32_t entry, char *buf, size_t len) {
  snprintf(buf, len, "%s/%06u.src", run->parts, entry);
}

/* Write text as NNNNNN.src, atomically (a temporary file renamed). */
static int hg_batch__write_src(const HgBatchRun *run, uint32_t entry, const char *text) {
  char path[PATH_MAX + 32], tmp[PATH_MAX + 64];
  hg_batch__src_path(run, entry, path, sizeof path);
  snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) return -1;
  size_t n = strlen(text);
  int bad = write(fd, text, n) != (ssize_t)n;
  bad |= close(fd) != 0;
  if (bad || rename(tmp, path) != 0) {
    unlink(tmp);
    return -1;
  }
  return 0;
}

/* NNNNNN.src holds exactly text. */
static int hg_batch__src_matches(const HgBatchRun *run, uint32_t entry, const char *text) {
  char path[PATH_MAX + 32], buf[HG_SOURCES_MAX + 1];
  hg_batch__src_path(run, entry, path, sizeof path);
  int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return 0;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n < 0) return 0;
  buf[n] = 0;
  return strcmp(buf, text) == 0;
}

/* A part already written for this entry (same repository name, root and
 * commit, built with the same options from the same files: its .src), whole:
 * parts are written without fsync (HG_WRITE_ATOMIC), so one a power loss
 * damaged must be found here, by every block's checksum, and indexed again
 * rather than merged. */
static int hg_batch__part_is_valid(const HgBatchRun *run, uint32_t entry, const char *sources) {
  char path[PATH_MAX + 32], err[256];
  if (!sources || !hg_batch__src_matches(run, entry, sources)) return 0;
  hg_batch__part_path(run, entry, path, sizeof path);
  HgIndex *ix;
  if (hg_index_open(path, &ix, err, sizeof err) != HG_OK) return 0;
  const HgRepoEntry *e = &run->list->items[entry];
  int ok = hg_index_verify(ix, err, sizeof err) == HG_OK && hg_index_count(ix, HG_SEC_REPOS) == 1 &&
           strcmp(hg_index_str(ix, hg_index_repo(ix, 0)->name), e->name) == 0 &&
           strcmp(hg_index_str(ix, hg_index_repo(ix, 0)->root), e->root) == 0 &&
           strcmp(hg_index_str(ix, hg_index_repo(ix, 0)->commit), e->commit) == 0;
  hg_index_close(ix);
  return ok;
}

/* Hand the report's lines to the file as each repository finishes (a reader
 * of a FIFO sees them then); the first failure is kept for the exit code. */
static void hg_batch__report_flush(HgBatchRun *run) {
  FILE *out = run->opt->report;
  if (out && (fflush(out) != 0 || ferror(out)) && !run->report_errno) run->report_errno = errno ? errno : EIO;
}

/* One report line, and o freed: valid UTF-8 whatever bytes a path or name
 * holds (hg_utf8_fputs, the rule of every JSON output); a failed write shows
 * in the stream's error flag, which hg_batch__report_flush reads. */
static void hg_batch__report_line(FILE *out, cJSON *o) {
  char *line = cJSON_PrintUnformatted(o);
  cJSON_Delete(o);
  if (!line) return;
  hg_utf8_fputs(line, out);
  fputc('\n', out);
  cJSON_free(line);
}

static void hg_batch__report_repo(const HgBatchRun *run, const HgBatchJob *job, const char *status) {
  FILE *out = run->opt->report;
  if (!out) return;
  const HgRepoEntry *e = &run->list->items[job->entry];
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "record", "repository");
  cJSON_AddNumberToObject(o, "index", job->entry);
  cJSON_AddStringToObject(o, "repo", e->name);
  cJSON_AddStringToObject(o, "path", e->path);
  cJSON_AddStringToObject(o, "commit", e->commit);
  cJSON_AddStringToObject(o, "status", status);
  if (job->state == JOB_FAILED) cJSON_AddStringToObject(o, "error", job->error);
  if (job->state == JOB_DONE) {
    const HgRepoStats *s = &job->stats;
    cJSON_AddNumberToObject(o, "files", s->files);
    cJSON_AddNumberToObject(o, "skipped", s->skipped);
    cJSON_AddNumberToObject(o, "unreadable", s->unreadable);
    cJSON_AddNumberToObject(o, "files_with_syntax_errors", s->with_errors);
    cJSON_AddNumberToObject(o, "not_utf8", s->not_utf8);
    cJSON_AddNumberToObject(o, "definitions", (double)s->defs);
    cJSON_AddNumberToObject(o, "lines", (double)s->lines);
    cJSON_AddNumberToObject(o, "bytes", (double)s->bytes);
    cJSON_AddNumberToObject(o, "diagnostics", (double)s->diags);
    cJSON_AddNumberToObject(o, "call_sites", (double)s->resolve.calls);
    cJSON_AddNumberToObject(o, "calls_in_repository", (double)s->resolve.repo);
    cJSON_AddNumberToObject(o, "calls_unresolved", (double)s->resolve.unresolved);
    cJSON_AddNumberToObject(o, "seconds", s->seconds);
  }
  hg_batch__report_line(out, o);
}

/* The repository's diagnostics from its builder, as report lines. */
static void hg_batch__report_diags(const HgBatchRun *run, const HgBatchJob *job, HgBuilder *b) {
  FILE *out = run->opt->report;
  if (!out) return;
  uint32_t n = HG_NREC(b, HG_SEC_DIAGS);
  for (uint32_t i = 0; i < n; i++) {
    const HgDiagRec *d = HG_AT(b, HG_SEC_DIAGS, HgDiagRec, i);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "record", "diagnostic");
    cJSON_AddStringToObject(o, "repo", run->list->items[job->entry].name);
    if (d->file != HG_NOSTR)
      cJSON_AddStringToObject(o, "path", HG_BSTR(b, HG_AT(b, HG_SEC_FILES, HgFileRec, d->file)->path));
    else
      cJSON_AddNullToObject(o, "path");
    cJSON_AddNumberToObject(o, "line", d->line);
    cJSON_AddNumberToObject(o, "col", d->col);
    cJSON_AddStringToObject(o, "severity", hg_severity_str((HgSeverity)d->severity));
    cJSON_AddStringToObject(o, "message", HG_BSTR(b, d->message));
    hg_batch__report_line(out, o);
  }
}

static void hg_batch__print_line(const HgBatchRun *run, const HgBatchJob *job) {
  const HgRepoEntry *e = &run->list->items[job->entry];
  uint32_t done = run->finished;
  if (job->state == JOB_FAILED)
    fprintf(stderr, "hgym-index: [%u/%u] %s: FAILED: %s\n", done, run->n_order, e->name, job->error);
  else
    fprintf(stderr, "hgym-index: [%u/%u] %s: %u files, %llu definitions, %u skipped, %.2f s\n", done, run->n_order,
            e->name, job->stats.files, (unsigned long long)job->stats.defs, job->stats.skipped, job->stats.seconds);
}

static void hg_batch__print_bar(const HgBatchRun *run, int final) {
  double el = hg_batch__now() - run->t0;
  double mbs = el > 0 ? (double)run->bytes_done / 1e6 / el : 0;
  double frac = run->bytes_total ? (double)run->bytes_done / (double)run->bytes_total : 1.0;
  if (frac > 1) frac = 1;
  double eta = frac > 0 && frac < 1 ? el * (1 - frac) / frac : 0;
  char bar[31];
  int fill = (int)(frac * 30);
  for (int i = 0; i < 30; i++) bar[i] = i < fill ? '#' : '.';
  bar[30] = 0;
  fprintf(stderr, "\r[%s] %u/%u repos  %llu files  %.1f MB/s  ETA %02d:%02d ", bar, run->finished, run->n_order,
          (unsigned long long)run->files_done, mbs, (int)eta / 60, (int)eta % 60);
  if (final) fputc('\n', stderr);
  fflush(stderr);
}

static void hg_batch__index_one(HgBatchRun *run, HgBatchJob *job) {
  const HgRepoEntry *e = &run->list->items[job->entry];
  HgBuilder *b = hg_builder_new();
  char why[200], path[PATH_MAX + 32], sources[HG_SOURCES_MAX];
  /* an old part goes first, so a part is never paired with a newer .src */
  hg_batch__part_path(run, job->entry, path, sizeof path);
  unlink(path);
  HgRepoLocation loc = {e->path, e->root, e->prefix, e->name, e->commit};
  HgStatus st = hg_index_repository_at(b, &run->opt->index, &loc, &job->stats, why, sizeof why);
  if (st != HG_OK) {
    job->state = JOB_FAILED;
    snprintf(job->error, sizeof job->error, "%s: %s", e->path, why);
  } else {
    hg_batch__sources_text(&run->opt->index, e, job->stats.sources, sources, sizeof sources);
    if (hg_batch__write_src(run, job->entry, sources) != 0) {
      snprintf(job->error, sizeof job->error, "%s/%06u.src: cannot write: %s", run->parts, job->entry, strerror(errno));
      st = HG_ERR_IO;
    } else {
      st = hg_builder_write(b, path, HG_WRITE_ATOMIC, job->error, sizeof job->error);
    }
    job->state = st == HG_OK ? JOB_DONE : JOB_FAILED;
    job->write_failed = st != HG_OK;
  }
  pthread_mutex_lock(&run->mu);
  hg_batch__report_repo(run, job, job->state == JOB_DONE ? "indexed" : "failed");
  if (job->state == JOB_DONE) hg_batch__report_diags(run, job, b);
  hg_batch__report_flush(run);
  run->finished++;
  run->bytes_done += job->est_bytes;
  run->files_done += job->stats.files;
  if (run->opt->progress == HG_PROGRESS_LINES) hg_batch__print_line(run, job);
  pthread_cond_broadcast(&run->cv);
  pthread_mutex_unlock(&run->mu);
  hg_builder_delete(b);
}

static void *hg_batch__worker(void *arg) {
  HgBatchRun *run = arg;
  for (;;) {
    pthread_mutex_lock(&run->mu);
    uint32_t k = run->next < run->n_order ? run->order[run->next++] : UINT32_MAX;
    pthread_mutex_unlock(&run->mu);
    if (k == UINT32_MAX) return NULL;
    hg_batch__index_one(run, &run->jobs[k]);
  }
}

static const HgBatchJob *sort_jobs;
static int hg_batch__cmp_size(const void *a, const void *b) {
  const HgBatchJob *x = &sort_jobs[*(const uint32_t *)a], *y = &sort_jobs[*(const uint32_t *)b];
  if (x->est_bytes != y->est_bytes) return x->est_bytes > y->est_bytes ? -1 : 1;
  return x->entry < y->entry ? -1 : x->entry > y->entry;
}

/* ---- the parts directory and the lock on OUT ---------------------------------------- */

/* OUT.parts/ is hgym's when it is a directory (not a symbolic link) holding
 * this marker, written when hgym created it.  Anything else at that name is
 * refused: cleaning it would delete what someone else keeps there. */
#define HG_PARTS_MARKER  ".hgym-parts"
#define HG_PARTS_CONTENT "hgym-index parts directory: removed when the run that made it ends\n"

/* A name hgym writes in OUT.parts/: NNNNNN.idx, NNNNNN.src (what a part was
 * built from) and their temporary files NAME.tmp.PID. */
static int hg_batch__is_part_name(const char *name) {
  const char *p = name;
  while (*p >= '0' && *p <= '9') p++;
  if (p == name || (strncmp(p, ".idx", 4) != 0 && strncmp(p, ".src", 4) != 0)) return 0;
  p += 4;
  if (!*p) return 1;
  if (strncmp(p, ".tmp.", 5) != 0 || !p[5]) return 0;
  for (p += 5; *p; p++)
    if (*p < '0' || *p > '9') return 0;
  return 1;
}

/* Delete the files hgym wrote in the parts directory dfd (nothing else: a
 * name that is not a part's, or a directory, stays). */
static void hg_batch__clean_parts(int dfd) {
  int fd = dup(dfd);
  DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
  if (!d) {
    if (fd >= 0) close(fd);
    return;
  }
  rewinddir(d);
  for (struct dirent *de; (de = readdir(d));)
    if (hg_batch__is_part_name(de->d_name)) unlinkat(dfd, de->d_name, 0); /* unlink never follows a symlink */
  closedir(d);
}

/* An empty directory at OUT.parts holds nothing to lose: it is marked as
 * hgym's (1); any other is not (0). */
static int hg_batch__adopt_empty(int dfd) {
  int fd = dup(dfd);
  DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
  if (!d) {
    if (fd >= 0) close(fd);
    return 0;
  }
  int empty = 1;
  for (struct dirent *de; empty && (de = readdir(d));) empty = !strcmp(de->d_name, ".") || !strcmp(de->d_name, "..");
  closedir(d);
  if (!empty) return 0;
  int m = openat(dfd, HG_PARTS_MARKER, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  ssize_t want = (ssize_t)strlen(HG_PARTS_CONTENT);
  int ok = m >= 0 && write(m, HG_PARTS_CONTENT, (size_t)want) == want;
  if (m >= 0) close(m);
  return ok;
}

/* Open OUT.parts/ as a directory descriptor: create it (with the marker) when
 * it is absent, accept it when it is hgym's (or empty), refuse it otherwise. */
static HgStatus hg_batch__open_parts(const char *parts, int *dfd, char *err, size_t errlen) {
  *dfd = -1;
  struct stat st;
  int created = 0;
  if (lstat(parts, &st) != 0) {
    if (errno != ENOENT || mkdir(parts, 0755) != 0) {
      snprintf(err, errlen, "%s: cannot create: %s", parts, strerror(errno));
      return HG_ERR_IO;
    }
    created = 1;
  } else if (!S_ISDIR(st.st_mode)) {
    snprintf(err, errlen, "%s is %s, not hgym's parts directory: remove it or choose another -o", parts,
             S_ISLNK(st.st_mode) ? "a symbolic link" : "not a directory");
    return HG_ERR_USAGE;
  }
  int fd = open(parts, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    snprintf(err, errlen, "%s: cannot open: %s", parts, strerror(errno));
    return errno == ELOOP || errno == ENOTDIR ? HG_ERR_USAGE : HG_ERR_IO;
  }
  if (created) {
    int m = openat(fd, HG_PARTS_MARKER, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    ssize_t want = (ssize_t)strlen(HG_PARTS_CONTENT);
    int bad = m < 0 || write(m, HG_PARTS_CONTENT, (size_t)want) != want;
    int e = errno;
    if (m >= 0) close(m);
    if (bad) {
      snprintf(err, errlen, "%s/%s: cannot write: %s", parts, HG_PARTS_MARKER, strerror(e ? e : EIO));
      close(fd);
      return HG_ERR_IO;
    }
  } else if ((fstatat(fd, HG_PARTS_MARKER, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) &&
             !hg_batch__adopt_empty(fd)) {
    snprintf(err, errlen, "%s exists but is not hgym's parts directory (no %s in it): remove it or choose another -o",
             parts, HG_PARTS_MARKER);
    close(fd);
    return HG_ERR_USAGE;
  }
  *dfd = fd;
  return HG_OK;
}

/* The parts, the marker, then the directory itself if nothing else is left. */
static void hg_batch__remove_parts(const char *parts, int dfd) {
  hg_batch__clean_parts(dfd);
  unlinkat(dfd, HG_PARTS_MARKER, 0);
  rmdir(parts); /* fails, harmlessly, when it holds files that are not hgym's */
}

HgStatus hg_output_lock(const char *out, int *lock_fd, char *err, size_t errlen) {
  char path[PATH_MAX + 8];
  snprintf(path, sizeof path, "%s.lock", out);
  *lock_fd = -1;
  for (int attempt = 0; attempt < 8; attempt++) {
    int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    struct stat a, b;
    if (fd < 0 || fstat(fd, &a) != 0 || !S_ISREG(a.st_mode)) {
      int e = fd < 0 ? errno : EINVAL;
      snprintf(err, errlen, "%s: cannot lock the output: %s", path,
               e == ELOOP    ? "it is a symbolic link"
               : e == EINVAL ? "not a regular file"
                             : strerror(e));
      if (fd >= 0) close(fd);
      return e == ELOOP || e == EINVAL ? HG_ERR_USAGE : HG_ERR_INTERNAL; /* OUT cannot be written: exit 4 */
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      int e = errno;
      close(fd);
      if (e == EWOULDBLOCK) {
        snprintf(err, errlen, "another hgym-index is writing %s (it holds %s): not started", out, path);
        return HG_ERR_USAGE;
      }
      snprintf(err, errlen, "%s: cannot lock the output: %s", path, strerror(e));
      return HG_ERR_INTERNAL;
    }
    /* the run that held it may have removed it meanwhile: the lock is good
     * only on the file the path names now */
    if (lstat(path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
      *lock_fd = fd;
      return HG_OK;
    }
    close(fd);
  }
  snprintf(err, errlen, "%s: cannot lock the output: it keeps being replaced", path);
  return HG_ERR_INTERNAL;
}

void hg_output_unlock(const char *out, int lock_fd) {
  if (lock_fd < 0) return;
  char path[PATH_MAX + 8];
  snprintf(path, sizeof path, "%s.lock", out);
  unlink(path); /* while still held: a run that opened it retries on the new one */
  close(lock_fd);
}

HgStatus hg_batch_index(const HgRepoList *l, const char *out, const HgBatchOptions *opt, HgBatchStats *stats, char *err,
                        size_t errlen) {
  memset(stats, 0, sizeof *stats);
  HgBatchRun run = {0};
  run.list = l;
  run.opt = opt;
  run.t0 = hg_batch__now();
  char parts[PATH_MAX];
  snprintf(parts, sizeof parts, "%s.parts", out);
  run.parts = parts;
  int parts_fd;
  HgStatus pst = hg_batch__open_parts(parts, &parts_fd, err, errlen);
  if (pst != HG_OK) return pst;
  if (!opt->resume) hg_batch__clean_parts(parts_fd);
  run.jobs = calloc(l->n ? l->n : 1, sizeof(HgBatchJob));
  run.order = calloc(l->n ? l->n : 1, sizeof(uint32_t));
  if (!run.jobs || !run.order) {
    free(run.jobs);
    free(run.order);
    close(parts_fd);
    return HG_ERR_INTERNAL;
  }
  pthread_mutex_init(&run.mu, NULL);
  pthread_cond_init(&run.cv, NULL);
  uint32_t jobs = opt->jobs;
  if (!jobs) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    jobs = n > 0 ? (uint32_t)n : 1;
  }
  /* What is left to do, and how big it is: a first walk, for the schedule
   * (largest first) and the progress bar's MB/s and ETA, so not made when
   * there is one hg_batch__worker and no bar. */
  int sizes = jobs > 1 || opt->progress == HG_PROGRESS_BAR;
  for (uint32_t i = 0; i < l->n; i++) {
    HgBatchJob *j = &run.jobs[i];
    j->entry = i;
    HgFileList fl;
    int walked = (sizes || opt->resume) && hg_walk_repo(l->items[i].path, &fl, NULL, NULL) == HG_OK;
    char sources[HG_SOURCES_MAX];
    if (walked) hg_batch__sources_text(&opt->index, &l->items[i], hg_walk_digest(&fl), sources, sizeof sources);
    if (walked)
      for (uint32_t f = 0; f < fl.n; f++) j->est_bytes += fl.files[f].size;
    if (walked) hg_file_list_free(&fl);
    if (opt->resume && hg_batch__part_is_valid(&run, i, walked ? sources : NULL)) {
      j->state = JOB_RESUMED;
      stats->resumed++;
      hg_batch__report_repo(&run, j, "resumed");
      hg_batch__report_flush(&run);
      continue;
    }
    run.bytes_total += j->est_bytes;
    run.order[run.n_order++] = i;
  }
  sort_jobs = run.jobs;
  qsort(run.order, run.n_order, sizeof(uint32_t), hg_batch__cmp_size);
  if (jobs > run.n_order) jobs = run.n_order ? run.n_order : 1;
  pthread_t *th = calloc(jobs, sizeof(pthread_t));
  uint32_t started = 0;
  if (!th) jobs = 0; /* no thread table: the work is done on this thread below */
  for (uint32_t t = 0; t < jobs && run.n_order; t++)
    if (pthread_create(&th[t], NULL, hg_batch__worker, &run) == 0) started++;
  if (!started && run.n_order) hg_batch__worker(&run); /* no threads to be had: do it here */
  if (opt->progress == HG_PROGRESS_BAR) {
    pthread_mutex_lock(&run.mu);
    while (run.finished < run.n_order) {
      hg_batch__print_bar(&run, 0);
      struct timespec ts;
      clock_gettime(CLOCK_REALTIME, &ts);
      ts.tv_nsec += 250000000;
      if (ts.tv_nsec >= 1000000000) ts.tv_sec++, ts.tv_nsec -= 1000000000;
      pthread_cond_timedwait(&run.cv, &run.mu, &ts);
    }
    hg_batch__print_bar(&run, 1);
    pthread_mutex_unlock(&run.mu);
  }
  for (uint32_t t = 0; t < started; t++) pthread_join(th[t], NULL);
  free(th);

  /* Merge the parts in list order, unless a part could not be written (a
   * full disk): then OUT is left as it was, not replaced by an index that
   * lacks those repositories, and the parts written stay for --resume. */
  HgStatus st = HG_OK;
  for (uint32_t i = 0; i < l->n && st == HG_OK; i++)
    if (run.jobs[i].write_failed) {
      snprintf(err, errlen, "%s; %s is left as it was", run.jobs[i].error, out);
      st = HG_ERR_INTERNAL;
    }
  char **inputs = calloc(l->n ? l->n : 1, sizeof(char *));
  uint32_t ni = 0;
  for (uint32_t i = 0; i < l->n; i++) {
    HgBatchJob *j = &run.jobs[i];
    stats->repos++;
    if (j->state == JOB_FAILED) {
      stats->failed++;
      if (opt->progress != HG_PROGRESS_LINES && !j->write_failed) fprintf(stderr, "hgym-index: %s\n", j->error);
      continue;
    }
    if (j->state == JOB_DONE) {
      stats->indexed++;
      HgRepoStats *t = &stats->total, *s = &j->stats;
      t->files += s->files;
      t->skipped += s->skipped;
      t->unreadable += s->unreadable;
      t->with_errors += s->with_errors;
      t->not_utf8 += s->not_utf8;
      t->defs += s->defs;
      t->bytes += s->bytes;
      t->lines += s->lines;
      t->diags += s->diags;
      t->resolve.calls += s->resolve.calls;
      t->resolve.repo += s->resolve.repo;
      t->resolve.unresolved += s->resolve.unresolved;
    }
    char path[PATH_MAX + 32];
    hg_batch__part_path(&run, i, path, sizeof path);
    inputs[ni++] = strdup(path);
  }
  if (st == HG_OK) st = hg_merge_indexes(inputs, ni, out, err, errlen);
  for (uint32_t i = 0; i < ni; i++) free(inputs[i]);
  free(inputs);
  if (st == HG_OK && !opt->keep_parts) hg_batch__remove_parts(parts, parts_fd);
  close(parts_fd);
  stats->seconds = hg_batch__now() - run.t0;
  stats->report_errno = run.report_errno;
  pthread_mutex_destroy(&run.mu);
  pthread_cond_destroy(&run.cv);
  free(run.jobs);
  free(run.order);
  if (st != HG_OK) return st;
  return stats->failed ? HG_ERR_INPUT : HG_OK;
}
