from . import y  #> import: module pkg/sub/y.py
from .y import fy2  #> import: def pkg/sub/y.py:fy2
from . import sub_init  #> import: def pkg/sub/__init__.py:sub_init
from .. import top  #> import: module pkg/top.py
from ..top import h  #> import: def pkg/top.py:h
from .. import init_helper  #> import: def pkg/__init__.py:init_helper


def level_one():
    return y.f(), fy2(), sub_init()  #> dep pkg/sub/y.py:f ; dep pkg/sub/y.py:fy2 ; dep pkg/sub/__init__.py:sub_init


def level_two():
    return top.g(), h(), init_helper()  #> dep pkg/top.py:g ; dep pkg/top.py:h ; dep pkg/__init__.py:init_helper
