import api  #> import: module api/__init__.py
import shapes  #> import: module shapes/__init__.py
from api import run  #> import: def core/engine.py:run
from shapes import Circle, build, make  #> import: def shapes/impl.py:Circle, def shapes/impl.py:make, def shapes/impl.py:make


def direct():
    return make(), build(), Circle()  #> dep shapes/impl.py:make ; dep shapes/impl.py:make as build ; dep shapes/impl.py:Circle


def through_chain():
    return run()  #> dep core/engine.py:run


def through_attributes():
    return api.run(), shapes.make(), shapes.Circle().area()  #> dep core/engine.py:run ; dep shapes/impl.py:make ; dep shapes/impl.py:Circle.area ; dep shapes/impl.py:Circle
