from proj.core import helper


def test_helper():
    assert helper(1) == 2
