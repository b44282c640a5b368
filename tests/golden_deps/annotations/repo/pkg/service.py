from typing import TYPE_CHECKING, Optional

from .models import Engine, make_engine

if TYPE_CHECKING:
    from .models import Car


class Garage:
    def __init__(self):
        self.spare: Optional[Engine] = self.find()  #> dep Garage.find

    def find(self):
        return make_engine()  #> dep pkg/models.py:make_engine

    def new_engine(self) -> Engine:
        return make_engine()  #> dep pkg/models.py:make_engine

    def fill(self):
        engine = self.new_engine()  #> dep Garage.new_engine
        return engine.start()  #> dep pkg/models.py:Engine.start

    def use_spare(self):
        return self.spare.start()  #> dep pkg/models.py:Engine.start

    @classmethod  #> builtin classmethod
    def build(cls):
        return cls()  #> dep Garage as cls


def service(car: "Car") -> None:
    car.drive()  #> dep pkg/models.py:Car.drive


def typed_local():
    engine: "Engine" = make_engine()  #> dep pkg/models.py:make_engine
    return engine.start()  #> dep pkg/models.py:Engine.start


def not_at_run_time():
    return Car()  #> unresolved
