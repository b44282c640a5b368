import json as j  #> import: external stdlib json
import os  #> import: external stdlib os
import os.path  #> import: external stdlib os
from collections import OrderedDict  #> import: external stdlib collections.OrderedDict
from os import path  #> import: external stdlib os.path

import numpy as np  #> import: external third_party numpy
import requests  #> import: external third_party requests
from requests import Session  #> import: external third_party requests.Session


def builtins(xs):
    return len(xs), sorted(xs), print(xs)  #> builtin len ; builtin sorted ; builtin print


def stdlib():
    return os.path.join("a", "b"), path.exists("a"), j.dumps({}), OrderedDict()  #> stdlib os.path.join ; stdlib os.path.exists ; stdlib json.dumps ; stdlib collections.OrderedDict


def third_party():
    return requests.get("u"), np.array([1]), Session()  #> third_party requests.get ; third_party numpy.array ; third_party requests.Session


def mixed(xs):
    return local(len(xs)), os.getcwd()  #> dep local ; builtin len ; stdlib os.getcwd


def local(n):
    return n
