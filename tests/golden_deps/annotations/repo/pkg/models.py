class Engine:
    def start(self):
        return "started"


class Car:
    engine: Engine

    def __init__(self):
        self.engine = self.pick()  #> dep Car.pick

    def pick(self):
        return Engine()  #> dep Engine

    def drive(self):
        return self.engine.start()  #> dep Engine.start


def make_engine() -> Engine:
    return Engine()  #> dep Engine
