def outer(a):
    def inner(b):
        def innermost():
            return a + b
        return innermost

    class Local:
        def method(self):
            def helper():
                return 0
            return helper()

    return inner, Local


class Outer:
    class Inner:
        class Deepest:
            def leaf(self):
                pass

    def method(self):
        class InMethod:
            def m(self):
                pass
        return InMethod

    lam = lambda self: self  # a lambda is not a definition


if True:
    def conditional():
        pass
else:
    def conditional():
        return None

try:
    def in_try():
        pass
except ImportError:
    def in_try():
        pass
