import functools
import os


@functools.lru_cache(maxsize=None)
def norm(path):
    """Normalize a path for the shop's catalogue lookups."""
    p = os.path.normpath(path)
    q = p.strip()
    return q


def total(items, tax):
    """Add up the prices of the items with the tax rate applied."""
    s = sum(items)
    t = s * tax
    return s + t
