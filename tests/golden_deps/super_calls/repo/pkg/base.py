class Base:
    def __init__(self):
        self.ready = True

    def save(self):
        return "base save"
