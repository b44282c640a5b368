from pkg import util
from pkg.util import Util


def use():
    return Util.make(), Util.create(), util.Util.combined()  #> dep pkg/util.py:Util.make ; dep pkg/util.py:Util.create ; dep pkg/util.py:Util.combined


def through_instance():
    return Util().create()  #> dep pkg/util.py:Util.create ; dep pkg/util.py:Util
