"""dep_search targets; the comment on each def gives its dependency count."""
from shop import platform_dep
from shop.util import Money, ShopError, _secret, clamp, fmt, log, tagged, traced


def plain(x):  # 0: dropped by the dependency count
    return x + 1


def total(items):  # 1: a class call depends on the class
    return Money(sum(items))  #> dep shop/util.py:Money ; builtin sum


def show(value):  # 1
    text = fmt(value)  #> dep shop/util.py:fmt
    return "$" + text


def check(value):  # 1: raising a class calls it
    if value < 0:
        raise ShopError("negative")  #> dep shop/util.py:ShopError
    return value


@traced  #> dep shop/util.py:traced
def wrapped(x):  # 0: a bare decorator is no call expression (1 with --count-bare-decorators)
    return x * 2


@tagged("x")  #> dep shop/util.py:tagged
def labelled(x):  # 1: a decorator call is a call
    return x * 3


def countdown(n):  # 1: calling itself does not count
    if n <= 0:
        log("done")  #> dep shop/util.py:log
        return 0
    return countdown(n - 1)  #> dep countdown


def bounded(value):  # 2
    low = clamp(value, 0, 10)  #> dep shop/util.py:clamp
    return fmt(low)  #> dep shop/util.py:fmt


def outer(value):  # 2: the nested helper's calls count, the helper does not
    def inner(v):  # nested in a function: not a target
        return fmt(v)  #> dep shop/util.py:fmt

    log(value)  #> dep shop/util.py:log
    return inner(value)  #> dep outer.<locals>.inner


def repeat(value, times):  # 2: fmt is called twice, listed once
    first = fmt(value)  #> dep shop/util.py:fmt
    again = fmt(value * times)  #> dep shop/util.py:fmt
    log(first + again)  #> dep shop/util.py:log
    return again


def receipt(items):  # 3
    amount = total(items)  #> dep total
    log(fmt(amount.cents))  #> dep shop/util.py:log ; dep shop/util.py:fmt
    return amount


def safe_total(items):  # 3
    if not items:
        raise ShopError("empty")  #> dep shop/util.py:ShopError
    return clamp(total(items).cents, 0, 100)  #> dep shop/util.py:clamp ; dep total


def invoice(items):  # 4
    amount = safe_total(items)  #> dep safe_total
    text = show(amount)  #> dep show
    log(text)  #> dep shop/util.py:log
    return Money(amount)  #> dep shop/util.py:Money


def audit(items):  # 5
    check(len(items))  #> dep check ; builtin len
    amount = total(items)  #> dep total
    log(fmt(amount.cents))  #> dep shop/util.py:log ; dep shop/util.py:fmt
    return bounded(amount.cents)  #> dep bounded


def report(items):  # 6: over the default maximum of 5
    amount = Money(sum(items))  #> dep shop/util.py:Money ; builtin sum
    log(fmt(clamp(amount.cents, 0, 1000)))  #> dep shop/util.py:log ; dep shop/util.py:fmt ; dep shop/util.py:clamp
    check(amount.cents)  #> dep check
    return _secret(amount.cents)  #> dep shop/util.py:_secret


def _hidden(value):  # 1, but a private name
    return fmt(value) + "!"  #> dep shop/util.py:fmt


def joined(a, b):  # 2, ambiguous: sep is defined twice
    return a + platform_dep.sep() + b  #> dep shop/platform_dep.py:sep@3 | dep shop/platform_dep.py:sep@6


class Cart:  # a class: not a target
    def __init__(self, items):  # 0, and a private name
        self.items = list(items)  #> builtin list

    def subtotal(self):  # 1
        return total(self.items)  #> dep total

    def checkout(self):  # 2: a method of the same class and a function
        amount = self.subtotal()  #> dep Cart.subtotal
        log(amount)  #> dep shop/util.py:log
        return amount


def apply(handler, value):  # 1, and a call that resolves nowhere: dropped unless --allow-unresolved
    log(value)  #> dep shop/util.py:log
    return handler.run(value)  #> unresolved
