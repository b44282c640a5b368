"""Dependencies whose decorator lines lie close together: a comment within 5 lines
of one could be taken for the comment of the other, so dep_search drops a target
that depends on two of them (ungradeable), whatever the options."""
from shop.util import ShopError


def near_a(x):  # decorator_line 6
    return x


def near_b(x):  # 10: 4 lines after near_a's
    return x



@staticmethod  #> builtin staticmethod
def near_c(x):  # decorator_line 15: 5 lines after near_b's (the limit); its def line is 6 after
    return x



def far_d(x):  # 21: 6 lines after near_c's decorator line (5 after its def line)
    return x


def mid_m(x):  # 25
    return x


def mid_n(x):  # 29
    return x


def mid_o(x):  # 33: 8 lines after mid_m's, 4 after mid_n's
    return x


def uses_ab(x):  # 2, ungradeable: 4 lines apart
    return near_a(near_b(x))  #> dep near_a ; dep near_b


def uses_bc(x):  # 2, ungradeable: 5 lines apart, counted from near_c's decorator
    return near_b(x) + near_c(x)  #> dep near_b ; dep near_c


def uses_cd(x):  # 2, gradeable: 6 lines apart (from near_c's decorator line, not its def line)
    return near_c(x) + far_d(x)  #> dep near_c ; dep far_d


def uses_mo(x):  # 2, gradeable: 8 lines apart
    return mid_m(x) + mid_o(x)  #> dep mid_m ; dep mid_o


def uses_mno(x):  # 3, ungradeable: mid_n lies within 4 lines of both others
    return mid_m(x) + mid_n(x) + mid_o(x)  #> dep mid_m ; dep mid_n ; dep mid_o


def uses_a_err(x):  # 2, gradeable: ShopError is 2 lines after near_a, but in util.py
    if x < 0:
        raise ShopError("negative")  #> dep shop/util.py:ShopError
    return near_a(x)  #> dep near_a
