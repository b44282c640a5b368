class Mixin:
    def shared(self):
        return "mixin shared"

    def mix(self):
        return "mix"
