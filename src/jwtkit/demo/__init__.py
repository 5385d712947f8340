"""A two-party demo: an issuer signs a JWT, a protected API verifies it.

``python -m jwtkit.demo`` starts both servers on 127.0.0.1 in threads, runs
a client against them, narrates each step and stops the servers. It uses only
the standard library and jwtkit. Nothing in the library imports this package.
"""
