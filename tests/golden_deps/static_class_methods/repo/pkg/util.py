class Util:
    @staticmethod  #> builtin staticmethod
    def make():
        return "made"

    @classmethod  #> builtin classmethod
    def create(cls):
        return cls.make()  #> dep Util.make

    @staticmethod  #> builtin staticmethod
    def combined():
        # a static method reaches its class by name
        return Util.make(), Util.create()  #> dep Util.make ; dep Util.create
