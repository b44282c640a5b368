def single():
    'single quotes'


def triple():
    """Three
    lines
    here."""


def raw():
    r"""raw \d docstring"""


def concatenated():
    "first part " "second part"


def fstring(x):
    f"""not a docstring {x}"""


def bytes_literal():
    b"not a docstring"


def after_comment():
    # a comment first
    """Still the docstring."""


def not_first():
    x = 1
    """not a docstring"""
    return x


class Empty:
    ...


def one_liner(): return "x"


def signature_multi(
    a,
    b: int = 3,
    *,
    c,
) -> None:
    "docstring after a long signature"


def grüße(name="wörld"):
    """Non-ASCII: columns and bytes count UTF-8 bytes."""
    return name
