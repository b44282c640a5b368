from shop.cart import total


def test_total():  # 1, in a test file: dropped
    assert total([1, 2]).cents == 3  #> dep shop/cart.py:total
