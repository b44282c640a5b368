/*
 * modname.h: the dotted module name Python gives a file of a repository.
 *
 * Resolution looks modules up by these names, so they follow Python's import
 * system: the path without .py and __init__; a leading `src/` that is not a
 * package dropped (the src layout); prefixed by the root's own name when the
 * repository's root is itself a package (it holds __init__.py).  Directories
 * without __init__.py count as implicit namespace packages.
 */
#ifndef HG_MODNAME_H
#define HG_MODNAME_H

/* The module of relpath ('/'-separated, relative to the root; caller owns
 * the result).  root_pkg: the root's directory name when the root holds
 * __init__.py, else NULL; src_package: whether src/__init__.py exists. */
char *hg_module_name(const char *relpath, const char *root_pkg, int src_package);

#endif
