"""A directory named venv WITHOUT pyvenv.cfg: an ordinary directory."""


def not_a_virtualenv():
    pass
