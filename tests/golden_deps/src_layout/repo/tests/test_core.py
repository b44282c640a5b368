from mylib.core import run  #> import: def src/mylib/core.py:run


def test_run():
    assert run() == 1  #> dep src/mylib/core.py:run
