from .impl import Circle, make  #> import: def shapes/impl.py:Circle, def shapes/impl.py:make
from .impl import make as build  #> import: def shapes/impl.py:make
