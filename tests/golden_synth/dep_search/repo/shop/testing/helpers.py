from shop.util import fmt


def sample_price(value):  # 1: testing/ is not a test directory
    return fmt(value) + " (sample)"  #> dep shop/util.py:fmt
