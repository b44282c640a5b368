"""Decorated functions and classes: decorator_line is the first '@'."""
import functools
from dataclasses import dataclass


def plain(f):
    return f


def with_args(*names, **opts):
    def wrap(f):
        return f
    return wrap


@plain
def decorated():
    """One-line docstring."""
    return 1


@with_args("a", "b",
           flag=True)
@plain
def stacked(x, y=2, *args, key: str = "k", **kw) -> int:
    return x


@plain
# a comment between two decorators
@functools.lru_cache(maxsize=None)
def commented():
    pass


@plain
class Decorated:
    """Class docstring
    over two lines.
    """

    @staticmethod
    def smethod(a):
        return a

    @classmethod
    def cmethod(cls):
        return cls()

    @functools.wraps(plain)
    def wrapped(self):
        return self.smethod(1)


@dataclass(frozen=True)
class Point:
    x: int = 0
    y: int = 0

    @property
    def norm(self):
        return abs(self.x) + abs(self.y)
