#!/usr/bin/env python3
"""Independent reference for the random IRQ-source arrival times (tests/unit/irq_sources_test.cpp).

Re-implements std::mt19937_64 (C++ [rand.eng.mers], checked against the standard's required 10000th output) and the
documented sampling rules of docs/irq-sources.md with Python's own math.log, and prints the first arrival cycles of
the configurations the unit test checks. Run it and compare with the expected values in the test.
"""

import math

MASK = (1 << 64) - 1


class MT19937_64:
    n, m, r = 312, 156, 31
    a = 0xB5026F5AA96619E9
    u, d = 29, 0x5555555555555555
    s, b = 17, 0x71D67FFFEDA60000
    t, c = 37, 0xFFF7EEE000000000
    l = 43
    f = 6364136223846793005

    def __init__(self, seed):
        self.mt = [seed & MASK]
        for i in range(1, self.n):
            prev = self.mt[-1]
            self.mt.append((self.f * (prev ^ (prev >> 62)) + i) & MASK)
        self.index = self.n

    def twist(self):
        upper, lower = MASK & ~((1 << self.r) - 1), (1 << self.r) - 1
        for i in range(self.n):
            x = (self.mt[i] & upper) | (self.mt[(i + 1) % self.n] & lower)
            xa = x >> 1
            if x & 1:
                xa ^= self.a
            self.mt[i] = self.mt[(i + self.m) % self.n] ^ xa
        self.index = 0

    def __call__(self):
        if self.index >= self.n:
            self.twist()
        y = self.mt[self.index]
        self.index += 1
        y ^= (y >> self.u) & self.d
        y ^= (y << self.s) & self.b
        y ^= (y << self.t) & self.c
        y ^= y >> self.l
        return y & MASK


def uniform53(bits):
    return (bits >> 11) * 2.0 ** -53


def gap(dist, mean, lo_min, hi_max, bits):
    u = uniform53(bits)
    lo = max(lo_min, 1)
    if dist == "uniform":
        return lo + min(int(math.floor(u * (hi_max - lo + 1))), hi_max - lo)
    g = int(math.floor(-mean * math.log(1.0 - u) + 0.5))
    g = max(g, lo)
    if hi_max:
        g = min(g, hi_max)
    return g


def arrivals(dist, mean, lo_min, hi_max, seed, start, n):
    rng = MT19937_64(seed)
    t, out = start, []
    for _ in range(n):
        t += gap(dist, mean, lo_min, hi_max, rng())
        out.append(t)
    return out


if __name__ == "__main__":
    g = MT19937_64(5489)
    for _ in range(9999):
        g()
    assert g() == 9981545732273789042, "mt19937_64 does not match the C++ standard"
    print("first outputs, seed 7:", [MT19937_64(7)() for _ in range(1)])
    print("exp mean=5000 seed=7 start=0:", arrivals("exp", 5000, 0, 0, 7, 0, 8))
    print("uniform min=100 max=200 seed=42 start=1000:", arrivals("uniform", 0, 100, 200, 42, 1000, 8))
    print("exp mean=3 min=2 max=6 seed=1 start=0:", arrivals("exp", 3, 2, 6, 1, 0, 12))
