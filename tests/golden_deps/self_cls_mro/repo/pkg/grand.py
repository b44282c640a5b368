from pkg.child import Child


class GrandChild(Child):
    def go(self):
        return self.greet(), self.run(), self.shared()  #> dep pkg/base.py:Base.greet ; dep pkg/child.py:Child.run ; dep pkg/mixin.py:Mixin.shared
