class Engine:
    def start(self):
        return "started"

    def stop(self):
        return "stopped"


class Car:
    def __init__(self):
        self.engine = Engine()  #> dep Engine

    def drive(self):
        # self.engine was set to an Engine in __init__
        return self.engine.start()  #> dep Engine.start

    def park(self):
        return self.engine.stop()  #> dep Engine.stop
