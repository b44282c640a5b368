/*
 * pynames.h: is a name one of Python's builtins, or a module of its standard library?
 */
#ifndef HG_PYNAMES_H
#define HG_PYNAMES_H

/* A name of the builtins module (len, print, ValueError, ...). */
int hg_py_is_builtin(const char *name);
/* The first component of dotted names a standard-library module (os.path -> os). */
int hg_py_is_stdlib(const char *dotted);

#endif
