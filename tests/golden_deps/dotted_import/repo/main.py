import a.b.c  #> import: module a/__init__.py
import a.b as ab  #> import: module a/b/__init__.py
import a.b.c as abc  #> import: module a/b/c.py
from a.b.c import f as renamed  #> import: def a/b/c.py:f


def full_path():
    # `import a.b.c` binds a; the attribute chain reaches the submodule
    return a.b.c.f()  #> dep a/b/c.py:f


def through_binding():
    # importing a.b.c also imported (and set as attributes) a and a.b
    return a.top(), a.b.mid()  #> dep a/__init__.py:top ; dep a/b/__init__.py:mid


def alias_of_package():
    return ab.mid()  #> dep a/b/__init__.py:mid


def alias_of_module():
    return abc.g()  #> dep a/b/c.py:g


def alias_of_function():
    return renamed()  #> dep a/b/c.py:f as renamed
