# In a regular package Python 3 imports are absolute: `import json` is the
# standard library's json, never the sibling pkg/json.py.
import json  #> import: external stdlib json
from . import json as local_json  #> import: module pkg/json.py


def encode(obj):
    return json.dumps(obj), local_json.dumps(obj)  #> stdlib json.dumps ; dep pkg/json.py:dumps
