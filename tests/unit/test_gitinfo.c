/*
 * test_gitinfo.c: hg_git_github_name over every form of a GitHub remote URL
 * git accepts, and the URLs that are not GitHub's.  (Checkouts themselves,
 * made with git, are tests/suites/git_identity.sh's.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "index/gitinfo.h"

static void expect_name(const char *url, const char *want) {
  char out[256] = "unchanged";
  int rc = hg_git_github_name(url, out, sizeof out);
  if (!want) {
    if (rc != -1) fail_msg("%s: expected no GitHub name, got %s", url, out);
    return;
  }
  if (rc != 0) fail_msg("%s: expected %s, got none", url, want);
  if (strcmp(out, want) != 0) fail_msg("%s: expected %s, got %s", url, want, out);
}

static void test_https_forms(void **state) {
  (void)state;
  expect_name("https://github.com/pallets/flask", "pallets/flask");
  expect_name("https://github.com/pallets/flask.git", "pallets/flask");
  expect_name("https://github.com/pallets/flask/", "pallets/flask");
  expect_name("https://github.com/pallets/flask.git/", "pallets/flask");
  expect_name("http://github.com/pallets/flask", "pallets/flask");
  expect_name("https://www.github.com/pallets/flask", "pallets/flask");
  expect_name("https://GitHub.COM/pallets/flask.GIT", "pallets/flask");
  expect_name("https://user@github.com/pallets/flask.git", "pallets/flask");
  expect_name("https://user:ghp_token@github.com/pallets/flask.git", "pallets/flask");
  expect_name("https://github.com:443/pallets/flask.git", "pallets/flask");
  expect_name("https://github.com/pallets/flask?x=1", "pallets/flask");
  expect_name("https://github.com/pallets/flask#readme", "pallets/flask");
  expect_name("https://github.com/Owner-1/my.repo_x", "Owner-1/my.repo_x");
  expect_name("  https://github.com/pallets/flask.git  \n", "pallets/flask");
}

static void test_ssh_and_git_forms(void **state) {
  (void)state;
  expect_name("git@github.com:pallets/flask.git", "pallets/flask");
  expect_name("git@github.com:pallets/flask", "pallets/flask");
  expect_name("git@github.com:/pallets/flask.git", "pallets/flask");
  expect_name("github.com:pallets/flask.git", "pallets/flask");
  expect_name("org-123@github.com:pallets/flask.git", "pallets/flask");
  expect_name("ssh://git@github.com/pallets/flask.git", "pallets/flask");
  expect_name("ssh://git@github.com:22/pallets/flask.git", "pallets/flask");
  expect_name("ssh://git@ssh.github.com:443/pallets/flask.git", "pallets/flask");
  expect_name("ssh://github.com/pallets/flask", "pallets/flask");
  expect_name("git+ssh://git@github.com/pallets/flask.git", "pallets/flask");
  expect_name("ssh+git://git@github.com/pallets/flask.git", "pallets/flask");
  expect_name("git://github.com/pallets/flask.git", "pallets/flask");
}

static void test_not_github(void **state) {
  (void)state;
  expect_name("https://gitlab.com/pallets/flask.git", NULL);
  expect_name("git@gitlab.com:pallets/flask.git", NULL);
  expect_name("https://github.com.evil.org/pallets/flask", NULL);
  expect_name("https://evilgithub.com/pallets/flask", NULL);
  expect_name("https://github.com@evil.org/pallets/flask", NULL);
  expect_name("/srv/git/flask.git", NULL);
  expect_name("../flask", NULL);
  expect_name("file:///srv/git/pallets/flask.git", NULL);
  expect_name("ftp://github.com/pallets/flask", NULL);
  expect_name("https://github.com/pallets", NULL);
  expect_name("https://github.com/pallets/flask/tree/main", NULL);
  expect_name("https://github.com//flask", NULL);
  expect_name("https://github.com/pallets/..", NULL);
  expect_name("https://github.com/pal lets/flask", NULL);
  expect_name("https://github.com:x/pallets/flask", NULL);
  expect_name("/home/me/github.com:pallets/flask", NULL);
  expect_name("", NULL);
}

static void test_small_buffer(void **state) {
  (void)state;
  char out[8];
  assert_int_equal(hg_git_github_name("https://github.com/pallets/flask", out, sizeof out), -1);
  char fits[14];
  assert_int_equal(hg_git_github_name("https://github.com/pallets/flask", fits, sizeof fits), 0);
  assert_string_equal(fits, "pallets/flask");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_https_forms),
      cmocka_unit_test(test_ssh_and_git_forms),
      cmocka_unit_test(test_not_github),
      cmocka_unit_test(test_small_buffer),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
