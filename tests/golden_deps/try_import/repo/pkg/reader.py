try:
    from fastjson import loads  #> import: external third_party fastjson.loads
except ImportError:
    from pkg.compat import loads  #> import: def pkg/compat.py:loads

try:
    import simplejson as json  #> import: external third_party simplejson
except ImportError:
    import json  #> import: external stdlib json


def read(text):
    # which loads runs depends on whether fastjson is installed: both are kept
    return loads(text)  #> third_party fastjson.loads | dep pkg/compat.py:loads


def dump(obj):
    return json.dumps(obj)  #> third_party simplejson.dumps | stdlib json.dumps
