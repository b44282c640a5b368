class Base:
    def __init__(self):
        self.setup()  #> dep Base.setup

    def setup(self):
        return None
