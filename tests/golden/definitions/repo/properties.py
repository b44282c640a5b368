import abc
from functools import cached_property


class Temperature:
    def __init__(self, celsius=0.0):
        self._c = celsius

    @property
    def celsius(self):
        """The temperature in degrees Celsius."""
        return self._c

    @celsius.setter
    def celsius(self, value):
        self._c = value

    @celsius.deleter
    def celsius(self):
        del self._c

    @property
    def fahrenheit(self): return self._c * 9 / 5 + 32

    @cached_property
    def kelvin(self):
        return self._c + 273.15


class Shape(abc.ABC):
    @property
    @abc.abstractmethod
    def area(self):
        ...
