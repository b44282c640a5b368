from .. import core
from ..core import Engine as BaseEngine
from . import sibling
from .sibling import helper


class Leaf(BaseEngine):
    def run(self):
        helper()
        return super().run() + sibling.NAME


def build():
    return core.Engine("leaf")
