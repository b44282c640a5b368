import asyncio


async def fetch(url):
    await asyncio.sleep(0)
    return url


async def gather(*urls):
    async def one(u):
        return await fetch(u)
    return await asyncio.gather(*(one(u) for u in urls))


class Client:
    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        return False

    @staticmethod
    async def ping():
        async with Client() as c:
            return c

    async def stream(self):
        async for x in self.items():
            yield x

    def items(self):
        return []
