import os

from pkg import util
from pkg.base import Base


class Service(Base):
    def serve(self):
        return util.fmt(len("x"))  #> dep pkg/util.py:fmt ; builtin len


def outer():
    def inner():
        return util.fmt(os.getcwd())  #> dep pkg/util.py:fmt ; stdlib os.getcwd

    return inner()  #> dep outer.<locals>.inner


def run():
    s = Service()  #> dep Service
    return s.serve(), outer()  #> dep Service.serve ; dep outer


run()  #> dep run
