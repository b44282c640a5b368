from __future__ import annotations
import a.b.c
x: int = 3
a, (b, c) = 1, (2, 3)
with open("f") as fh, ctx() as (p, q):
    pass
for i, j in enumerate(items):
    obj.attr[0].method()(1)
match command:
    case [x, *rest]:
        pass
    case {"k": v}:
        pass
class C[T](Generic[T]):
    type Alias = list[T]
    def m[U](self, u: U) -> T: ...
__all__ += ["C"]
__all__.append("x")
