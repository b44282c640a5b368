from pkg.models import Car, Engine
from pkg.util import helper

DEFAULT = Car()  #> dep pkg/models.py:Car


def local_instance():
    car = Car()  #> dep pkg/models.py:Car
    return car.drive()  #> dep pkg/models.py:Car.drive


def chained():
    return Engine().start()  #> dep pkg/models.py:Engine.start ; dep pkg/models.py:Engine


def alias_function():
    f = helper
    return f()  #> dep pkg/util.py:helper as f


def alias_class():
    cls = Engine
    e = cls()  #> dep pkg/models.py:Engine as cls
    return e.stop()  #> dep pkg/models.py:Engine.stop


def module_instance():
    return DEFAULT.park()  #> dep pkg/models.py:Car.park
