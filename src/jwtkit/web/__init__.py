"""The local debugger page: decode, verify, re-sign and lint tokens in a browser.

``jwtkit serve`` starts it. The page and its JSON API are served by one
process bound to 127.0.0.1, and every operation runs in that process through
jwtkit, so tokens and keys never leave the machine.
"""

from jwtkit.web.server import DebuggerServer

__all__ = ["DebuggerServer"]
