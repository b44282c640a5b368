from mylib.api import greet

VERSION = "1.0"
