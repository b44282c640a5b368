def conv(v):
    return v


def keyfn(v):
    return v


def helper():
    return 0


def twice():
    return 2


def target(xs):
    squares = [conv(v) for v in xs]  #> dep conv
    ordered = sorted(xs, key=lambda v: keyfn(v))  #> builtin sorted ; dep keyfn
    table = {k: twice() for k in xs}  #> dep twice

    def inner():
        return helper()  #> dep helper

    inner()  #> dep target.<locals>.inner
    helper()  #> dep helper
    helper()  #> dep helper
    return squares, ordered, table


def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)  #> dep fact


def make_class():
    class Local:
        def m(self):
            return conv(1)  #> dep conv

    return Local().m()  #> dep make_class.<locals>.Local.m ; dep make_class.<locals>.Local


class Tree:
    def walk(self):
        return [self.walk() for _ in ()], keyfn(1)  #> dep Tree.walk ; dep keyfn
