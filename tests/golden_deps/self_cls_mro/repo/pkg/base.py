class Base:
    def greet(self):
        return "base greet"

    def shared(self):
        return "base shared"

    @classmethod  #> builtin classmethod
    def make(cls):
        return "made"
