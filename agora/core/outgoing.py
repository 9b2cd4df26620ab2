"""Every HTTP request the server makes goes through here: to an address an
officer typed (an OpenID Connect provider, through allauth), or one the
operator configured (the SMS gateway).

    response = safe_get(url)                       # refused or failed: OutgoingRequestError
    check_url(url)                                 # when an officer saves an address
    session = safe_session()                       # a requests.Session for libraries (allauth)

What holds, for every connection and every redirect hop:
- only http and https; at most 3 redirects; environment proxies ignored;
- the host name is resolved once, every address it resolves to is checked,
  and the socket connects to the address that was checked (the check lives in
  urllib3's connection, where the socket is opened: a second DNS answer, as in
  DNS rebinding, is never asked for). TLS still verifies the certificate and
  sends SNI for the host name, and the Host header stays the name;
- refused: private, loopback, link-local, multicast, reserved, unspecified and
  shared (CGNAT) addresses, IPv4 and IPv6, including IPv4 mapped into IPv6 and
  6to4/Teredo, i.e. anything that is not a global unicast address;
- connect and read timeouts, a deadline for the whole body, a maximum size.

settings.AGORA_OUTGOING_ALLOWED_HOSTS lists host names or networks
(``idp.intranet.example``, ``10.20.0.0/16``) an installation may reach even
though they are private: an identity provider on the intranet, or tests."""

import contextvars
import ipaddress
import socket
import time
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util import connection as urllib3_connection

CONNECT_TIMEOUT = 5
READ_TIMEOUT = 10
BODY_DEADLINE = 20  # seconds for the whole body: a server dripping bytes is cut off
MAX_BYTES = 1024 * 1024
MAX_REDIRECTS = 3
SCHEMES = ("http", "https")


# Host names one call may reach besides the settings' (an address the operator configured).
_extra_allowed_hosts: contextvars.ContextVar[frozenset] = contextvars.ContextVar(
    "extra_allowed_hosts", default=frozenset()
)


class OutgoingRequestError(requests.ConnectionError):
    """The request was not made or did not succeed; `str()` says why, for an officer.
    A requests.RequestException, so libraries (allauth) handle it as a network error."""


class OutgoingRequestRefused(OutgoingRequestError):
    """Agora refused the address (scheme, private address, size ...)."""


class _AddressRefused(ValueError):
    """Raised where the socket is opened; not an OSError, so urllib3 does not retry or
    rewrap it, and the session turns it into OutgoingRequestRefused."""


class _NameNotFound(_AddressRefused):
    pass


def _allowed_entries():
    names, networks = set(), []
    for entry in getattr(settings, "AGORA_OUTGOING_ALLOWED_HOSTS", ()) or ():
        entry = entry.strip().lower()
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            if entry:
                names.add(entry.rstrip("."))
    return names | _extra_allowed_hosts.get(), networks


def is_public_address(ip) -> bool:
    """A global unicast address (what an outgoing request may reach)."""
    ip = ipaddress.ip_address(ip)
    if ip.version == 6:
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None and not is_public_address(embedded):
            return False
    return ip.is_global and not (
        ip.is_multicast or ip.is_reserved or ip.is_unspecified or ip.is_loopback or ip.is_link_local or ip.is_private
    )


def resolve(host: str, port: int) -> list[tuple]:
    """The addresses of `host` as getaddrinfo gives them, once, all checked:
    _AddressRefused when one of them may not be reached."""
    host = (host or "").strip("[]").rstrip(".").lower()
    if not host:
        raise _AddressRefused(_("The address has no host name."))
    names, networks = _allowed_entries()
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise _NameNotFound(_("The host name “%(host)s” cannot be found.") % {"host": host}) from error
    if not infos:
        raise _NameNotFound(_("The host name “%(host)s” cannot be found.") % {"host": host})
    if host in names:
        return infos
    for _family, _type, _proto, _name, sockaddr in infos:
        ip = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if not is_public_address(ip) and not any(ip in network for network in networks):
            raise _AddressRefused(
                _("“%(host)s” is a private or local address (%(ip)s), which Agora does not call.")
                % {"host": host, "ip": ip}
            )
    return infos


def check_url(url: str, *, require_resolvable: bool = False) -> None:
    """For a form that saves an address the server will call: OutgoingRequestRefused
    (with a message for the officer) unless it is http(s) to public addresses. A name
    that does not resolve now passes unless `require_resolvable` (DNS may be down while
    an officer saves; every request checks again anyway)."""
    parts = urlsplit((url or "").strip())
    if parts.scheme.lower() not in SCHEMES:
        raise OutgoingRequestRefused(_("Enter an address starting with https:// (or http://)."))
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        resolve(parts.hostname or "", port)
    except _NameNotFound:
        if require_resolvable or not parts.hostname:
            raise OutgoingRequestRefused(
                _("The host name “%(host)s” cannot be found.") % {"host": parts.hostname or ""}
            ) from None
    except ValueError as error:  # _AddressRefused, or a port that is not a number
        raise OutgoingRequestRefused(
            str(error) if isinstance(error, _AddressRefused) else _("The port of this address is not valid.")
        ) from None


class _GuardedConnectionMixin:
    """Opens the socket to an address `resolve` checked, never to a second lookup's."""

    def _new_conn(self):
        infos = resolve(self._dns_host, self.port)
        last_error = None
        for _family, _type, _proto, _name, sockaddr in infos:
            try:
                sock = urllib3_connection.create_connection(
                    (sockaddr[0], self.port),
                    self.timeout,
                    source_address=self.source_address,
                    socket_options=self.socket_options,
                )
            except socket.timeout as error:
                last_error = ConnectTimeoutError(self, f"Connection to {self.host} timed out.")
                last_error.__cause__ = error
            except OSError as error:
                last_error = NewConnectionError(self, f"Failed to establish a new connection: {error}")
            else:
                return sock
        raise last_error


class _GuardedHTTPConnection(_GuardedConnectionMixin, HTTPConnection):
    pass


class _GuardedHTTPSConnection(_GuardedConnectionMixin, HTTPSConnection):
    pass


class _GuardedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class _GuardedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _GuardedHTTPConnectionPool,
            "https": _GuardedHTTPSConnectionPool,
        }

    def proxy_manager_for(self, *args, **kwargs):  # a proxy would be the address checked, not the target
        raise _AddressRefused(_("Outgoing requests do not go through a proxy."))


class SafeSession(requests.Session):
    """requests.Session with the guard on every connection and redirect hop, default
    timeouts and a size cap on every response body (read before it is returned)."""

    def __init__(self, *, max_bytes: int = MAX_BYTES):
        super().__init__()
        self.max_bytes = max_bytes
        self.max_redirects = MAX_REDIRECTS
        self.trust_env = False  # no proxies or .netrc from the environment
        self.adapters.clear()
        self.mount("https://", _GuardedAdapter(max_retries=0))
        self.mount("http://", _GuardedAdapter(max_retries=0))

    def request(self, method, url, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = (CONNECT_TIMEOUT, READ_TIMEOUT)
        return super().request(method, url, **kwargs)

    def send(self, request, **kwargs):
        """Redirects are followed here, one checked hop at a time (requests' own loop
        would read each redirect's body without a limit)."""
        follow = kwargs.pop("allow_redirects", True)
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = (CONNECT_TIMEOUT, READ_TIMEOUT)
        kwargs["stream"] = True
        response = self._send_one(request, **kwargs)
        history = []
        while follow and response.is_redirect:
            if len(history) >= self.max_redirects:
                raise OutgoingRequestRefused(_("Too many redirects."), response=response)
            history.append(response)
            request = next(self.resolve_redirects(response, request, yield_requests=True, **kwargs))
            response = self._send_one(request, **kwargs)
        response.history = history
        return response

    def _send_one(self, request, **kwargs):
        if urlsplit(request.url).scheme.lower() not in SCHEMES:
            raise OutgoingRequestRefused(_("Only http and https addresses are called."), request=request)
        try:
            response = super().send(request, allow_redirects=False, **kwargs)
        except _AddressRefused as refused:
            raise OutgoingRequestRefused(str(refused), request=request) from None
        self._read_capped(response)
        return response

    def _read_capped(self, response):
        declared = response.headers.get("Content-Length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > self.max_bytes:
            response.close()
            raise OutgoingRequestRefused(_("The answer is too large."), response=response)
        body, size, deadline = [], 0, time.monotonic() + BODY_DEADLINE
        try:
            for chunk in response.iter_content(chunk_size=16384):
                size += len(chunk)
                if size > self.max_bytes:
                    raise OutgoingRequestRefused(_("The answer is too large."), response=response)
                if time.monotonic() > deadline:
                    raise OutgoingRequestRefused(_("The answer took too long."), response=response)
                body.append(chunk)
        finally:
            response.close()
        response._content = b"".join(body)
        response._content_consumed = True


def safe_session(*, max_bytes: int = MAX_BYTES) -> SafeSession:
    return SafeSession(max_bytes=max_bytes)


def safe_request(
    method: str, url: str, *, max_bytes: int = MAX_BYTES, operator_configured: bool = False, **kwargs
) -> requests.Response:
    """One request through the guard; OutgoingRequestError (refused, unreachable,
    timed out, or an HTTP error status) with a message an officer can read.
    `operator_configured`: the address comes from the installation's own settings
    (not from anyone using the site), so its host may be private; redirects may not."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    token = _extra_allowed_hosts.set(frozenset({host}) if operator_configured and host else frozenset())
    try:
        return _request(method, url, max_bytes=max_bytes, **kwargs)
    finally:
        _extra_allowed_hosts.reset(token)


def _request(method, url, *, max_bytes, **kwargs):
    with safe_session(max_bytes=max_bytes) as session:
        try:
            response = session.request(method, url, **kwargs)
            response.raise_for_status()
        except OutgoingRequestError:
            raise
        except requests.HTTPError as error:
            raise OutgoingRequestError(
                _("The server answered with an error (%(status)s).") % {"status": error.response.status_code}
            ) from error
        except requests.Timeout as error:
            raise OutgoingRequestError(_("The server did not answer in time.")) from error
        except (requests.RequestException, ValueError) as error:  # ValueError: e.g. a malformed URL
            raise OutgoingRequestError(_("The server cannot be reached.")) from error
        return response


def safe_get(url: str, **kwargs) -> requests.Response:
    return safe_request("GET", url, **kwargs)


def safe_post(url: str, **kwargs) -> requests.Response:
    return safe_request("POST", url, **kwargs)
