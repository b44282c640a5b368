from mylib.api import greet


def test_greet():
    assert greet("x") == "hello x"
