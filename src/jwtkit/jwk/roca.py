"""Detection of RSA moduli made by the ROCA-flawed generator (CVE-2017-15361).

The flawed generator built each prime as ``k * M + (65537**a mod M)`` for a
primorial ``M``. Such primes, and so their product, are powers of 65537 modulo
every small prime dividing ``M``. A random modulus passes that test for all the
primes below with negligible probability.
"""

from __future__ import annotations

from functools import cache

_SMALL_PRIMES = (
    3,
    5,
    7,
    11,
    13,
    17,
    19,
    23,
    29,
    31,
    37,
    41,
    43,
    47,
    53,
    59,
    61,
    67,
    71,
    73,
    79,
    83,
    89,
    97,
    101,
    103,
    107,
    109,
    113,
    127,
    131,
    137,
    139,
    149,
    151,
    157,
    163,
    167,
)
_GENERATOR = 65537


@cache
def _powers_of_generator(prime: int) -> frozenset[int]:
    powers = set()
    value = 1
    while value not in powers:
        powers.add(value)
        value = value * _GENERATOR % prime
    return frozenset(powers)


def is_roca_modulus(n: int) -> bool:
    """Tell whether ``n`` carries the ROCA fingerprint."""
    return all(n % prime in _powers_of_generator(prime) for prime in _SMALL_PRIMES)
