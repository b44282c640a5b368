def single(x):
    """Return x unchanged."""  # under five words: dropped
    return x


def multi_line(x):
    """
    Compute the thing that x needs.

    More detail here.
    """
    return x + 1


def no_period(x):
    """Split the text into its words

    Second paragraph. It is not read.
    """
    return x.split()


def question(x):
    """Is the sequence x empty or not?  Returns a bool."""
    return not x


def ie_sentence(x):
    """Sort items in place, i.e. without a copy. Stable."""
    x.sort()


def raw_doc(pattern):
    r"""Match \d+ digits in "pattern". Raw strings keep backslashes."""
    return pattern


def escapes(x):
    """Tab\tseparated "quoted" text with escape sequences.	A real tab before this."""
    return x


def concat(x):
    "Concatenated " 'docstring parts make one sentence.'
    return x


def single_quotes(x):
    '''Use single quotes for this docstring.'''
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
    """Fetch the given url.Wait for it. Then return."""
    return url


def one_liner(x): """One line."""; return x


def four_words(x):
    """Compute the thing now."""  # four words: dropped
    return x


def five_words(x):
    """Compute the next thing now."""  # five words: kept
    return x


def only_doc(x):
    """Only a docstring here, with nothing after it to run."""


def shares_code(x):
    """The docstring shares its line with some code."""; y = x
    return y


def doc_then_comment(x):
    """A docstring followed by a comment on its own line."""  # removing the line removes the comment too
    return x


def doc_semicolon(x):
    """A docstring followed by a lone semicolon on its line.""";
    return x


def elsewhere(x):
    """Convert the raw value into a display string."""
    return str(x)


def twin(x):
    """Return the twin value, exactly as it was given."""
    return x
