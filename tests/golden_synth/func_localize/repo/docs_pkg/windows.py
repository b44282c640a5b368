def crlf(x):
    """First sentence.
    Second sentence.
    """
    return x


class CrlfBox:
    """A box.

    In a CRLF file.
    """
