"""Classes and methods with docstrings."""
import functools


class Widget:
    """A Widget draws itself on any canvas. Widgets are reusable, and so is Widget."""

    def render(self, canvas):
        """Render the Widget onto canvas, e.g. a screen. It returns nothing."""
        canvas.append(self)

    def resize(self, factor):
        # no docstring: not a target
        return factor * 2

    @property
    def area(self):
        """Return the area of this shape? Always zero."""
        return 0

    @functools.lru_cache(maxsize=None)
    def parse(self, text):
        """parse text with a parser, not parse_all nor _parse; parse! Then stop."""
        return text.split()

    class Style:
        """The Style of a Widget.

        A nested class is a target too.
        """
        color = "red"


class Empty:
    """An Empty class holds only its docstring"""  # deleting it leaves no body: dropped


def deco(func):
    return func


@deco
@deco
def decorated(x):
    """Decorated twice: decorator_line is the first decorator's."""
    return x
