"""Sixteen one-dependency targets: more than the default cap of 20 a repository, with the others."""
from shop.util import fmt


def rate_01(value):
    return fmt(value + 1)  #> dep shop/util.py:fmt


def rate_02(value):
    return fmt(value + 2)  #> dep shop/util.py:fmt


def rate_03(value):
    return fmt(value + 3)  #> dep shop/util.py:fmt


def rate_04(value):
    return fmt(value + 4)  #> dep shop/util.py:fmt


def rate_05(value):
    return fmt(value + 5)  #> dep shop/util.py:fmt


def rate_06(value):
    return fmt(value + 6)  #> dep shop/util.py:fmt


def rate_07(value):
    return fmt(value + 7)  #> dep shop/util.py:fmt


def rate_08(value):
    return fmt(value + 8)  #> dep shop/util.py:fmt


def rate_09(value):
    return fmt(value + 9)  #> dep shop/util.py:fmt


def rate_10(value):
    return fmt(value + 10)  #> dep shop/util.py:fmt


def rate_11(value):
    return fmt(value + 11)  #> dep shop/util.py:fmt


def rate_12(value):
    return fmt(value + 12)  #> dep shop/util.py:fmt


def rate_13(value):
    return fmt(value + 13)  #> dep shop/util.py:fmt


def rate_14(value):
    return fmt(value + 14)  #> dep shop/util.py:fmt


def rate_15(value):
    return fmt(value + 15)  #> dep shop/util.py:fmt


def rate_16(value):
    return fmt(value + 16)  #> dep shop/util.py:fmt
