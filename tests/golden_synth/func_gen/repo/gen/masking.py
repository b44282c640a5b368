"""func_gen targets that Hybrid-Gym's masking step would not find alone, or whose
masked file would not parse.  The step takes func_name, splits it once on ".",
finds the first module-level class of that name, then the first def of the method's
name directly in its body (or the first module-level def of the name), and replaces
the lines after the docstring with one `pass` line indented like the line that
follows the docstring."""
import sys
from typing import overload

HAVE_FAST = sys.platform != "nowhere"


@overload  #> stdlib typing.overload
def conv(x: int) -> int: ...


@overload  #> stdlib typing.overload
def conv(x: str) -> str: ...


def conv(x):  # dropped: the masking finds the first stub
    """Convert the value x into its doubled form."""
    a = x
    b = a + a
    return b


def twice(x):  # dropped: defined twice in the module
    """Return x increased by one, the first way."""
    a = x + 1
    b = a
    return b


def twice(x):  # noqa: F811  (dropped: the masking finds the first twice)
    """Return x increased by two, the second way."""
    a = x + 2
    b = a
    return b


if HAVE_FAST:

    def modern(x):  # dropped: not directly in the module's body
        """Return x times three, in the modern way."""
        a = x * 3
        b = a
        return b


def spaced(x):  # dropped: a blank line after the docstring gives `pass` no indentation
    """Return x times four, with a blank line after this."""

    a = x * 4
    b = a
    return b


def low_comment(x):  # dropped: the line after the docstring is a comment at column 0
    """Return x times five, after a comment at column zero."""
# a comment at column 0
    a = x * 5
    b = a
    return b


def commented(x):  # kept: the comment after the docstring is indented like the body
    """Return x times six, after an indented comment."""
    # an indented comment
    a = x * 6
    b = a
    return b


def helper(x):  # kept: K.helper is another scope
    """Return x times seven as the module's helper."""
    a = x * 7
    b = a
    return b


class K:
    def helper(self, x):  # kept: the first def of this name in K
        """Return x times eight as K's helper."""
        a = x * 8
        b = a
        return b

    @overload  #> stdlib typing.overload
    def enc(self, x: int) -> int: ...

    @overload  #> stdlib typing.overload
    def enc(self, x: str) -> str: ...

    def enc(self, x):  # dropped: the masking finds the first stub
        """Encode the value x by adding nine to it."""
        a = x + 9
        b = a
        return b

    if HAVE_FAST:

        def fast_path(self, x):  # dropped: not directly in the class's body
            """Return x plus ten along the fast path."""
            a = x + 10
            b = a
            return b

    def spaced_method(self, x):  # dropped: `pass` at column 0 would end the class
        """Return x plus eleven, with a blank line after this."""

        a = x + 11
        b = a
        return b

    def last(self, x):  # kept
        """Return x plus twelve as the last method of K."""
        a = x + 12
        b = a
        return b


class Twin:
    def one(self, x):  # dropped: two module-level classes are named Twin
        """Return x plus thirteen in the first Twin."""
        a = x + 13
        b = a
        return b


class Twin:  # noqa: F811
    def two(self, x):  # dropped: two module-level classes are named Twin
        """Return x plus fourteen in the second Twin."""
        a = x + 14
        b = a
        return b
