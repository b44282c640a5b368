/*
 * test_walk.c: hg_walk_repo and hg_module_name over directory trees built
 * for each test under a fresh mkdtemp directory (removed afterwards).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/file.h"
#include "index/walk.h"
#include "resolve/modname.h"

/* ---- a scratch tree per test ---------------------------------------------------- */

enum { MAX_REPORTS = 16 };

typedef struct {
  char relpath[PATH_MAX];
  HgSeverity sev;
  char message[256];
} Report;

typedef struct {
  char root[PATH_MAX];  /* the mkdtemp directory */
  char other[PATH_MAX]; /* a second one, outside the repository */
  HgFileList fl;
  Report reports[MAX_REPORTS];
  int n_reports;
} Tree;

static int setup(void **state) {
  Tree *t = calloc(1, sizeof *t);
  if (!t) return -1;
  *state = t; /* cmocka skips the teardown of a failed setup: a test fails anyway */
  snprintf(t->root, sizeof t->root, "/tmp/hgym_walk_XXXXXX");
  snprintf(t->other, sizeof t->other, "/tmp/hgym_walk_out_XXXXXX");
  return mkdtemp(t->root) && mkdtemp(t->other) ? 0 : -1;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb;
  (void)ftw;
  return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* Make every directory readable again, then remove the tree. */
static int chmod_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)ftw;
  if ((flag == FTW_D || flag == FTW_DNR) && S_ISDIR(sb->st_mode)) chmod(path, 0755);
  return 0;
}

static void rm_tree(const char *dir) {
  nftw(dir, chmod_entry, 16, FTW_PHYS);
  nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int teardown(void **state) {
  Tree *t = *state;
  hg_file_list_free(&t->fl);
  rm_tree(t->root);
  rm_tree(t->other);
  free(t);
  return 0;
}

static void path_in(char *out, size_t cap, const char *dir, const char *rel) {
  int n = snprintf(out, cap, "%s/%s", dir, rel);
  assert_true(n > 0 && (size_t)n < cap);
}

/* mkdir -p of rel's directories under dir. */
static void make_parents(const char *dir, const char *rel) {
  char p[PATH_MAX];
  path_in(p, sizeof p, dir, rel);
  for (char *s = p + strlen(dir) + 1; (s = strchr(s, '/')); s++) {
    *s = 0;
    assert_true(mkdir(p, 0755) == 0 || errno == EEXIST);
    *s = '/';
  }
}

static void make_dir(const char *dir, const char *rel) {
  char p[PATH_MAX];
  make_parents(dir, rel);
  path_in(p, sizeof p, dir, rel);
  assert_true(mkdir(p, 0755) == 0 || errno == EEXIST);
}

static void make_file(const char *dir, const char *rel, const char *content) {
  char p[PATH_MAX];
  make_parents(dir, rel);
  path_in(p, sizeof p, dir, rel);
  FILE *f = fopen(p, "w");
  assert_non_null(f);
  fputs(content, f);
  assert_int_equal(fclose(f), 0);
}

static void make_link(const char *dir, const char *rel, const char *target) {
  char p[PATH_MAX];
  make_parents(dir, rel);
  path_in(p, sizeof p, dir, rel);
  assert_int_equal(symlink(target, p), 0);
}

static void on_report(void *ctx, const char *relpath, HgSeverity sev, const char *message) {
  Tree *t = ctx;
  assert_true(t->n_reports < MAX_REPORTS);
  Report *r = &t->reports[t->n_reports++];
  snprintf(r->relpath, sizeof r->relpath, "%s", relpath);
  r->sev = sev;
  snprintf(r->message, sizeof r->message, "%s", message);
}

static void walk_at(Tree *t, const char *root) { assert_int_equal(hg_walk_repo(root, &t->fl, on_report, t), HG_OK); }

static void walk(Tree *t) { walk_at(t, t->root); }

/* The list is exactly `want` (NULL-terminated), in that order. */
static void expect_files(const Tree *t, const char *const *want) {
  uint32_t n = 0;
  while (want[n]) n++;
  for (uint32_t i = 0; i < t->fl.n && i < n; i++) assert_string_equal(t->fl.files[i].path, want[i]);
  assert_int_equal(t->fl.n, n);
}

static void expect_no_reports(const Tree *t) {
  for (int i = 0; i < t->n_reports; i++)
    print_message("report: %s: %s\n", t->reports[i].relpath, t->reports[i].message);
  assert_int_equal(t->n_reports, 0);
}

/* ---- the walk --------------------------------------------------------------------------- */

static void test_walk_lists_python_files_sorted_bytewise(void **state) {
  Tree *t = *state;
  make_file(t->root, "b.py", "x = 1\n");
  make_file(t->root, "a_b.py", "");
  make_file(t->root, "a/b.py", "");
  make_file(t->root, "a.py", "print()\n");
  make_file(t->root, "pkg/z.py", "");
  make_file(t->root, "pkg/sub/m.py", "");
  make_file(t->root, "pkg/__init__.py", "");
  make_file(t->root, "README.md", "");
  make_file(t->root, "x.pyc", "");
  make_file(t->root, "stub.pyi", "");
  walk(t);
  /* '.' (0x2E) < '/' (0x2F) < '_' (0x5F) < letters */
  static const char *const want[] = {"a.py",         "a/b.py",   "a_b.py", "b.py", "pkg/__init__.py",
                                     "pkg/sub/m.py", "pkg/z.py", NULL};
  expect_files(t, want);
  assert_int_equal(t->fl.files[0].size, 8);
  assert_int_equal(t->fl.files[3].size, 6);
  assert_int_equal(t->fl.files[2].size, 0);
  assert_null(t->fl.root_pkg);
  expect_no_reports(t);
}

static void test_walk_skips_hidden_cache_and_vendor_dirs(void **state) {
  Tree *t = *state;
  make_file(t->root, ".git/hooks/x.py", "");
  make_file(t->root, ".venv/lib/y.py", "");
  make_file(t->root, "__pycache__/c.py", "");
  make_file(t->root, "pkg/__pycache__/d.py", "");
  make_file(t->root, "node_modules/n.py", "");
  make_file(t->root, "lib/site-packages/s.py", "");
  make_file(t->root, "lib/keep.py", "");
  make_file(t->root, "keep.py", "");
  walk(t);
  static const char *const want[] = {"keep.py", "lib/keep.py", NULL};
  expect_files(t, want);
  expect_no_reports(t);
}

static void test_walk_skips_virtualenv_by_pyvenv_cfg_not_by_name(void **state) {
  Tree *t = *state;
  make_file(t->root, "env1/pyvenv.cfg", "home = /usr/bin\n");
  make_file(t->root, "env1/lib/python3/x.py", "");
  make_file(t->root, "env1/top.py", "");
  make_file(t->root, "venv/__init__.py", ""); /* a package named venv, no pyvenv.cfg */
  make_file(t->root, "venv/scripts.py", "");
  make_file(t->root, "keep.py", "");
  walk(t);
  static const char *const want[] = {"keep.py", "venv/__init__.py", "venv/scripts.py", NULL};
  expect_files(t, want);
  expect_no_reports(t);
}

static void test_walk_follows_symlinked_file_inside_repo(void **state) {
  Tree *t = *state;
  make_file(t->root, "real/mod.py", "a = 1\n");
  make_link(t->root, "alias.py", "real/mod.py");
  walk(t);
  static const char *const want[] = {"alias.py", "real/mod.py", NULL};
  expect_files(t, want);
  assert_int_equal(t->fl.files[0].size, 6); /* the target's size */
  expect_no_reports(t);
}

static void test_walk_refuses_symlink_leaving_repo(void **state) {
  Tree *t = *state;
  char outside[PATH_MAX];
  make_file(t->other, "secret.py", "");
  path_in(outside, sizeof outside, t->other, "secret.py");
  make_link(t->root, "out.py", outside);
  make_link(t->root, "dangling.py", "no/such/file.py");
  make_file(t->root, "keep.py", "");
  walk(t);
  static const char *const want[] = {"keep.py", NULL};
  expect_files(t, want);
  /* children are visited in reverse order (pushed for a sorted pop) */
  assert_int_equal(t->n_reports, 2);
  assert_string_equal(t->reports[0].relpath, "out.py");
  assert_string_equal(t->reports[1].relpath, "dangling.py");
  for (int i = 0; i < 2; i++) {
    assert_int_equal(t->reports[i].sev, HG_SEV_NOTE);
    assert_non_null(strstr(t->reports[i].message, "not followed"));
  }
}

static void test_walk_never_follows_symlinked_dirs_or_cycles(void **state) {
  Tree *t = *state;
  char outside_dir[PATH_MAX];
  make_file(t->root, "pkg/m.py", "");
  make_link(t->root, "linkdir", "pkg");
  make_link(t->root, "pkg/loop", "..");
  make_link(t->root, "self.py", "self.py"); /* a symlink to itself */
  make_file(t->other, "ext/e.py", "");
  path_in(outside_dir, sizeof outside_dir, t->other, "ext");
  make_link(t->root, "ext", outside_dir);
  walk(t);
  static const char *const want[] = {"pkg/m.py", NULL};
  expect_files(t, want);
  assert_int_equal(t->n_reports, 1);
  assert_string_equal(t->reports[0].relpath, "self.py");
  assert_int_equal(t->reports[0].sev, HG_SEV_NOTE);
}

static void test_walk_treats_directory_named_py_as_directory(void **state) {
  Tree *t = *state;
  make_file(t->root, "x.py/inner.py", "");
  make_dir(t->root, "empty.py");
  walk(t);
  static const char *const want[] = {"x.py/inner.py", NULL};
  expect_files(t, want);
  expect_no_reports(t);
}

static void test_walk_reports_unreadable_directory(void **state) {
  Tree *t = *state;
  char locked[PATH_MAX];
  make_file(t->root, "locked/a.py", "");
  make_file(t->root, "open.py", "");
  path_in(locked, sizeof locked, t->root, "locked");
  assert_int_equal(chmod(locked, 0), 0);
  /* With CAP_DAC_READ_SEARCH (root) a mode-0 directory is still readable:
   * then the walk must list it like any other. */
  DIR *probe = opendir(locked);
  int privileged = probe != NULL;
  if (probe) closedir(probe);
  walk(t);
  if (privileged) {
    static const char *const want[] = {"locked/a.py", "open.py", NULL};
    expect_files(t, want);
    expect_no_reports(t);
  } else {
    static const char *const want[] = {"open.py", NULL};
    expect_files(t, want);
    assert_int_equal(t->n_reports, 1);
    assert_string_equal(t->reports[0].relpath, "locked");
    assert_int_equal(t->reports[0].sev, HG_SEV_WARNING);
    assert_non_null(strstr(t->reports[0].message, "cannot read directory"));
  }
}

static void test_walk_missing_root_is_io_error(void **state) {
  Tree *t = *state;
  char missing[PATH_MAX];
  path_in(missing, sizeof missing, t->root, "nope");
  assert_int_equal(hg_walk_repo(missing, &t->fl, on_report, t), HG_ERR_IO);
  assert_int_equal(t->fl.n, 0);
  assert_int_equal(t->n_reports, 1);
  assert_string_equal(t->reports[0].relpath, "");
  assert_int_equal(t->reports[0].sev, HG_SEV_ERROR);
  assert_non_null(strstr(t->reports[0].message, "cannot open repository"));
}

static void test_walk_root_that_is_a_file_is_io_error(void **state) {
  Tree *t = *state;
  char file[PATH_MAX];
  make_file(t->root, "f.py", "");
  path_in(file, sizeof file, t->root, "f.py");
  assert_int_equal(hg_walk_repo(file, &t->fl, on_report, t), HG_ERR_IO);
  assert_int_equal(t->n_reports, 1);
  assert_string_equal(t->reports[0].message, "repository is not a directory");
}

static void test_walk_empty_repository(void **state) {
  Tree *t = *state;
  walk(t);
  assert_int_equal(t->fl.n, 0);
  assert_null(t->fl.root_pkg);
  expect_no_reports(t);
}

/* ---- module names ------------------------------------------------------------------------ */

static void expect_module(const Tree *t, const char *relpath, const char *want) {
  char *m = hg_module_name(relpath, t->fl.root_pkg, t->fl.src_package);
  assert_non_null(m);
  assert_string_equal(m, want);
  free(m);
}

static void test_module_names_of_packages_and_modules(void **state) {
  Tree *t = *state;
  make_file(t->root, "pkg/__init__.py", "");
  make_file(t->root, "pkg/mod.py", "");
  make_file(t->root, "pkg/sub/__init__.py", "");
  make_file(t->root, "pkg/sub/deep.py", "");
  walk(t);
  assert_int_equal(t->fl.n, 4);
  expect_module(t, "pkg/__init__.py", "pkg");
  expect_module(t, "pkg/mod.py", "pkg.mod");
  expect_module(t, "pkg/sub/__init__.py", "pkg.sub");
  expect_module(t, "pkg/sub/deep.py", "pkg.sub.deep");
}

static void test_module_names_in_src_layout(void **state) {
  Tree *t = *state;
  make_file(t->root, "src/pkg/__init__.py", "");
  make_file(t->root, "src/pkg/mod.py", "");
  make_file(t->root, "src/top.py", "");
  make_file(t->root, "tests/test_mod.py", "");
  walk(t);
  assert_int_equal(t->fl.n, 4);
  expect_module(t, "src/pkg/__init__.py", "pkg");
  expect_module(t, "src/pkg/mod.py", "pkg.mod");
  expect_module(t, "src/top.py", "top");
  expect_module(t, "tests/test_mod.py", "tests.test_mod");
}

static void test_module_names_when_src_is_a_package(void **state) {
  Tree *t = *state;
  make_file(t->root, "src/__init__.py", "");
  make_file(t->root, "src/pkg/mod.py", "");
  walk(t);
  expect_module(t, "src/__init__.py", "src");
  expect_module(t, "src/pkg/mod.py", "src.pkg.mod");
}

static void test_module_names_when_root_is_a_package(void **state) {
  Tree *t = *state;
  char root[PATH_MAX];
  make_file(t->root, "rootpkg/__init__.py", "");
  make_file(t->root, "rootpkg/mod.py", "");
  make_file(t->root, "rootpkg/sub/x.py", "");
  path_in(root, sizeof root, t->root, "rootpkg/"); /* a trailing slash changes nothing */
  walk_at(t, root);
  assert_non_null(t->fl.root_pkg);
  assert_string_equal(t->fl.root_pkg, "rootpkg");
  static const char *const want[] = {"__init__.py", "mod.py", "sub/x.py", NULL};
  expect_files(t, want);
  expect_module(t, "__init__.py", "rootpkg");
  expect_module(t, "mod.py", "rootpkg.mod");
  expect_module(t, "sub/x.py", "rootpkg.sub.x");
}

static void test_module_names_of_namespace_packages(void **state) {
  Tree *t = *state;
  make_file(t->root, "ns/part/mod.py", "");
  make_file(t->root, "ns/part/__init__.py", "");
  make_file(t->root, "ns/other.py", "");
  walk(t);
  expect_module(t, "ns/part/mod.py", "ns.part.mod");
  expect_module(t, "ns/part/__init__.py", "ns.part");
  expect_module(t, "ns/other.py", "ns.other");
}

static void test_module_names_of_top_level_scripts(void **state) {
  Tree *t = *state;
  make_file(t->root, "setup.py", "");
  make_file(t->root, "src.py", "");
  walk(t);
  expect_module(t, "setup.py", "setup");
  expect_module(t, "src.py", "src");
}

/* hg_read_file: whole files into one reused buffer, sized to the file + 1,
 * NUL-terminated; a missing file is -1 with errno.  A file opened ahead
 * (hg_open_ahead) reads the same through hg_read_fd; a missing one is not
 * opened, with the same errno. */
static void test_read_file_reuses_one_buffer(void **state) {
  Tree *t = *state;
  static char big[200000];
  memset(big, 'x', sizeof big - 1);
  make_file(t->root, "big.py", big);
  make_file(t->root, "small.py", "ab\0cd");
  make_file(t->root, "empty.py", "");
  char p[PATH_MAX], *buf = NULL;
  size_t cap = 0, len = 99;
  path_in(p, sizeof p, t->root, "small.py");
  assert_int_equal(hg_read_file(p, &buf, &cap, &len), 0);
  assert_int_equal(len, 2); /* make_file writes up to the first NUL */
  assert_int_equal(cap, 3);
  assert_string_equal(buf, "ab");
  path_in(p, sizeof p, t->root, "big.py");
  int fd = hg_open_ahead(p);
  assert_true(fd >= 0);
  assert_int_equal(hg_read_fd(fd, &buf, &cap, &len), 0);
  assert_int_equal(len, sizeof big - 1);
  assert_int_equal(cap, sizeof big);
  assert_int_equal(buf[len], 0);
  assert_int_equal(buf[len - 1], 'x');
  char *kept = buf;
  path_in(p, sizeof p, t->root, "empty.py");
  assert_int_equal(hg_read_file(p, &buf, &cap, &len), 0);
  assert_int_equal(len, 0);
  assert_ptr_equal(buf, kept); /* a smaller file reuses the buffer */
  assert_int_equal(cap, sizeof big);
  assert_int_equal(buf[0], 0);
  path_in(p, sizeof p, t->root, "missing.py");
  errno = 0;
  assert_int_equal(hg_open_ahead(p), -1);
  assert_int_equal(errno, ENOENT);
  errno = 0;
  assert_int_equal(hg_read_file(p, &buf, &cap, &len), -1);
  assert_int_equal(errno, ENOENT);
  free(buf);
}

/* ---- what changes between the walk and the read (issue 14) ---------------------------------- */

static void path_of(const Tree *t, const char *rel, char *out, size_t cap) { path_in(out, cap, t->root, rel); }

/* A *.py that is a FIFO or a socket is reported (a warning) and left out,
 * counted in n_skipped; so is a symlinked *.py whose target is a FIFO. */
static void test_walk_reports_fifos_and_sockets_named_py(void **state) {
  Tree *t = *state;
  char p[PATH_MAX];
  make_file(t->root, "keep.py", "x = 1\n");
  path_of(t, "pipe.py", p, sizeof p);
  assert_int_equal(mkfifo(p, 0644), 0);
  path_of(t, "sock.py", p, sizeof p);
  assert_int_equal(mknod(p, S_IFSOCK | 0644, 0), 0);
  make_link(t->root, "alias.py", "pipe.py");
  walk(t);
  static const char *const want[] = {"keep.py", NULL};
  expect_files(t, want);
  assert_int_equal(t->fl.n_skipped, 3);
  assert_int_equal(t->n_reports, 3);
  /* children are visited in reverse order */
  assert_string_equal(t->reports[0].relpath, "sock.py");
  assert_string_equal(t->reports[0].message, "not a regular file (a socket): not indexed");
  assert_string_equal(t->reports[1].relpath, "pipe.py");
  assert_string_equal(t->reports[1].message, "not a regular file (a FIFO): not indexed");
  assert_string_equal(t->reports[2].relpath, "alias.py");
  assert_string_equal(t->reports[2].message, "not a regular file (a FIFO): not indexed");
  for (int i = 0; i < 3; i++) assert_int_equal(t->reports[i].sev, HG_SEV_WARNING);
}

/* A file swapped for a FIFO after the walk: hg_walk_open refuses it at once
 * (O_NONBLOCK, then fstat), and hg_read_file does too. */
static void test_open_after_the_walk_refuses_a_fifo_without_blocking(void **state) {
  Tree *t = *state;
  char p[PATH_MAX];
  make_file(t->root, "a.py", "a = 1\n");
  make_file(t->root, "b.py", "b = 1\n");
  walk(t);
  assert_int_equal(t->fl.n, 2);
  path_of(t, "b.py", p, sizeof p);
  assert_int_equal(unlink(p), 0);
  assert_int_equal(mkfifo(p, 0644), 0);
  struct stat st;
  const char *why = NULL;
  alarm(10); /* a blocking open would hang the test: let it die instead */
  int fd = hg_walk_open(&t->fl, 0, &st, &why);
  assert_true(fd >= 0);
  assert_int_equal(st.st_size, 6);
  close(fd);
  errno = 0;
  assert_int_equal(hg_walk_open(&t->fl, 1, &st, &why), -1);
  assert_int_equal(errno, EINVAL);
  assert_non_null(why);
  assert_string_equal(why, "not a regular file (a FIFO)");
  char *buf = NULL;
  size_t cap = 0, len = 0;
  errno = 0;
  assert_int_equal(hg_read_file(p, &buf, &cap, &len), -1);
  assert_int_equal(errno, EINVAL);
  alarm(0);
  free(buf);
}

/* A directory swapped for a symbolic link to a directory outside after the
 * walk: the open fails (the link is not followed) instead of reading the
 * outside file of the same name. */
static void test_open_after_the_walk_never_follows_a_swapped_directory(void **state) {
  Tree *t = *state;
  char p[PATH_MAX], q[PATH_MAX];
  make_file(t->root, "pkg/mod.py", "inside = 1\n");
  make_file(t->other, "pkg/mod.py", "outside = 1\n");
  walk(t);
  assert_int_equal(t->fl.n, 1);
  path_of(t, "pkg/mod.py", p, sizeof p);
  assert_int_equal(unlink(p), 0);
  path_of(t, "pkg", p, sizeof p);
  assert_int_equal(rmdir(p), 0);
  path_in(q, sizeof q, t->other, "pkg");
  assert_int_equal(symlink(q, p), 0);
  struct stat st;
  const char *why = NULL;
  errno = 0;
  assert_int_equal(hg_walk_open(&t->fl, 0, &st, &why), -1);
  assert_true(errno == ELOOP || errno == ENOTDIR);
  assert_null(why);
}

/* The root renamed and replaced after the walk: files are still read from
 * the directory the walk held, not from whatever the path names now. */
static void test_open_after_the_walk_reads_the_walked_root(void **state) {
  Tree *t = *state;
  char repo[PATH_MAX], moved[PATH_MAX];
  make_file(t->root, "repo/m.py", "walked = 1\n");
  path_in(repo, sizeof repo, t->root, "repo");
  path_in(moved, sizeof moved, t->root, "moved");
  walk_at(t, repo);
  assert_int_equal(rename(repo, moved), 0);
  make_file(t->root, "repo/m.py", "other = 22\n");
  struct stat st;
  const char *why = NULL;
  int fd = hg_walk_open(&t->fl, 0, &st, &why);
  assert_true(fd >= 0);
  char *buf = NULL;
  size_t cap = 0, len = 0;
  assert_int_equal(hg_read_fd(fd, &buf, &cap, &len), 0);
  assert_string_equal(buf, "walked = 1\n");
  free(buf);
}

/* A file larger on the descriptor than the limit, or one that grows past it
 * while it is read, is refused with EFBIG: never read whole. */
static void test_read_enforces_the_limit_on_the_descriptor(void **state) {
  Tree *t = *state;
  char p[PATH_MAX];
  make_file(t->root, "f.py", "0123456789");
  path_of(t, "f.py", p, sizeof p);
  char *buf = NULL;
  size_t cap = 0, len = 0;
  int fd = open(p, O_RDONLY);
  assert_true(fd >= 0);
  errno = 0;
  assert_int_equal(hg_read_fd_max(fd, 9, &buf, &cap, &len), -1);
  assert_int_equal(errno, EFBIG);
  fd = open(p, O_RDONLY);
  assert_int_equal(hg_read_fd_max(fd, 10, &buf, &cap, &len), 0); /* the limit is inclusive */
  assert_int_equal(len, 10);
  /* growing while read: the size checked is 10, then 90 more bytes appear */
  fd = open(p, O_RDONLY);
  FILE *f = fopen(p, "a");
  assert_non_null(f);
  for (int i = 0; i < 90; i++) fputc('x', f);
  fclose(f);
  errno = 0;
  assert_int_equal(hg_read_fd_max(fd, 50, &buf, &cap, &len), -1);
  assert_int_equal(errno, EFBIG);
  assert_true(cap <= 256); /* not read whole into a buffer of the new size */
  free(buf);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_walk_reports_fifos_and_sockets_named_py, setup, teardown),
      cmocka_unit_test_setup_teardown(test_open_after_the_walk_refuses_a_fifo_without_blocking, setup, teardown),
      cmocka_unit_test_setup_teardown(test_open_after_the_walk_never_follows_a_swapped_directory, setup, teardown),
      cmocka_unit_test_setup_teardown(test_open_after_the_walk_reads_the_walked_root, setup, teardown),
      cmocka_unit_test_setup_teardown(test_read_enforces_the_limit_on_the_descriptor, setup, teardown),
      cmocka_unit_test_setup_teardown(test_walk_lists_python_files_sorted_bytewise, setup, teardown),
      cmocka_unit_test_setup_teardown(test_walk_skips_hidden_cache_and_vendor_dirs, setup, teardown),
      cmocka_unit_test_setup_teardown(test_walk_skips_virtualenv_by_pyvenv_cfg_not_by_name, setup, teardown),
      cmocka_unit_test_setup_teardown(test_walk_follows_symlinked_file_inside_repo, setup, teardown),
      cmocka_unit_test_setup_teardown(test_walk_refuses_symlink_leaving_repo, setup, teardown),
      cmocka_unit_test_setup_teardown(test_walk_never_follows_symlinked_dirs_or_cycles, setup, teardown),
      cmocka_unit_test_setup_teardown(test_walk_treats_directory_named_py_as_directory, setup, teardown),
      cmocka_unit_test_setup_teardown(test_walk_reports_unreadable_directory, setup, teardown),
      cmocka_unit_test_setup_teardown(test_walk_missing_root_is_io_error, setup, teardown),
      cmocka_unit_test_setup_teardown(test_walk_root_that_is_a_file_is_io_error, setup, teardown),
      cmocka_unit_test_setup_teardown(test_walk_empty_repository, setup, teardown),
      cmocka_unit_test_setup_teardown(test_module_names_of_packages_and_modules, setup, teardown),
      cmocka_unit_test_setup_teardown(test_module_names_in_src_layout, setup, teardown),
      cmocka_unit_test_setup_teardown(test_module_names_when_src_is_a_package, setup, teardown),
      cmocka_unit_test_setup_teardown(test_module_names_when_root_is_a_package, setup, teardown),
      cmocka_unit_test_setup_teardown(test_module_names_of_namespace_packages, setup, teardown),
      cmocka_unit_test_setup_teardown(test_module_names_of_top_level_scripts, setup, teardown),
      cmocka_unit_test_setup_teardown(test_read_file_reuses_one_buffer, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
