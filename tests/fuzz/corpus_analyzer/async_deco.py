import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections import OrderedDict

try:
    import json
except ImportError:
    json = None


def deco(fn):
    @functools.wraps(fn)
    async def wrapper(*a, **k):
        return await fn(*a, **k)
    return wrapper


@deco
@functools.lru_cache(maxsize=None)
async def fetch(url: "str", *, timeout: float = 1.0) -> bytes:
    '''Fetch it.'''
    async with open(url) as f:
        async for line in f:
            yield line
    lambda: (x := 1)
    global counter
    del counter


def trivial():
    """Only a docstring."""
    raise NotImplementedError


def forward(a):
    return trivial(a)
