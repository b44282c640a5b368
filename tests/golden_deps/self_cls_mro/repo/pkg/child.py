from pkg import base
from pkg.mixin import Mixin


class Child(Mixin, base.Base):
    def run(self):
        # MRO: Child, Mixin, Base: shared comes from Mixin
        return self.greet(), self.shared(), self.mix(), self.own()  #> dep pkg/base.py:Base.greet ; dep pkg/mixin.py:Mixin.shared ; dep pkg/mixin.py:Mixin.mix ; dep Child.own

    def own(self):
        return 1

    def other_name(this):
        # the first parameter is the instance whatever its name
        return this.greet()  #> dep pkg/base.py:Base.greet

    @classmethod  #> builtin classmethod
    def build(cls):
        return cls.make(), cls.helper()  #> dep pkg/base.py:Base.make ; dep Child.helper

    @classmethod  #> builtin classmethod
    def helper(cls):
        return "helper"
