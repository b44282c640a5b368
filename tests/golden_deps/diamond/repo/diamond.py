class A:
    def m(self):
        return "A"

    def who(self):
        return "A"


class B(A):
    def who(self):
        return "B"


class C(A):
    def m(self):
        return "C"

    def who(self):
        return "C"


class D(B, C):
    def run(self):
        # C3 MRO: D, B, C, A (depth-first would find A.m before C.m)
        return self.m(), self.who()  #> dep C.m ; dep B.who


class X:
    def p(self):
        return "X"


class Y(X):
    pass


class Z:
    def p(self):
        return "Z"


class W(Y, Z):
    def run(self):
        # C3 MRO: W, Y, X, Z (breadth-first would find Z.p before X.p)
        return self.p()  #> dep X.p
