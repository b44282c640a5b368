def single(x):
    """Return x unchanged."""
    return x


def multi_line(x):
    """
    Compute the thing.

    More detail here.
    """
    return x + 1


def no_period(x):
    """Split text into words

    Second paragraph. It is not read.
    """
    return x.split()


def question(x):
    """Is x empty?  Returns a bool."""
    return not x


def ie_sentence(x):
    """Sort items in place, i.e. without a copy. Stable."""
    x.sort()


def raw_doc(pattern):
    r"""Match \d+ digits in "pattern". Raw strings keep backslashes."""
    return pattern


def escapes(x):
    """Tab\tseparated "quoted" text.	A real tab before this."""
    return x


def concat(x):
    "Concatenated " 'docstring parts.'
    return x


def single_quotes(x):
    '''Use single quotes.'''
    return x


def comment_first(x):
    # a comment is not a statement
    """The comment_first docstring comes after a comment."""
    return x


def fstring_first(x):
    f"""Not a docstring {x}."""
    return x


def bytes_first(x):
    b"""Not a docstring either."""
    return x


def statement_first(x):
    y = x
    """A string after a statement is not a docstring."""
    return y


def empty_doc(x):
    """"""
    return x


def blank_doc(x):
    """   

    """
    return x


def unicode_doc(x):
    """Café crème — naïve résumé for unicode_doc. Ünïcödé."""
    return x


def outer(x):
    """Outer does things with outer."""

    def helper(y):
        """Help outer: a nested function is a target."""
        return y

    return helper(x)


async def fetch(url):
    """Fetch url.Wait for it. Then return."""
    return url


def one_liner(x): """One line."""; return x
