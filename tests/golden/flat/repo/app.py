#!/usr/bin/env python3
"""A flat layout: every module sits at the repository root."""
import sys

import helpers
from config import *
from helpers import Counter as C, join


def main(argv=None):
    argv = argv if argv is not None else sys.argv[1:]
    counter = C()
    counter.bump()
    print(join("a", "b"), helpers.exists("x"), get("DEBUG"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
