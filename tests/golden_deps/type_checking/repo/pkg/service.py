from typing import TYPE_CHECKING  #> import: external stdlib typing.TYPE_CHECKING

if TYPE_CHECKING:
    from pkg.models import Model  #> import: def pkg/models.py:Model


def create() -> "Model":
    from pkg.models import Model  #> import: def pkg/models.py:Model
    return Model()  #> dep pkg/models.py:Model


def broken():
    # Model is bound only for type checkers: at run time this is a NameError
    return Model()  #> unresolved
