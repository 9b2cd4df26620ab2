"""Verifiable random numbers: SHA-256 in counter mode, never Python's `random`.

The n-th number of the stream (seed, label) is the big-endian integer of
SHA-256(seed ‖ label ‖ n as 8 bytes big-endian), n = 0, 1, 2 ... A number below
m is drawn by rejection sampling: take the next number v (256 bits); if
v < 2^256 - (2^256 mod m), the answer is v mod m, otherwise take the next one.
Every answer is uniform and a second implementation re-derives it exactly."""

import hashlib

SPACE = 1 << 256


class Stream:
    def __init__(self, seed: bytes, label: bytes = b""):
        self.seed = seed
        self.label = label
        self.counter = 0

    def next_number(self) -> int:
        digest = hashlib.sha256(self.seed + self.label + self.counter.to_bytes(8, "big")).digest()
        self.counter += 1
        return int.from_bytes(digest, "big")

    def below(self, bound: int) -> int:
        """A uniform whole number in [0, bound)."""
        if bound < 1:
            raise ValueError("nothing to draw from")
        limit = SPACE - SPACE % bound
        while True:
            value = self.next_number()
            if value < limit:
                return value % bound

    def sample(self, items: list[str], count: int) -> list[str]:
        """`count` of `items` (given sorted), uniformly: the first `count` steps of a
        Fisher–Yates shuffle (step i swaps position i with i + below(len - i))."""
        pool = list(items)
        for i in range(count):
            j = i + self.below(len(pool) - i)
            pool[i], pool[j] = pool[j], pool[i]
        return sorted(pool[:count])

    def order(self, items: list[str]) -> list[str]:
        """A uniformly random order of `items` (a whole Fisher–Yates shuffle): tie-breaks."""
        pool = list(items)
        for i in range(len(pool) - 1):
            j = i + self.below(len(pool) - i)
            pool[i], pool[j] = pool[j], pool[i]
        return pool
