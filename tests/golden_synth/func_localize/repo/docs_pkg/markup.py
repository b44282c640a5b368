"""reST and Sphinx markup in first sentences: the description drops it."""


def role_func(x):
    """Call :func:`parse_all` and :meth:`Widget.render` on the input x."""
    return x


def role_tilde(x):
    """Build a :class:`~docs_pkg.shapes.Widget` from the value x given."""
    return x


def role_title(x):
    """See :ref:`the shapes guide <shapes-guide>` before using this value."""
    return x


def domain_role(x):
    """Return a :py:class:`dict` and :c:func:`!strlen` of the value x."""
    return x


def literal(x):
    """Return ``x + 1`` when x is ``not None`` here."""
    return x


def interpreted(x):
    """Read the `default role` text and the `link`_ and `anon`__ references."""
    return x


def emphasis(x):
    """Use *args and **kwargs, or *this* and **that** with the value."""
    return x


def masked_in_role(x):
    """Unlike :func:`masked_in_role`, keep ``masked_in_role`` as the value x."""
    return x


def unclosed_literal(x):
    """An unclosed ``literal stays as it is written in the text."""
    return x


def load_one(x):
    """Load the ``data`` file from the disk now."""
    return x


def load_two(x):
    """Load the :obj:`data` file from the disk now."""  # the same description as load_one's: both dropped
    return x
