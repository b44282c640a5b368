/*
 * bench.c: hgym-bench, the benchmark `make bench` runs (benchmarks/README.md).
 *
 * One run measures, over the corpus a manifest lists (benchmarks/corpus.sh):
 *  - the parse floor: every file read into memory first, then tree-sitter
 *    as shipped (one TSParser, ts_parser_parse_string, ts_tree_delete,
 *    malloc) over all of them on one thread, in this process, which never
 *    makes an HgAnalyzer and so never installs hgym's tree-sitter allocator;
 *  - the same parse as hgym does it (hg_analyzer_parse_only: its allocator,
 *    trees dropped whole, analyzer/tsalloc.h), in a child process
 *    (--parse-child), so the cost of hgym's own work beyond parsing shows;
 *  - full indexing, hg_batch_index on the manifest into a temporary index,
 *    with 1 thread, 2 threads (when there are more than 2 cores) and N = all
 *    cores.  Each indexing run is a child process (this binary re-executed
 *    with --index-child), so its peak RSS is its own ru_maxrss, read by
 *    wait4, untouched by the corpus this process holds for the floor;
 *  - the index's size against the source's, and whether the index bytes are
 *    the same for every thread count;
 *  - `deps` lookup latency: hg_target_find on FILE:QUALNAME of a random
 *    function (seeded PRNG) plus hg_query_deps into /dev/null, each timed
 *    with CLOCK_MONOTONIC;
 *  - on one repository (python3-flask), the reference method (Python ast +
 *    jedi goto, benchmarks/jedi_compare.py) against the hgym-index and
 *    hgym-query deps commands, with an edge-by-edge cross-check.
 * The machine may be shared and noisy, so each throughput phase runs --reps
 * times, interleaved (the order rotates each round), and the best and the
 * median are reported.  The table goes to stdout, the same as JSON to
 * OUT/results.json.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <tree_sitter/api.h>

#include "analyzer/analyzer.h"
#include "index/batch.h"
#include "store/reader.h"
#include "index/walk.h"
#include "base/file.h"
#include "queries/deps.h"

static const char USAGE[] =
    "Usage: hgym-bench --manifest FILE [OPTIONS]\n"
    "\n"
    "Benchmark hgym over the repositories of FILE (benchmarks/corpus.sh writes one):\n"
    "parse floor, indexing with 1..N threads, index size, deps lookup latency, and\n"
    "the jedi reference method on one repository.  Prints a table and writes it as\n"
    "JSON to OUT/results.json.\n"
    "\n"
    "Options:\n"
    "  --manifest FILE      the corpus, `path [name [commit]]` a line (required)\n"
    "  --out DIR            results.json, the temporary index and logs (default build/bench)\n"
    "  --reps N             runs of each throughput phase, interleaved (default 3)\n"
    "  --jobs N             the most threads (default: all cores)\n"
    "  --lookups N          deps lookups to time (default 10000)\n"
    "  --seed N             seed of the PRNG that picks the lookup targets (default 1)\n"
    "  --jedi-repo NAME     manifest repository for the jedi comparison\n"
    "                       (default debian/python3-flask; `none` skips it)\n"
    "  --jedi-python PATH   Python with jedi (default /usr/bin/python3)\n"
    "  --jedi-script PATH   default benchmarks/jedi_compare.py\n"
    "  --hgym-index PATH    default bin/hgym-index\n"
    "  --hgym-query PATH    default bin/hgym-query\n"
    "  --keep-index         keep the temporary index directory\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit status: 0 measured (whether the targets are met or not is in the report);\n"
    "2 usage error; 3 the corpus or a tool could not be read or run; 4 internal failure.\n";

enum { MAX_THREAD_COUNTS = 3, MAX_REPS = 50 };

typedef struct {
  const char *manifest, *out, *jedi_repo, *jedi_python, *jedi_script, *hgym_index, *hgym_query;
  uint32_t reps, jobs, lookups;
  uint64_t seed;
  int keep_index;
} Options;

/* One timed run of a throughput phase. */
typedef struct {
  double seconds;       /* wall time of the phase itself */
  double cpu;           /* user + system CPU seconds */
  long maxrss_kib;      /* the child's ru_maxrss (indexing only) */
  double other_cores;   /* CPU the rest of the machine used meanwhile, in cores (-1: unknown) */
} BenchRun;

/* A throughput phase over its runs. */
typedef struct Phase {
  const char *label;
  uint32_t threads;     /* 0 for the two parse-only phases */
  BenchRun runs[MAX_REPS];
  uint32_t n;
  uint64_t files, bytes, lines, defs; /* from the last run */
  uint32_t failed;      /* repositories that failed (indexing) */
  int errors;           /* runs that did not complete */
} Phase;

/* ---- small helpers ----------------------------------------------------------------- */

static double bench__now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double bench__cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Busy CPU seconds of the whole machine so far (/proc/stat: all but idle and iowait; steal
 * counts as busy, since a stolen core is not ours either), or -1. */
static double bench__machine_busy(void) {
  FILE *f = fopen("/proc/stat", "r");
  if (!f) return -1;
  unsigned long long v[8] = {0};
  int n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
                 &v[7]);
  fclose(f);
  long hz = sysconf(_SC_CLK_TCK);
  if (n < 4 || hz <= 0) return -1;
  return (double)(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / (double)hz;
}

/* Cores the rest of the machine kept busy during a run: machine busy time less our own, per second. */
static double bench__other_cores(double busy0, double busy1, double own_cpu, double wall) {
  if (busy0 < 0 || busy1 < 0 || wall <= 0) return -1;
  double o = (busy1 - busy0 - own_cpu) / wall;
  return o < 0 ? 0 : o;
}

/* Mean of the runs' other_cores, or -1. */
static double bench__other_mean(const struct Phase *p);

static int bench__cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* The smallest (best) and the median of a phase's run times; field selects seconds or cpu. */
static double bench__best(const Phase *p, int cpu) {
  double b = 0;
  for (uint32_t i = 0; i < p->n; i++) {
    double v = cpu ? p->runs[i].cpu : p->runs[i].seconds;
    if (i == 0 || v < b) b = v;
  }
  return b;
}

static double bench__median(const Phase *p, int cpu) {
  double v[MAX_REPS];
  if (!p->n) return 0;
  for (uint32_t i = 0; i < p->n; i++) v[i] = cpu ? p->runs[i].cpu : p->runs[i].seconds;
  qsort(v, p->n, sizeof v[0], bench__cmp_double);
  return p->n % 2 ? v[p->n / 2] : (v[p->n / 2 - 1] + v[p->n / 2]) / 2;
}

static double bench__other_mean(const struct Phase *p) {
  double sum = 0;
  uint32_t n = 0;
  for (uint32_t i = 0; i < p->n; i++)
    if (p->runs[i].other_cores >= 0) sum += p->runs[i].other_cores, n++;
  return n ? sum / n : -1;
}

static long bench__max_rss(const Phase *p) {
  long m = 0;
  for (uint32_t i = 0; i < p->n; i++)
    if (p->runs[i].maxrss_kib > m) m = p->runs[i].maxrss_kib;
  return m;
}

/* Bytes per second of a phase, best (smallest time) or median. */
static double bench__rate(const Phase *p, int median) {
  double s = median ? bench__median(p, 0) : bench__best(p, 0);
  return s > 0 ? (double)p->bytes / s : 0;
}

/* splitmix64: small, seeded, the same numbers on every machine. */
static uint64_t bench__rand(uint64_t *state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* Read a whole file into a malloc'd, NUL-terminated buffer of its size + 1 (caller owns *out). */
static int bench__read_file(const char *path, char **out, size_t *len) {
  size_t cap = 0;
  *out = NULL;
  if (hg_read_file(path, out, &cap, len) == 0) return 0;
  int e = errno;
  free(*out);
  errno = e;
  return -1;
}

/* The first line of a file starting with key, value after the colon, into buf. */
static void bench__proc_field(const char *file, const char *key, char *buf, size_t len) {
  snprintf(buf, len, "unknown");
  FILE *f = fopen(file, "r");
  if (!f) return;
  char line[512];
  size_t kl = strlen(key);
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, key, kl) != 0) continue;
    char *v = strchr(line, ':');
    if (!v) continue;
    v++;
    while (*v == ' ' || *v == '\t') v++;
    v[strcspn(v, "\n")] = 0;
    snprintf(buf, len, "%s", v);
    break;
  }
  fclose(f);
}

static void bench__loadavg(char *buf, size_t len) {
  snprintf(buf, len, "unknown");
  FILE *f = fopen("/proc/loadavg", "r");
  if (!f) return;
  double a, b, c;
  if (fscanf(f, "%lf %lf %lf", &a, &b, &c) == 3) snprintf(buf, len, "%.2f %.2f %.2f", a, b, c);
  fclose(f);
}

static uint64_t bench__file_size(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

/* 1 when two files have the same bytes. */
static int bench__same_bytes(const char *a, const char *b) {
  FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
  int same = fa && fb;
  static char ba[1 << 16], bb[1 << 16];
  while (same) {
    size_t na = fread(ba, 1, sizeof ba, fa), nb = fread(bb, 1, sizeof bb, fb);
    if (na != nb || memcmp(ba, bb, na) != 0) same = 0;
    if (na == 0) break;
  }
  if (fa) fclose(fa);
  if (fb) fclose(fb);
  return same;
}

/* The temporary directory, removed if the run is interrupted (the index there is large). */
static char bench__tmpdir[PATH_MAX / 2];
/* The child running now, stopped with us. */
static volatile pid_t bench__child;

static void bench__on_signal(int sig) {
  pid_t child = bench__child;
  if (child > 0) {
    kill(child, SIGTERM);
    waitpid(child, NULL, 0);
  }
  if (bench__tmpdir[0]) {
    pid_t pid = fork();
    if (pid == 0) {
      char *const argv[] = {"rm", "-rf", "--", bench__tmpdir, NULL};
      char *const envp[] = {NULL};
      execve("/bin/rm", argv, envp);
      _exit(127);
    }
    if (pid > 0) waitpid(pid, NULL, 0);
  }
  _exit(128 + sig);
}

static void bench__rmtree(const char *dir) {
  pid_t pid = fork();
  if (pid == 0) {
    execlp("rm", "rm", "-rf", "--", dir, (char *)NULL);
    _exit(127);
  }
  if (pid > 0) waitpid(pid, NULL, 0);
}

/* BenchRun argv as a child with stdout to out_path (or inherited when NULL), wait for it.
 * Returns its exit status (-1 when it could not run or was killed); *seconds its wall time. */
static int bench__spawn(char *const argv[], const char *out_path, double *seconds, struct rusage *ru) {
  double t0 = bench__now();
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    if (out_path) {
      int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (fd < 0 || dup2(fd, 1) < 0) _exit(127);
    }
    execv(argv[0], argv);
    fprintf(stderr, "hgym-bench: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  bench__child = pid;
  int status;
  struct rusage r;
  while (wait4(pid, &status, 0, &r) < 0)
    if (errno != EINTR) {
      bench__child = 0;
      return -1;
    }
  bench__child = 0;
  *seconds = bench__now() - t0;
  if (ru) *ru = r;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* One more run of p. */
static void bench__phase_add(Phase *p, double seconds, double cpu, long maxrss_kib, double other) {
  BenchRun *r = &p->runs[p->n++];
  r->seconds = seconds;
  r->cpu = cpu;
  r->maxrss_kib = maxrss_kib;
  r->other_cores = other;
}

/* BenchRun a measuring child (this binary with --index-child or --parse-child) whose
 * figures go to the file result; *line is its first line (empty on failure),
 * *cpu the child's CPU seconds, *maxrss_kib its peak RSS, *other the cores the
 * rest of the machine kept busy meanwhile.  Returns the child's exit status. */
static int bench__measure_child(char *const argv[], const char *result, char *line, size_t len, double *cpu,
                                long *maxrss_kib, double *other) {
  double wall = 0;
  struct rusage ru;
  memset(&ru, 0, sizeof ru);
  double busy0 = bench__machine_busy();
  int rc = bench__spawn(argv, result, &wall, &ru);
  double busy1 = bench__machine_busy();
  line[0] = 0;
  FILE *f = fopen(result, "r");
  if (f && !fgets(line, (int)len, f)) line[0] = 0;
  if (f) fclose(f);
  unlink(result);
  *cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 + (double)ru.ru_stime.tv_sec +
         (double)ru.ru_stime.tv_usec * 1e-6;
  *maxrss_kib = ru.ru_maxrss;
  *other = bench__other_cores(busy0, busy1, *cpu, wall);
  return rc;
}

/* ---- the indexing child -------------------------------------------------------------- */

/* The manifest's repositories into *l, names checked; 0, or 3 (the exit
 * status) with the reason on stderr and *l empty. */
static int bench__read_manifest(const char *manifest, HgRepoList *l) {
  char err[2048];
  if (hg_manifest_read(manifest, l, err, sizeof err) == HG_OK && hg_repo_list_check(l, err, sizeof err) == HG_OK)
    return 0;
  fprintf(stderr, "hgym-bench: %s\n", err);
  hg_repo_list_free(l);
  return 3;
}

/* hgym-bench --index-child MANIFEST OUT JOBS: one hg_batch_index, its figures on stdout. */
static int bench__index_child(const char *manifest, const char *out, const char *jobs) {
  hg_memory_keep_freed(); /* as hgym-index does */
  HgRepoList l = {0};
  if (bench__read_manifest(manifest, &l)) return 3;
  char err[2048];
  HgBatchOptions opt;
  hg_batch_options_default(&opt);
  opt.jobs = (uint32_t)strtoul(jobs, NULL, 10);
  opt.progress = HG_PROGRESS_NONE;
  HgBatchStats s;
  err[0] = 0;
  double t0 = bench__now();
  HgStatus st = hg_batch_index(&l, out, &opt, &s, err, sizeof err);
  double t = bench__now() - t0;
  hg_repo_list_free(&l);
  if (st != HG_OK && st != HG_ERR_INPUT) {
    fprintf(stderr, "hgym-bench: indexing failed: %s\n", err);
    return 4;
  }
  if (st == HG_ERR_INPUT) fprintf(stderr, "hgym-bench: warning: %u repositories could not be indexed\n", s.failed);
  printf("%.9f %u %llu %llu %llu %u\n", t, s.total.files, (unsigned long long)s.total.bytes,
         (unsigned long long)s.total.lines, (unsigned long long)s.total.defs, s.failed);
  return fflush(stdout) == 0 ? 0 : 4;
}

/* Index the manifest with `threads` threads in a child process; one more run of p. */
static int bench__index_run(const char *self, const Options *o, const char *out_index, Phase *p) {
  char jobs[16], result[PATH_MAX];
  snprintf(jobs, sizeof jobs, "%u", p->threads);
  snprintf(result, sizeof result, "%s.result", out_index);
  char *argv[] = {(char *)self, "--index-child", (char *)o->manifest, (char *)out_index, jobs, NULL};
  char line[256];
  double cpu, other;
  long maxrss;
  int rc = bench__measure_child(argv, result, line, sizeof line, &cpu, &maxrss, &other);
  double secs = 0;
  unsigned files = 0, failed = 0;
  unsigned long long bytes = 0, lines = 0, defs = 0;
  int ok = rc == 0 && sscanf(line, "%lf %u %llu %llu %llu %u", &secs, &files, &bytes, &lines, &defs, &failed) == 6;
  if (!ok) {
    fprintf(stderr, "hgym-bench: indexing with %u threads failed (exit %d)\n", p->threads, rc);
    p->errors++;
    return -1;
  }
  bench__phase_add(p, secs, cpu, maxrss, other);
  p->files = files;
  p->bytes = bytes;
  p->lines = lines;
  p->defs = defs;
  p->failed = failed;
  fprintf(stderr,
          "hgym-bench:   index, %u thread%s: %.2f s (%.1f MB/s), cpu %.2f s, peak RSS %.0f MiB, other load %.2f cores\n",
          p->threads, p->threads == 1 ? "" : "s", secs, secs > 0 ? (double)bytes / 1e6 / secs : 0, cpu,
          (double)maxrss / 1024.0, other);
  return 0;
}

/* ---- the parse floor --------------------------------------------------------------- */

typedef struct {
  char **data;
  size_t *len;
  uint32_t n, cap;
  uint64_t bytes;
  uint32_t skipped; /* over the size or count limits, or unreadable */
} Corpus;

/* Every file the indexer would read (same walk, same limits), into memory. */
static int bench__corpus_load(const HgRepoList *l, Corpus *c) {
  HgIndexOptions lim;
  hg_index_options_default(&lim);
  for (uint32_t r = 0; r < l->n; r++) {
    HgFileList fl;
    if (hg_walk_repo(l->items[r].path, &fl, NULL, NULL) != HG_OK) {
      fprintf(stderr, "hgym-bench: %s: cannot walk\n", l->items[r].path);
      return -1;
    }
    for (uint32_t i = 0; i < fl.n; i++) {
      if (i >= lim.max_files || fl.files[i].size > lim.max_file_bytes) {
        c->skipped++;
        continue;
      }
      char path[PATH_MAX * 2];
      snprintf(path, sizeof path, "%s/%s", l->items[r].path, fl.files[i].path);
      char *buf;
      size_t len;
      if (bench__read_file(path, &buf, &len) != 0) {
        c->skipped++;
        continue;
      }
      if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 4096;
        char **nd = realloc(c->data, c->cap * sizeof *nd);
        size_t *nl = realloc(c->len, c->cap * sizeof *nl);
        if (!nd || !nl) abort();
        c->data = nd;
        c->len = nl;
      }
      c->data[c->n] = buf;
      c->len[c->n++] = len;
      c->bytes += len;
    }
    hg_file_list_free(&fl);
  }
  return 0;
}

static void bench__corpus_free(Corpus *c) {
  for (uint32_t i = 0; i < c->n; i++) free(c->data[i]);
  free(c->data);
  free(c->len);
}

const TSLanguage *tree_sitter_python(void);

/* Parse every file of c; *seconds and *cpu the time it took.  Tree-sitter as
 * shipped when an is NULL, else as hgym parses.  The count of files that gave
 * no tree. */
static uint32_t bench__parse_all(const Corpus *c, HgAnalyzer *an, double *seconds, double *cpu) {
  TSParser *parser = NULL;
  if (!an) {
    parser = ts_parser_new();
    if (!ts_parser_set_language(parser, tree_sitter_python())) abort();
  }
  uint32_t bad = 0;
  double c0 = bench__cpu_now(), t0 = bench__now();
  for (uint32_t i = 0; i < c->n; i++) {
    if (an) {
      bad += hg_analyzer_parse_only(an, c->data[i], c->len[i]) != HG_OK;
      continue;
    }
    ts_parser_reset(parser);
    TSTree *t = ts_parser_parse_string(parser, NULL, c->data[i], (uint32_t)c->len[i]);
    bad += !t;
    ts_tree_delete(t);
  }
  *seconds = bench__now() - t0;
  *cpu = bench__cpu_now() - c0;
  ts_parser_delete(parser);
  return bad;
}

static int bench__floor_run(const Corpus *c, Phase *p) {
  double busy0 = bench__machine_busy(), t, cpu;
  uint32_t bad = bench__parse_all(c, NULL, &t, &cpu);
  double other = bench__other_cores(busy0, bench__machine_busy(), cpu, t);
  bench__phase_add(p, t, cpu, 0, other);
  p->files = c->n;
  p->bytes = c->bytes;
  if (bad) fprintf(stderr, "hgym-bench: warning: %u files gave no tree\n", bad);
  fprintf(stderr, "hgym-bench:   parse floor: %.2f s (%.1f MB/s), other load %.2f cores\n", t,
          t > 0 ? (double)c->bytes / 1e6 / t : 0, other);
  return 0;
}

static int bench__corpus_load(const HgRepoList *l, Corpus *c);
static void bench__corpus_free(Corpus *c);

/* hgym-bench --parse-child MANIFEST: hg_analyzer_parse_only over the corpus
 * once it is in memory; "seconds cpu files bytes" on stdout. */
static int bench__parse_child(const char *manifest) {
  hg_memory_keep_freed(); /* as hgym-index does */
  HgRepoList l = {0};
  if (bench__read_manifest(manifest, &l)) return 3;
  Corpus c = {0};
  int loaded = bench__corpus_load(&l, &c);
  hg_repo_list_free(&l);
  if (loaded != 0) return 3;
  HgAnalyzer *an = hg_analyzer_new();
  if (!an) return 4;
  double t, cpu;
  uint32_t bad = bench__parse_all(&c, an, &t, &cpu);
  hg_analyzer_delete(an);
  if (bad) fprintf(stderr, "hgym-bench: warning: %u files gave no tree\n", bad);
  printf("%.9f %.9f %u %llu\n", t, cpu, c.n, (unsigned long long)c.bytes);
  bench__corpus_free(&c);
  return fflush(stdout) == 0 ? 0 : 4;
}

/* The parse as hgym does it, in a child process; one more run of p. */
static int bench__parse_run(const char *self, const Options *o, const char *result, Phase *p) {
  char *argv[] = {(char *)self, "--parse-child", (char *)o->manifest, NULL};
  char line[256];
  double child_cpu, other; /* all the child's CPU is its own, reading the corpus included */
  long maxrss;
  int rc = bench__measure_child(argv, result, line, sizeof line, &child_cpu, &maxrss, &other);
  double t = 0, cpu = 0;
  unsigned files = 0;
  unsigned long long bytes = 0;
  int ok = rc == 0 && sscanf(line, "%lf %lf %u %llu", &t, &cpu, &files, &bytes) == 4;
  if (!ok) {
    fprintf(stderr, "hgym-bench: the parse-only child failed (exit %d)\n", rc);
    p->errors++;
    return -1;
  }
  bench__phase_add(p, t, cpu, 0, other);
  p->files = files;
  p->bytes = bytes;
  fprintf(stderr, "hgym-bench:   parse as hgym does: %.2f s (%.1f MB/s), other load %.2f cores\n", t,
          t > 0 ? (double)bytes / 1e6 / t : 0, other);
  return 0;
}

/* ---- deps lookups ---------------------------------------------------------------------- */

typedef struct {
  uint32_t n, not_found, rows;
  double open_ms, p50_us, p90_us, p99_us, max_us, mean_us;
  uint64_t functions_sampled_from;
  int ok;
} Lookups;

static void bench__lookups(const char *index_path, const Options *o, Lookups *out) {
  memset(out, 0, sizeof *out);
  char err[1024];
  HgIndex *ix;
  double t0 = bench__now();
  if (hg_index_open(index_path, &ix, err, sizeof err) != HG_OK) {
    fprintf(stderr, "hgym-bench: %s\n", err);
    return;
  }
  out->open_ms = (bench__now() - t0) * 1e3;
  uint64_t ndefs = hg_index_count(ix, HG_SEC_DEFS);
  FILE *devnull = fopen("/dev/null", "w");
  uint32_t n = o->lookups;
  char **targets = calloc(n ? n : 1, sizeof(char *));
  const char **repos = calloc(n ? n : 1, sizeof(char *));
  double *us = calloc(n ? n : 1, sizeof(double));
  if (!devnull || !targets || !repos || !us || ndefs == 0) goto cleanup;
  /* The targets first (a random function each: uniform over defs, classes rejected), then the timed lookups. */
  uint64_t rng = o->seed;
  for (uint32_t i = 0; i < n; i++) {
    const HgDefRec *d;
    uint32_t tries = 0;
    do d = hg_index_def(ix, (uint32_t)(bench__rand(&rng) % ndefs));
    while (d->kind != HG_KIND_FUNCTION && ++tries < 1000);
    const HgFileRec *f = hg_index_file(ix, d->file);
    const char *path = hg_index_str(ix, f->path), *qual = hg_index_str(ix, d->qualname);
    size_t len = strlen(path) + strlen(qual) + 2;
    targets[i] = malloc(len);
    if (!targets[i]) goto cleanup;
    snprintf(targets[i], len, "%s:%s", path, qual);
    repos[i] = hg_index_str(ix, hg_index_repo(ix, f->repo)->name);
  }
  double sum = 0;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t *defs = NULL, nd = 0;
    double s = bench__now();
    /* as `hgym-query -i INDEX --repo NAME deps FILE:QUALNAME` does */
    int64_t repo = hg_index_find_repo(ix, repos[i]);
    if (hg_target_find(ix, repo, targets[i], &defs, &nd, err, sizeof err) != HG_OK) out->not_found++;
    for (uint32_t k = 0; k < nd; k++) hg_query_deps(ix, defs[k], 0, devnull);
    fflush(devnull);
    us[i] = (bench__now() - s) * 1e6;
    free(defs);
    out->rows += nd;
    sum += us[i];
  }
  qsort(us, n, sizeof us[0], bench__cmp_double);
  out->n = n;
  if (n) {
    out->p50_us = us[(n - 1) / 2];
    out->p90_us = us[(uint32_t)((double)(n - 1) * 0.90)];
    out->p99_us = us[(uint32_t)((double)(n - 1) * 0.99)];
    out->max_us = us[n - 1];
    out->mean_us = sum / n;
  }
  out->functions_sampled_from = ndefs;
  out->ok = 1;
cleanup:
  for (uint32_t i = 0; targets && i < n; i++) free(targets[i]);
  free(targets);
  free(repos);
  free(us);
  if (devnull) fclose(devnull);
  hg_index_close(ix);
}

/* ---- jedi comparison ----------------------------------------------------------------- */

typedef struct {
  int done;
  char why[256];        /* why it was skipped */
  Phase hgym;           /* hgym-index + hgym-query deps, wall time per run */
  double index_best, query_best;
  uint64_t lines;
  cJSON *jedi;          /* jedi_compare.py's JSON */
} JediCmp;

static void bench__jedi(const Options *o, const HgRepoList *l, const char *tmpdir, JediCmp *jc) {
  memset(jc, 0, sizeof *jc);
  const char *root = NULL;
  for (uint32_t i = 0; i < l->n; i++)
    if (strcmp(l->items[i].name, o->jedi_repo) == 0) root = l->items[i].path;
  if (!strcmp(o->jedi_repo, "none")) {
    snprintf(jc->why, sizeof jc->why, "skipped (--jedi-repo none)");
    return;
  }
  if (!root) {
    snprintf(jc->why, sizeof jc->why, "skipped: no repository %s in the manifest", o->jedi_repo);
    return;
  }
  if (access(o->hgym_index, X_OK) || access(o->hgym_query, X_OK)) {
    snprintf(jc->why, sizeof jc->why, "skipped: %s or %s is not built", o->hgym_index, o->hgym_query);
    return;
  }
  char idx[PATH_MAX], deps[PATH_MAX], json[PATH_MAX];
  snprintf(idx, sizeof idx, "%s/jedi-repo.idx", tmpdir);
  snprintf(deps, sizeof deps, "%s/jedi-repo.deps.jsonl", o->out);
  snprintf(json, sizeof json, "%s/jedi.json", o->out);
  jc->hgym.label = "hgym-index + hgym-query deps";
  jc->index_best = jc->query_best = 1e30;
  for (uint32_t r = 0; r < o->reps; r++) {
    char *ia[] = {(char *)o->hgym_index, "-q", "--name", (char *)o->jedi_repo, (char *)root, "-o", idx, NULL};
    char *qa[] = {(char *)o->hgym_query, "-i", idx, "deps", NULL};
    double ti, tq;
    struct rusage ri, rq;
    int a = bench__spawn(ia, NULL, &ti, &ri);
    int b = a == 0 ? bench__spawn(qa, deps, &tq, &rq) : -1;
    if (a != 0 || b != 0) {
      snprintf(jc->why, sizeof jc->why, "failed: %s exited %d, %s exited %d", o->hgym_index, a, o->hgym_query, b);
      return;
    }
    BenchRun *run = &jc->hgym.runs[jc->hgym.n++];
    run->seconds = ti + tq;
    run->cpu = (double)(ri.ru_utime.tv_sec + ri.ru_stime.tv_sec + rq.ru_utime.tv_sec + rq.ru_stime.tv_sec) +
               (double)(ri.ru_utime.tv_usec + ri.ru_stime.tv_usec + rq.ru_utime.tv_usec + rq.ru_stime.tv_usec) * 1e-6;
    if (ti < jc->index_best) jc->index_best = ti;
    if (tq < jc->query_best) jc->query_best = tq;
  }
  char err[512];
  HgIndex *ix;
  if (hg_index_open(idx, &ix, err, sizeof err) == HG_OK) {
    if (hg_index_count(ix, HG_SEC_REPOS) > 0) {
      jc->lines = hg_index_repo(ix, 0)->n_lines;
      jc->hgym.bytes = hg_index_repo(ix, 0)->n_bytes;
      jc->hgym.files = hg_index_repo(ix, 0)->files.count;
    }
    hg_index_close(ix);
  }
  fprintf(stderr, "hgym-bench: jedi reference method on %s (%s %s; this takes a while)\n", o->jedi_repo,
          o->jedi_python, o->jedi_script);
  char *ja[] = {(char *)o->jedi_python, (char *)o->jedi_script, "--root", (char *)root, "--hgym-deps", deps,
                "--json", json, NULL};
  double tj;
  unlink(json);
  int rc = access(o->jedi_python, X_OK) == 0 ? bench__spawn(ja, NULL, &tj, NULL) : -2;
  char *text;
  size_t len;
  if (rc != 0 || bench__read_file(json, &text, &len) != 0) {
    snprintf(jc->why, sizeof jc->why, "jedi side failed: %s %s exited %d (is python3-jedi installed?)", o->jedi_python,
             o->jedi_script, rc);
    jc->done = 1; /* the hgym side is still reported */
    return;
  }
  jc->jedi = cJSON_Parse(text);
  free(text);
  if (!jc->jedi) snprintf(jc->why, sizeof jc->why, "%.200s: not JSON", json);
  jc->done = 1;
}

static double bench__jnum(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
  return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

/* ---- the report ------------------------------------------------------------------------ */

typedef struct {
  const char *name;
  double value, threshold;
  int higher_is_better, measured;
  double value_median; /* the same figure from the medians (-1: n/a) */
  const char *unit;
} Target;

static int bench__met(const Target *t, double v) {
  return t->higher_is_better ? v >= t->threshold : v < t->threshold;
}

static cJSON *bench__phase_json(const Phase *p, const Phase *floor) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "phase", p->label);
  if (p->threads) cJSON_AddNumberToObject(o, "threads", p->threads);
  cJSON *runs = cJSON_AddArrayToObject(o, "runs_seconds");
  for (uint32_t i = 0; i < p->n; i++) cJSON_AddItemToArray(runs, cJSON_CreateNumber(p->runs[i].seconds));
  cJSON *cpus = cJSON_AddArrayToObject(o, "runs_cpu_seconds");
  for (uint32_t i = 0; i < p->n; i++) cJSON_AddItemToArray(cpus, cJSON_CreateNumber(p->runs[i].cpu));
  cJSON *oth = cJSON_AddArrayToObject(o, "runs_other_load_cores");
  for (uint32_t i = 0; i < p->n; i++) cJSON_AddItemToArray(oth, cJSON_CreateNumber(p->runs[i].other_cores));
  cJSON_AddNumberToObject(o, "failed_runs", p->errors);
  if (!p->n) return o;
  double best = bench__best(p, 0), med = bench__median(p, 0);
  cJSON_AddNumberToObject(o, "best_seconds", best);
  cJSON_AddNumberToObject(o, "median_seconds", med);
  cJSON_AddNumberToObject(o, "best_cpu_seconds", bench__best(p, 1));
  cJSON_AddNumberToObject(o, "files", (double)p->files);
  cJSON_AddNumberToObject(o, "bytes", (double)p->bytes);
  cJSON_AddNumberToObject(o, "files_per_second", best > 0 ? p->files / best : 0);
  cJSON_AddNumberToObject(o, "mb_per_second", bench__rate(p, 0) / 1e6);
  cJSON_AddNumberToObject(o, "mb_per_second_median", bench__rate(p, 1) / 1e6);
  if (floor && floor->n && p != floor) {
    cJSON_AddNumberToObject(o, "ratio_to_floor", bench__rate(p, 0) / bench__rate(floor, 0));
    cJSON_AddNumberToObject(o, "ratio_to_floor_median", bench__rate(p, 1) / bench__rate(floor, 1));
  }
  if (p->threads) {
    cJSON_AddNumberToObject(o, "peak_rss_kib", (double)bench__max_rss(p));
    cJSON_AddNumberToObject(o, "lines", (double)p->lines);
    cJSON_AddNumberToObject(o, "definitions", (double)p->defs);
    cJSON_AddNumberToObject(o, "failed_repositories", p->failed);
  }
  return o;
}

static void bench__print_phase(const Phase *p, const Phase *floor) {
  if (!p->n) {
    printf("  %-24s  (no successful run)\n", p->label);
    return;
  }
  double best = bench__best(p, 0), med = bench__median(p, 0);
  char ratio[32] = "     -", ratio_m[32] = "     -", rss[32] = "        -";
  if (p != floor && floor->n) {
    snprintf(ratio, sizeof ratio, "%6.2f", bench__rate(p, 0) / bench__rate(floor, 0));
    snprintf(ratio_m, sizeof ratio_m, "%6.2f", bench__rate(p, 1) / bench__rate(floor, 1));
  }
  if (p->threads) snprintf(rss, sizeof rss, "%5.0f MiB", (double)bench__max_rss(p) / 1024.0);
  printf("  %-24s %7.2f %7.2f %7.2f %8.0f %6.2f %7.2f  %s  %s  %s  %5.2f\n", p->label, best, med, bench__best(p, 1),
         best > 0 ? p->files / best : 0, bench__rate(p, 0) / 1e6, bench__rate(p, 1) / 1e6, ratio, ratio_m, rss,
         bench__other_mean(p));
}

int main(int argc, char **argv) {
  Options o = {.out = "build/bench",
               .jedi_repo = "debian/python3-flask",
               .jedi_python = "/usr/bin/python3",
               .jedi_script = "benchmarks/jedi_compare.py",
               .hgym_index = "bin/hgym-index",
               .hgym_query = "bin/hgym-query",
               .reps = 3,
               .lookups = 10000,
               .seed = 1};
  if (argc == 5 && !strcmp(argv[1], "--index-child")) return bench__index_child(argv[2], argv[3], argv[4]);
  if (argc == 3 && !strcmp(argv[1], "--parse-child")) return bench__parse_child(argv[2]);
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define OPT(name) (!strcmp(a, name) && v && (i++, 1))
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(USAGE, stdout);
      return 0;
    } else if (OPT("--manifest")) o.manifest = v;
    else if (OPT("--out")) o.out = v;
    else if (OPT("--reps")) o.reps = (uint32_t)strtoul(v, NULL, 10);
    else if (OPT("--jobs")) o.jobs = (uint32_t)strtoul(v, NULL, 10);
    else if (OPT("--lookups")) o.lookups = (uint32_t)strtoul(v, NULL, 10);
    else if (OPT("--seed")) o.seed = strtoull(v, NULL, 10);
    else if (OPT("--jedi-repo")) o.jedi_repo = v;
    else if (OPT("--jedi-python")) o.jedi_python = v;
    else if (OPT("--jedi-script")) o.jedi_script = v;
    else if (OPT("--hgym-index")) o.hgym_index = v;
    else if (OPT("--hgym-query")) o.hgym_query = v;
    else if (!strcmp(a, "--keep-index")) o.keep_index = 1;
    else {
      fprintf(stderr, "hgym-bench: unknown or incomplete option '%s'\n(hgym-bench --help shows the usage)\n", a);
      return 2;
    }
#undef OPT
  }
  if (!o.manifest || o.reps < 1 || o.reps > MAX_REPS) {
    fprintf(stderr, "hgym-bench: %s\n(hgym-bench --help shows the usage)\n",
            o.manifest ? "--reps must be 1..50" : "--manifest FILE is required");
    return 2;
  }
  long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
  uint32_t nproc = ncpu > 0 ? (uint32_t)ncpu : 1;
  if (!o.jobs) o.jobs = nproc;

  char self[PATH_MAX];
  ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
  if (sl <= 0) {
    fprintf(stderr, "hgym-bench: cannot find my own executable: %s\n", strerror(errno));
    return 4;
  }
  self[sl] = 0;

  /* The machine and the moment. */
  char cpu[256], mem[64], load0[64], load1[64], date[64], command[2048] = "";
  bench__proc_field("/proc/cpuinfo", "model name", cpu, sizeof cpu);
  bench__proc_field("/proc/meminfo", "MemTotal", mem, sizeof mem);
  double mem_kib = strtod(mem, NULL);
  if (mem_kib > 0) snprintf(mem, sizeof mem, "%.1f GiB", mem_kib / 1048576.0);
  bench__loadavg(load0, sizeof load0);
  struct utsname un;
  if (uname(&un) != 0) snprintf(un.release, sizeof un.release, "unknown");
  time_t now = time(NULL);
  strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
  for (int i = 0; i < argc; i++) {
    size_t cl = strlen(command);
    snprintf(command + cl, sizeof command - cl, "%s%s", i ? " " : "", argv[i]);
  }
  double t_start = bench__now();

  HgRepoList l = {0};
  if (bench__read_manifest(o.manifest, &l)) return 3;
  mkdir(o.out, 0755);
  char tmpdir[PATH_MAX / 2];
  snprintf(tmpdir, sizeof tmpdir, "%s/tmp.XXXXXX", o.out);
  if (!mkdtemp(tmpdir)) {
    fprintf(stderr, "hgym-bench: cannot create a directory under %s: %s\n", o.out, strerror(errno));
    hg_repo_list_free(&l);
    return 3;
  }
  memcpy(bench__tmpdir, tmpdir, sizeof tmpdir);
  signal(SIGINT, bench__on_signal);
  signal(SIGTERM, bench__on_signal);
  signal(SIGHUP, bench__on_signal);

  /* The corpus in memory, for the floor (this also warms the page cache for every phase). */
  fprintf(stderr, "hgym-bench: reading the corpus (%u repositories) into memory\n", l.n);
  Corpus corpus = {0};
  if (bench__corpus_load(&l, &corpus) != 0) {
    bench__rmtree(tmpdir);
    hg_repo_list_free(&l);
    return 3;
  }

  /* The phases: the floor, the parse as hgym does it, then indexing with 1,
   * 2 (when more cores) and N threads (phases[FIRST_INDEX] on). */
  enum { FLOOR = 0, HGPARSE = 1, FIRST_INDEX = 2 };
  Phase phases[FIRST_INDEX + MAX_THREAD_COUNTS];
  memset(phases, 0, sizeof phases);
  uint32_t np = 0;
  phases[np++].label = "parse floor (1 thread)";
  phases[np++].label = "parse, hgym's allocator";
  static char labels[MAX_THREAD_COUNTS][32];
  uint32_t counts[MAX_THREAD_COUNTS], nc = 0;
  counts[nc++] = 1;
  if (o.jobs > 2) counts[nc++] = 2;
  if (o.jobs > 1) counts[nc++] = o.jobs;
  for (uint32_t k = 0; k < nc; k++) {
    snprintf(labels[k], sizeof labels[k], "index, %u thread%s", counts[k], counts[k] == 1 ? "" : "s");
    phases[np].label = labels[k];
    phases[np++].threads = counts[k];
  }
  char index_paths[FIRST_INDEX + MAX_THREAD_COUNTS][PATH_MAX];
  for (uint32_t k = FIRST_INDEX; k < np; k++)
    snprintf(index_paths[k], sizeof index_paths[k], "%s/corpus-j%u.idx", tmpdir, phases[k].threads);
  snprintf(index_paths[HGPARSE], sizeof index_paths[HGPARSE], "%s/parse.result", tmpdir);

  for (uint32_t r = 0; r < o.reps; r++) {
    fprintf(stderr, "hgym-bench: round %u of %u\n", r + 1, o.reps);
    for (uint32_t k = 0; k < np; k++) {
      uint32_t q = (k + r) % np; /* rotate the order each round */
      if (q == FLOOR) bench__floor_run(&corpus, &phases[FLOOR]);
      else if (q == HGPARSE) bench__parse_run(self, &o, index_paths[HGPARSE], &phases[HGPARSE]);
      else bench__index_run(self, &o, index_paths[q], &phases[q]);
    }
  }
  uint64_t floor_files = corpus.n, floor_bytes = corpus.bytes;
  uint32_t floor_skipped = corpus.skipped;
  bench__corpus_free(&corpus);

  /* The index: its size, and the same bytes whatever the thread count? */
  int last = (int)np - 1;
  while (last >= FIRST_INDEX && phases[last].n == 0) last--;
  const char *final_index = last >= FIRST_INDEX ? index_paths[last] : NULL;
  uint64_t index_bytes = final_index ? bench__file_size(final_index) : 0;
  int identical = 1;
  for (uint32_t k = FIRST_INDEX; k < np; k++)
    if (final_index && phases[k].n && !bench__same_bytes(index_paths[k], final_index)) identical = 0;

  Lookups lk = {0};
  if (final_index) {
    fprintf(stderr, "hgym-bench: %u deps lookups\n", o.lookups);
    bench__lookups(final_index, &o, &lk);
  }
  JediCmp jc;
  bench__jedi(&o, &l, tmpdir, &jc);
  long self_rss = 0;
  struct rusage me;
  if (getrusage(RUSAGE_SELF, &me) == 0) self_rss = me.ru_maxrss;
  bench__loadavg(load1, sizeof load1);
  double total_seconds = bench__now() - t_start;

  /* ---- figures and targets ---- */
  const Phase *floor = &phases[FLOOR], *hgparse = &phases[HGPARSE], *one = &phases[FIRST_INDEX];
  const Phase *two = NULL;
  for (uint32_t k = FIRST_INDEX; k < np; k++)
    if (phases[k].threads == 2) two = &phases[k];
  const Phase *most = last >= FIRST_INDEX ? &phases[last] : NULL;
  long peak_rss = 0;
  for (uint32_t k = FIRST_INDEX; k < np; k++)
    if (bench__max_rss(&phases[k]) > peak_rss) peak_rss = bench__max_rss(&phases[k]);
  uint64_t src_bytes = one->n ? one->bytes : floor_bytes;

  Target targets[4] = {
      {"index 1 thread / parse floor (throughput)", 0, 0.85, 1, floor->n && one->n, -1, "x"},
      {"index 2 threads / index 1 thread (throughput)", 0, 1.8, 1, two && two->n && one->n, -1, "x"},
      {"deps lookup p50", lk.p50_us / 1e3, 1.0, 0, lk.ok, -1, "ms"},
      {"peak RSS, whole corpus", (double)peak_rss / 1048576.0, 2.0, 0, peak_rss > 0, -1, "GiB"},
  };
  if (targets[0].measured) {
    targets[0].value = bench__rate(one, 0) / bench__rate(floor, 0);
    targets[0].value_median = bench__rate(one, 1) / bench__rate(floor, 1);
  }
  if (targets[1].measured) {
    targets[1].value = bench__rate(two, 0) / bench__rate(one, 0);
    targets[1].value_median = bench__rate(two, 1) / bench__rate(one, 1);
  }

  /* ---- the table ---- */
  printf("hgym benchmark, %s\n", date);
  printf("machine: %u cores, %s, %s RAM, Linux %s; load average %s at the start, %s at the end\n", nproc, cpu, mem,
         un.release, load0, load1);
  printf("corpus: %s: %u repositories, %llu files, %.1f MB, %llu lines (%u files over the limits or unreadable)\n",
         o.manifest, l.n, (unsigned long long)floor_files, (double)floor_bytes / 1e6,
         (unsigned long long)(one->n ? one->lines : 0), floor_skipped);
  printf("method: each throughput phase ran %u time%s, interleaved (the order rotates each round); the best and\n"
         "  the median run are shown.  Throughput = source bytes / wall seconds of the phase.  The floor is\n"
         "  tree-sitter as shipped (ts_parser_parse_string + ts_tree_delete, malloc) over files already in\n"
         "  memory; \"parse, hgym's allocator\" is the same parse as hgym does it (hg_analyzer_parse_only: trees\n"
         "  in a region dropped whole, analyzer/tsalloc.h) in a child process; indexing is hg_batch_index on the manifest\n"
         "  (walk, read, analyze, resolve, write parts, merge) in a child process; peak RSS is that child's\n"
         "  ru_maxrss (wait4, RUSAGE of the child alone), the largest over its runs.  cpu s: the least CPU\n"
         "  seconds of a run.  other: cores the rest of the machine kept busy meanwhile (/proc/stat), mean over\n"
         "  the runs; with 2 cores, anything near 1 or more leaves the threads no free core.\n\n",
         o.reps, o.reps == 1 ? "" : "s");
  printf("  %-24s %7s %7s %7s %8s %6s %7s  %6s  %6s  %9s  %5s\n", "phase", "best s", "med s", "cpu s", "files/s",
         "MB/s", "MB/s md", "xfloor", "xf md", "peak RSS", "other");
  for (uint32_t k = 0; k < np; k++) bench__print_phase(&phases[k], floor);
  if (two && two->n && one->n)
    printf("\n  2 threads / 1 thread: %.2fx best, %.2fx median\n", targets[1].value, targets[1].value_median);
  if (one->n && floor->n && bench__best(one, 1) > 0)
    printf("  by CPU time instead of wall time (less sensitive to a loaded machine): 1 thread / floor %.2f\n",
           bench__best(floor, 1) / bench__best(one, 1) * (double)one->bytes / (double)floor->bytes);
  if (one->n && hgparse->n)
    printf("  index 1 thread / parse as hgym does it: %.2fx best, %.2fx median (what hgym's own work costs)\n",
           bench__rate(one, 0) / bench__rate(hgparse, 0), bench__rate(one, 1) / bench__rate(hgparse, 1));
  if (most && most != two && most->n && one->n)
    printf("  %u threads / 1 thread: %.2fx best\n", most->threads, bench__rate(most, 0) / bench__rate(one, 0));
  if (one->n && floor->n && one->files != floor_files)
    printf("  note: the floor parsed %llu files, indexing reported %llu\n", (unsigned long long)floor_files,
           (unsigned long long)one->files);
  printf("  index size: %.1f MB = %.2fx the source (%.1f MB); same bytes for every thread count: %s\n",
         (double)index_bytes / 1e6, src_bytes ? (double)index_bytes / (double)src_bytes : 0, (double)src_bytes / 1e6,
         identical ? "yes" : "NO");
  if (lk.ok)
    printf("  deps lookups: %u random functions (seed %llu), each hg_index_find_repo + hg_target_find(FILE:QUALNAME)\n"
           "    + hg_query_deps to /dev/null: p50 %.1f us, p90 %.1f us, p99 %.1f us, max %.1f us, mean %.1f us;\n"
           "    %u not found; index opened in %.2f ms\n",
           lk.n, (unsigned long long)o.seed, lk.p50_us, lk.p90_us, lk.p99_us, lk.max_us, lk.mean_us, lk.not_found,
           lk.open_ms);
  else
    printf("  deps lookups: not measured\n");
  printf("  this process's own peak RSS (holds the whole corpus for the floor): %.0f MiB\n", (double)self_rss / 1024.0);

  double jedi_s = jc.jedi ? bench__jnum(jc.jedi, "seconds") : -1;
  double hg_best = jc.hgym.n ? bench__best(&jc.hgym, 0) : -1;
  printf("\njedi reference method vs hgym on %s:\n", o.jedi_repo);
  if (jc.hgym.n) {
    printf("  hgym-index + hgym-query deps (CLI processes, wall, best of %u): %.3f s (index %.3f s, deps %.3f s),"
           " %.0f lines/s, %llu lines\n",
           jc.hgym.n, hg_best, jc.index_best, jc.query_best, hg_best > 0 ? (double)jc.lines / hg_best : 0,
           (unsigned long long)jc.lines);
  }
  if (jc.jedi && jedi_s > 0) {
    printf("  ast + jedi goto per call site (in-process time, one Script per file): %.2f s, %.0f lines/s,"
           " %.0f call sites, %.0f gotos\n",
           jedi_s, bench__jnum(jc.jedi, "lines") / jedi_s, bench__jnum(jc.jedi, "call_sites"),
           bench__jnum(jc.jedi, "gotos"));
    printf("  hgym is %.0fx faster\n", hg_best > 0 ? jedi_s / hg_best : 0);
    printf("  dependency edges: jedi %.0f, hgym %.0f, both %.0f (jedi only %.0f, hgym only %.0f):"
           " hgym finds %.1f%% of jedi's, jedi confirms %.1f%% of hgym's\n",
           bench__jnum(jc.jedi, "edges_jedi"), bench__jnum(jc.jedi, "edges_hgym"), bench__jnum(jc.jedi, "edges_both"),
           bench__jnum(jc.jedi, "jedi_only"), bench__jnum(jc.jedi, "hgym_only"),
           100 * bench__jnum(jc.jedi, "share_of_jedi_found_by_hgym"),
           100 * bench__jnum(jc.jedi, "share_of_hgym_confirmed_by_jedi"));
  }
  if (jc.why[0]) printf("  %s\n", jc.why);

  printf("\ntargets (issue 4; judged on the best runs, the medians beside):\n");
  for (int t = 0; t < 4; t++) {
    const Target *g = &targets[t];
    if (!g->measured) {
      printf("  %-48s not measured%s\n", g->name, t == 1 && nproc < 2 ? " (fewer than 2 cores)" : "");
      continue;
    }
    char med[64] = "";
    if (g->value_median >= 0)
      snprintf(med, sizeof med, " (median %.2f: %s)", g->value_median, bench__met(g, g->value_median) ? "met" : "not met");
    printf("  %-48s %8.3f %-3s %s %-5g %s%s\n", g->name, g->value, g->unit, g->higher_is_better ? ">=" : "< ",
           g->threshold, bench__met(g, g->value) ? "MET" : "NOT MET", med);
  }
  printf("\ntotal time %.0f s; results in %s/results.json\n", total_seconds, o.out);

  /* ---- the same as JSON ---- */
  cJSON *root = cJSON_CreateObject();
  cJSON_AddStringToObject(root, "date", date);
  cJSON_AddStringToObject(root, "command", command);
  cJSON *m = cJSON_AddObjectToObject(root, "machine");
  cJSON_AddNumberToObject(m, "nproc", nproc);
  cJSON_AddStringToObject(m, "cpu", cpu);
  cJSON_AddStringToObject(m, "mem_total", mem);
  cJSON_AddStringToObject(m, "kernel", un.release);
  cJSON_AddStringToObject(m, "loadavg_start", load0);
  cJSON_AddStringToObject(m, "loadavg_end", load1);
  cJSON *c = cJSON_AddObjectToObject(root, "corpus");
  cJSON_AddStringToObject(c, "manifest", o.manifest);
  cJSON_AddNumberToObject(c, "repositories", l.n);
  cJSON *rl = cJSON_AddArrayToObject(c, "names");
  for (uint32_t i = 0; i < l.n; i++) cJSON_AddItemToArray(rl, cJSON_CreateString(l.items[i].name));
  cJSON_AddNumberToObject(c, "files", (double)floor_files);
  cJSON_AddNumberToObject(c, "bytes", (double)floor_bytes);
  cJSON_AddNumberToObject(c, "lines", (double)(one->n ? one->lines : 0));
  cJSON_AddNumberToObject(c, "files_skipped", floor_skipped);
  cJSON *meth = cJSON_AddObjectToObject(root, "method");
  cJSON_AddNumberToObject(meth, "reps", o.reps);
  cJSON_AddStringToObject(meth, "schedule", "phases interleaved, order rotated each round; best and median reported");
  cJSON_AddStringToObject(meth, "throughput", "source bytes / wall seconds of the phase");
  cJSON_AddStringToObject(meth, "peak_rss",
                          "ru_maxrss of the indexing child process (hgym-bench --index-child, read by wait4), max over runs");
  cJSON *ph = cJSON_AddArrayToObject(root, "phases");
  for (uint32_t k = 0; k < np; k++) cJSON_AddItemToArray(ph, bench__phase_json(&phases[k], floor));
  if (one->n && floor->n && bench__best(one, 1) > 0)
    cJSON_AddNumberToObject(root, "ratio_1_thread_to_floor_by_cpu",
                            bench__best(floor, 1) / bench__best(one, 1) * (double)one->bytes / (double)floor->bytes);
  if (one->n && hgparse->n) {
    cJSON_AddNumberToObject(root, "ratio_1_thread_to_hgym_parse", bench__rate(one, 0) / bench__rate(hgparse, 0));
    cJSON_AddNumberToObject(root, "ratio_1_thread_to_hgym_parse_median", bench__rate(one, 1) / bench__rate(hgparse, 1));
  }
  if (two && two->n && one->n) {
    cJSON_AddNumberToObject(root, "speedup_2_threads", targets[1].value);
    cJSON_AddNumberToObject(root, "speedup_2_threads_median", targets[1].value_median);
  }
  cJSON *ix = cJSON_AddObjectToObject(root, "index");
  cJSON_AddNumberToObject(ix, "bytes", (double)index_bytes);
  cJSON_AddNumberToObject(ix, "source_bytes", (double)src_bytes);
  cJSON_AddNumberToObject(ix, "ratio_to_source", src_bytes ? (double)index_bytes / (double)src_bytes : 0);
  cJSON_AddBoolToObject(ix, "same_bytes_for_every_thread_count", identical);
  cJSON_AddNumberToObject(ix, "peak_rss_kib", (double)peak_rss);
  cJSON *lj = cJSON_AddObjectToObject(root, "lookups");
  cJSON_AddBoolToObject(lj, "measured", lk.ok);
  cJSON_AddNumberToObject(lj, "n", lk.n);
  cJSON_AddNumberToObject(lj, "seed", (double)o.seed);
  cJSON_AddStringToObject(lj, "each", "hg_index_find_repo + hg_target_find(FILE:QUALNAME) + hg_query_deps to /dev/null");
  cJSON_AddNumberToObject(lj, "p50_us", lk.p50_us);
  cJSON_AddNumberToObject(lj, "p90_us", lk.p90_us);
  cJSON_AddNumberToObject(lj, "p99_us", lk.p99_us);
  cJSON_AddNumberToObject(lj, "max_us", lk.max_us);
  cJSON_AddNumberToObject(lj, "mean_us", lk.mean_us);
  cJSON_AddNumberToObject(lj, "not_found", lk.not_found);
  cJSON_AddNumberToObject(lj, "rows", lk.rows);
  cJSON_AddNumberToObject(lj, "open_ms", lk.open_ms);
  cJSON *jj = cJSON_AddObjectToObject(root, "jedi_comparison");
  cJSON_AddStringToObject(jj, "repository", o.jedi_repo);
  if (jc.why[0]) cJSON_AddStringToObject(jj, "note", jc.why);
  if (jc.hgym.n) {
    cJSON_AddItemToObject(jj, "hgym", bench__phase_json(&jc.hgym, NULL));
    cJSON *h = cJSON_GetObjectItem(jj, "hgym");
    cJSON_AddNumberToObject(h, "index_best_seconds", jc.index_best);
    cJSON_AddNumberToObject(h, "deps_best_seconds", jc.query_best);
    cJSON_AddNumberToObject(h, "lines", (double)jc.lines);
    cJSON_AddNumberToObject(h, "lines_per_second", hg_best > 0 ? (double)jc.lines / hg_best : 0);
  }
  if (jc.jedi) {
    cJSON_AddItemToObject(jj, "jedi", jc.jedi);
    if (jedi_s > 0 && hg_best > 0) cJSON_AddNumberToObject(jj, "hgym_faster_by", jedi_s / hg_best);
  }
  cJSON *tj = cJSON_AddArrayToObject(root, "targets");
  for (int t = 0; t < 4; t++) {
    cJSON *g = cJSON_CreateObject();
    cJSON_AddStringToObject(g, "target", targets[t].name);
    cJSON_AddStringToObject(g, "unit", targets[t].unit);
    cJSON_AddStringToObject(g, "rule", targets[t].higher_is_better ? ">=" : "<");
    cJSON_AddNumberToObject(g, "threshold", targets[t].threshold);
    cJSON_AddBoolToObject(g, "measured", targets[t].measured);
    if (targets[t].measured) {
      cJSON_AddNumberToObject(g, "value", targets[t].value);
      cJSON_AddBoolToObject(g, "met", bench__met(&targets[t], targets[t].value));
      if (targets[t].value_median >= 0) {
        cJSON_AddNumberToObject(g, "value_median", targets[t].value_median);
        cJSON_AddBoolToObject(g, "met_median", bench__met(&targets[t], targets[t].value_median));
      }
    }
    cJSON_AddItemToArray(tj, g);
  }
  cJSON_AddNumberToObject(root, "total_seconds", total_seconds);

  int rc = 0;
  char path[PATH_MAX], tmp[PATH_MAX + 8];
  snprintf(path, sizeof path, "%s/results.json", o.out);
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  char *text = cJSON_Print(root);
  FILE *f = text ? fopen(tmp, "w") : NULL;
  if (!f || fputs(text, f) < 0 || fputc('\n', f) < 0 || fclose(f) != 0 || rename(tmp, path) != 0) {
    fprintf(stderr, "hgym-bench: cannot write %s: %s\n", path, strerror(errno));
    rc = 4;
  }
  cJSON_free(text);
  cJSON_Delete(root);
  if (o.keep_index) fprintf(stderr, "hgym-bench: the indexes are kept in %s\n", tmpdir);
  else bench__rmtree(tmpdir);
  hg_repo_list_free(&l);
  int failures = 0;
  for (uint32_t k = HGPARSE; k < np; k++) failures += phases[k].n == 0;
  if (!rc && (failures || !floor->n)) rc = 3;
  return rc;
}
