"""An overloaded function.  Python binds parse to its last definition, but the index
resolves a call of parse to each of its three definitions, the @overload stubs too
(the resolver of issue 12 will stop that): the annotation of read's call states what
the index holds.  dep_search drops a target whose dependencies include a stub, even
with --allow-ambiguous: the implementation is the dependency."""
from typing import overload


@overload  #> stdlib typing.overload
def parse(x: int) -> int: ...


@overload  #> stdlib typing.overload
def parse(x: str) -> str: ...


def parse(x):
    return x


def read(value):  # 3, ambiguous, two of them @overload stubs: dropped whatever the options
    return parse(value)  #> dep parse@9 | dep parse@13 | dep parse@16
