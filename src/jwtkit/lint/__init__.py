"""Token lint: find weaknesses in a JWT and its key, each with a severity and a fix.

    findings = lint_token(token)
    for finding in findings:
        print(finding.severity.value, finding.code, finding.message, finding.fix)

The checks follow the JWT Best Current Practices (RFC 8725) and RFC 7518's key
sizes. The token's signature is not verified: lint reports what an attacker
or a careless issuer could exploit, no matter who signed the token.
"""

from jwtkit.lint.durations import format_duration
from jwtkit.lint.engine import CHECKS, DEFAULT_MAX_LIFETIME, lint_token
from jwtkit.lint.findings import Finding, Severity
from jwtkit.lint.known_secrets import KNOWN_SECRETS

__all__ = [
    "CHECKS",
    "DEFAULT_MAX_LIFETIME",
    "KNOWN_SECRETS",
    "Finding",
    "Severity",
    "format_duration",
    "lint_token",
]
