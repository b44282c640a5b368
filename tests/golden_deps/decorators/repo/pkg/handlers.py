from pkg.registry import App, make_key, plain, register

app = App()  #> dep pkg/registry.py:App


@register(make_key("a"))  #> dep pkg/registry.py:register ; dep pkg/registry.py:make_key
def handler():
    return 1


@plain  #> dep pkg/registry.py:plain
def simple():
    return 2


@app.route("/")  #> dep pkg/registry.py:App.route
def index():
    return 3


class Resource:
    def local_deco(fn):
        return fn

    # decorators are evaluated in the class body: local_deco is Resource.local_deco
    @local_deco  #> dep Resource.local_deco
    def get(self):
        return 4

    @property  #> builtin property
    def name(self):
        return "r"


def factory():
    def deco(fn):
        return fn

    # the decorator of a nested def is looked up in factory's scope
    @deco  #> dep factory.<locals>.deco
    def inner():
        return 5

    return inner  # returned, not called
