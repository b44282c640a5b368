from pkg.base import Base


class Child(Base):
    def __init__(self):
        super().__init__()  #> dep pkg/base.py:Base.__init__ ; builtin super

    def save(self):
        return super().save(), self.extra()  #> dep pkg/base.py:Base.save ; builtin super ; dep Child.extra

    def extra(self):
        return "extra"


class GrandChild(Child):
    def __init__(self):
        super().__init__()  #> dep Child.__init__ ; builtin super

    def save(self):
        # two-argument super starts the look-up after Child: Base.save
        return super(Child, self).save()  #> dep pkg/base.py:Base.save ; builtin super

    def more(self):
        # the look-up starts after GrandChild: Child.save
        return super().save()  #> dep Child.save ; builtin super
