def crlf(x):
    """First sentence of this docstring here.
    Second sentence.
    """
    return x


class CrlfBox:
    """A box in a CRLF file.

    In a CRLF file.
    """

    size = 1
