"""func_gen targets, and definitions each filter rejects (the comment on each def says which)."""
import os
import os.path as osp
from collections import OrderedDict as OD
from . import helpers
from .helpers import (
    normalize,
    scale as resize,
)

try:
    import json
except ImportError:
    json = None


def accepted_basic(values, factor):  # kept
    """Scale values and drop the small ones."""
    out = []
    for v in values:
        out.append(resize(v, factor))  #> unresolved ; dep gen/helpers.py:scale as resize
    out = [x for x in out if x > 1]
    return out


def copy_of_basic(values, factor):  # the body of accepted_basic: a duplicate
    """Scale values and drop the small ones."""
    out = []
    for v in values:
        out.append(resize(v, factor))  #> unresolved ; dep gen/helpers.py:scale as resize
    out = [x for x in out if x > 1]
    return out


def three_statements(path):  # kept: exactly three statements after the docstring
    """Split a path into its directory and base name."""
    head = osp.dirname(path)  #> stdlib os.path.dirname
    tail = osp.basename(path)  #> stdlib os.path.basename
    return head, tail


def two_statements(x):  # two statements or fewer
    """Double x and add one."""
    y = x * 2
    return y + 1


def no_doc(x):  # no docstring
    y = x * 2
    z = y + 1
    return z


def todo_pass(x):  # trivial: pass
    """To be written."""
    pass


def todo_ellipsis(x):  # trivial: ...
    """To be written."""
    ...


def todo_raise(x):  # trivial: raise NotImplementedError
    """To be written."""
    raise NotImplementedError


def todo_raise_call(x):  # trivial: raise NotImplementedError(...)
    """To be written."""
    raise NotImplementedError("later")  #> builtin NotImplementedError


def todo_many(x):  # trivial: only placeholders, however many
    """To be written."""
    pass
    ...
    raise NotImplementedError


def doc_only(x):  # trivial: nothing after the docstring
    """Only a docstring."""


def forward(x):  # trivial: it only forwards to another call
    """Normalize x."""
    return helpers.normalize(x)  #> dep gen/helpers.py:normalize


def forward_stmt(x):  # trivial: a lone call statement
    """Print x."""
    print(x)  #> builtin print


async def forward_await(x):  # trivial: it returns the awaited call
    """Fetch x."""
    return await fetch_all(x)  #> dep fetch_all


def no_param():  # no parameter
    """Make a default configuration."""
    cfg = OD()  #> stdlib collections.OrderedDict as OD
    cfg["a"] = 1
    return cfg


def no_return(items):  # no return value
    """Sort items in place and log them."""
    items.sort()  #> unresolved
    count = len(items)  #> builtin len
    print(count)  #> builtin print


def bare_return(items):  # no return value: a bare return
    """Clear items unless empty."""
    if not items:
        return
    items.clear()  #> unresolved
    print(items)  #> builtin print


def nested_return(items):  # no return value of its own: only the nested function returns
    """Register a callback."""

    def callback():  # nested in a function: not a target
        """The callback."""
        first = items[0]
        second = items[1]
        return first + second

    items.append(callback)  #> unresolved
    print(items)  #> builtin print


def generator(items):  # no return value: it yields
    """Yield the doubled items."""
    for x in items:
        y = x * 2
        yield y
    print("done")  #> builtin print


def gather(*args):  # kept: *args is a parameter
    """Sum the positive arguments."""
    total = 0
    for a in args:
        total += max(a, 0)  #> builtin max
    return total


def kwonly(*, key):  # kept: a keyword-only parameter counts
    """Look key up in the environment."""
    value = os.environ.get(key)  #> unresolved
    value = normalize(value)  #> dep gen/helpers.py:normalize
    return value


def _private_ok(x):  # kept: func_gen takes private names
    """Clamp x to [0, 10]."""
    low = max(x, 0)  #> builtin max
    high = min(low, 10)  #> builtin min
    return high


def long_enough(x):  # kept: exactly 25 lines, def line to last body line (the default --max-lines)
    """Add one, twenty-two times."""
    x += 1
    x += 1
    x += 1
    x += 1
    x += 1
    x += 1
    x += 1
    x += 1
    x += 1
    x += 1
    x += 1
    x += 1
    x += 1
    x += 1
    x += 1
    x += 1
    x += 1
    x += 1
    x += 1
    x += 1
    x += 1
    x += 1
    return x


def too_long(x):  # line bounds: 26 lines
    """Subtract one, twenty-three times."""
    x -= 1
    x -= 1
    x -= 1
    x -= 1
    x -= 1
    x -= 1
    x -= 1
    x -= 1
    x -= 1
    x -= 1
    x -= 1
    x -= 1
    x -= 1
    x -= 1
    x -= 1
    x -= 1
    x -= 1
    x -= 1
    x -= 1
    x -= 1
    x -= 1
    x -= 1
    x -= 1
    return x


def outer_target(x):  # kept; the function nested in it is not a target, nor a dependency
    """Apply a nested helper twice."""
    def twice(v):  # nested in a function: not a target
        """Double v."""
        a = v
        b = v
        return a + b

    first = twice(x)  #> dep outer_target.<locals>.twice
    return twice(first)  #> dep outer_target.<locals>.twice


class Scaler:  # a class: not a target
    """Scale numbers."""

    def __init__(self, factor):  # no return value
        """Keep the factor."""
        self.factor = factor
        self.calls = 0
        self.last = None

    def apply(self, value):  # kept: self and one parameter
        """Scale value and count the call."""
        self.calls += 1
        self.last = resize(value, self.factor)  #> dep gen/helpers.py:scale as resize
        return self.last

    def reset(self):  # no parameter: self does not count
        """Forget the calls."""
        self.calls = 0
        self.last = None
        return self

    @classmethod  #> builtin classmethod
    def make(cls, factor):  # kept: cls does not count, factor does
        """Build a scaler from a factor given as text."""
        value = float(factor)  #> builtin float
        value = abs(value)  #> builtin abs
        return Scaler(value)  #> dep Scaler

    @classmethod  #> builtin classmethod
    def default(cls):  # no parameter: only cls
        """The default scaler."""
        factor = 2
        factor += 1
        return Scaler(factor)  #> dep Scaler

    @staticmethod  #> builtin staticmethod
    def twice(value):  # kept: a static method's first parameter counts
        """Double value through the helper."""
        doubled = resize(value, 2)  #> dep gen/helpers.py:scale as resize
        doubled = normalize(doubled)  #> dep gen/helpers.py:normalize
        return doubled

    class Inner:
        def inner_method(self, x):  # kept: a method of a nested class
            """Triple x."""
            y = x * 3
            y = y + 0
            return y


async def fetch_all(urls):  # kept: async
    """Fetch every url."""
    results = []
    for u in urls:
        results.append(await helpers.fetch(u))  #> unresolved ; dep gen/helpers.py:fetch
    return results
