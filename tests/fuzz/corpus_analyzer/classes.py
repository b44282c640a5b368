"""Module docstring."""
import os.path as osp
from . import sibling
from ..pkg.mod import name as alias, other
from m import *

__all__ = ["Base", "Child", "helper"]


class Base(object, metaclass=type):
    """A base."""

    def __init__(self, x: int = 1, *args, y=None, **kw) -> None:
        self.x = x
        super().__init__()

    @property
    def value(self):
        return self.x

    @staticmethod
    def make(a, /, b, *, c):
        return Base(a)

    @classmethod
    def create(cls):
        return cls.make(1, 2, c=3)


class Child(Base):
    def run(self):
        def inner():
            class Local:
                pass
            return Local()
        return super(Child, self).run() or inner().x.y(osp.join("a", "b"))


def helper(*items):
    return [f(i)[0](j) for i in items for j in range(3)]
