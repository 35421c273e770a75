"""HTTP authentication for the remote store: basic or bearer credentials, and the answer to an HTTP digest
challenge (RFC 7616; Virtuoso's ``/sparql-auth`` asks for one)."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from typing import TYPE_CHECKING, NoReturn, TypeVar

from ..errors import EndpointAuthError, EndpointError
from .answers import http_error

if TYPE_CHECKING:  # pragma: no cover
    from email.message import Message

    from .endpoint import Endpoint

__all__ = ["Authorizer", "digest_authorization", "refuse"]

_T = TypeVar("_T")


class Authorizer:
    """The credentials of one endpoint, and the digest challenge its server sent last (its nonce serves the
    following requests until the server sends a new one)."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self._challenge: tuple[str, str] | None = None
        """The URL that last sent a digest challenge, and the challenge."""
        self._nonce_count = 0

    def run(self, method: str, url: str, attempt: Callable[[dict[str, str]], _T]) -> _T:
        """Run ``attempt`` with the endpoint's credentials, answering the server's HTTP digest challenge.

        Basic or bearer credentials go with the first request. A server that wants digest authentication
        (Virtuoso's ``/sparql-auth``) answers 401 with a challenge (Virtuoso only to a request that has no
        ``Authorization`` header); its nonce is then used for the following requests too, until the server
        sends a new challenge. An HTTP 401 to a fresh digest answer means wrong credentials.
        """
        fresh = False
        asked_plainly = False
        auth = self._credentials(method, url)
        for _ in range(4):
            try:
                return attempt(auth)
            except _Unauthorized as refused:
                challenge = refused.digest_challenge()
                if self.endpoint.user is None or fresh:
                    raise refused.error from None
                if challenge is not None:
                    self._challenge, self._nonce_count, fresh = (url, challenge), 0, True
                elif auth and not asked_plainly:
                    self._challenge, asked_plainly = None, True  # ask again, without credentials, for a challenge
                    auth = {}
                    continue
                else:
                    raise refused.error from None
                auth = self._credentials(method, url)
        raise EndpointAuthError(url, "the server keeps asking for credentials (HTTP 401)")

    def _credentials(self, method: str, url: str) -> dict[str, str]:
        """The ``Authorization`` header for one request: a digest answer once the server has sent a challenge."""
        if self._challenge is None or self._challenge[0] != url or self.endpoint.user is None:
            return self.endpoint.headers()
        self._nonce_count += 1
        header = digest_authorization(
            self._challenge[1],
            method,
            url,
            self.endpoint.user,
            self.endpoint.password or "",
            count=self._nonce_count,
        )
        return {"Authorization": header}


def refuse(url: str, code: int, reason: str, body: bytes, headers: Message[str, str] | None) -> NoReturn:
    """Raise the error for an HTTP error answer: ``_Unauthorized`` for a 401 (its challenge may be answered,
    see :meth:`Authorizer.run`), else the endpoint error that says what the server said."""
    error = http_error(url, code, reason, body, headers)
    if code == 401:
        raise _Unauthorized(headers, error) from None
    raise error from None


class _Unauthorized(Exception):
    """An HTTP 401: the server's headers (for its challenge) and the error to raise if it cannot be answered."""

    def __init__(self, headers: Message[str, str] | None, error: EndpointError) -> None:
        super().__init__(str(error))
        self.headers = headers
        self.error = error

    def digest_challenge(self) -> str | None:
        for header in (self.headers.get_all("WWW-Authenticate") or []) if self.headers is not None else []:
            if header.strip().lower().startswith("digest "):
                return header.strip()
        return None


def digest_authorization(challenge: str, method: str, target: str, user: str, password: str, *, count: int = 1) -> str:
    """The ``Authorization`` header answering an HTTP digest ``challenge`` (RFC 7616, ``qop=auth`` or none).

    >>> header = digest_authorization('Digest realm="r", nonce="n", qop="auth"', "POST", "http://h/x?a=1", "u", "p")
    >>> header.startswith('Digest username="u", realm="r", nonce="n", uri="/x?a=1", algorithm=MD5, response="')
    True
    """
    import hashlib

    fields = dict(
        (key.lower(), quoted if quoted else plain)
        for key, quoted, plain in re.findall(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))', challenge[6:])
    )
    algorithm = fields.get("algorithm", "MD5").upper()
    hashes = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}
    if algorithm not in hashes:
        raise EndpointAuthError(
            target, f"the server asks for digest authentication with {algorithm}, not MD5 or SHA-256"
        )

    def h(text: str) -> str:
        return hashes[algorithm](text.encode()).hexdigest()

    parts = urllib.parse.urlsplit(target)
    uri = parts.path + (f"?{parts.query}" if parts.query else "")
    realm, nonce = fields.get("realm", ""), fields.get("nonce", "")
    ha1 = h(f"{user}:{realm}:{password}")
    ha2 = h(f"{method}:{uri}")
    header = f'Digest username="{user}", realm="{realm}", nonce="{nonce}", uri="{uri}", algorithm={algorithm}'
    if "auth" in [q.strip() for q in fields.get("qop", "").split(",")]:
        cnonce = secrets_token()
        response = h(f"{ha1}:{nonce}:{count:08x}:{cnonce}:auth:{ha2}")
        header += f', response="{response}", qop=auth, nc={count:08x}, cnonce="{cnonce}"'
    else:
        header += f', response="{h(f"{ha1}:{nonce}:{ha2}")}"'
    if "opaque" in fields:
        header += f', opaque="{fields["opaque"]}"'
    return header


def secrets_token() -> str:
    """A client nonce for digest authentication."""
    import secrets

    return secrets.token_hex(8)
