"""Public keys that record each ``verify`` call and then delegate to a real key.

A spy subclasses the ``cryptography`` public-key interface, so jwtkit loads
it like any other key, and forwards every call to the real key it wraps: the
verification result is the real one. Tests read ``calls`` to see whether,
and with what, jwtkit reached the backend's ``verify``.
"""

from __future__ import annotations

import inspect
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

_INTERFACES = (
    rsa.RSAPublicKey,
    ec.EllipticCurvePublicKey,
    ed25519.Ed25519PublicKey,
    ed448.Ed448PublicKey,
)


def _forward_method(name: str) -> Any:
    def forward(self: Any, *args: Any, **kwargs: Any) -> Any:
        return getattr(self.wrapped, name)(*args, **kwargs)

    forward.__name__ = name
    return forward


def _forward_property(name: str) -> property:
    return property(lambda self: getattr(self.wrapped, name))


def _record_verify(self: Any, *args: Any) -> Any:
    self.calls.append(args)
    return self.wrapped.verify(*args)


def _spy_class(interface: type) -> type:
    namespace: dict[str, Any] = {}
    for name in interface.__abstractmethods__:
        if isinstance(inspect.getattr_static(interface, name), property):
            namespace[name] = _forward_property(name)
        else:
            namespace[name] = _forward_method(name)
    namespace["verify"] = _record_verify
    namespace["__hash__"] = lambda self: hash(self.wrapped)
    return type(f"Spy{interface.__name__}", (interface,), namespace)


_SPY_CLASSES = {interface: _spy_class(interface) for interface in _INTERFACES}


def spy_public_key(public_key: Any) -> Any:
    """Wrap a ``cryptography`` public key in a spy with an empty ``calls`` list."""
    for interface, spy_class in _SPY_CLASSES.items():
        if isinstance(public_key, interface):
            spy = spy_class()
            spy.wrapped = public_key
            spy.calls = []
            return spy
    raise TypeError(f"no spy for {type(public_key).__name__}")
