"""HTTPS for the web site: its TLS context, HSTS, and proxy headers believed from proxies alone.

Behind a reverse proxy the socket's peer is the proxy: the client's address and scheme come in
`X-Forwarded-For` and `X-Forwarded-Proto`. Anyone can send those headers, so they count only
when the peer is one of `server.trusted_proxies`; from any other peer, the request's scheme and
remote address stay the socket's.
"""

from __future__ import annotations

import ipaddress
import ssl
from collections.abc import Iterable

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from gateway.config import Config, ConfigError

# One year (RFC 6797 section 6.1): browsers then refuse plain http to this host.
HSTS = "max-age=31536000"
SECURE = web.RequestKey("por_secure", bool)  # the client reached us over https
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def web_tls_context(config: Config) -> ssl.SSLContext | None:
    """The server TLS context for the web site; None when no certificate is configured."""
    server = config.server
    if not server.tls_cert_file:
        return None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        context.load_cert_chain(server.tls_cert_file, server.tls_key_file or None)
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(
            f"server.tls_cert_file: cannot load {server.tls_cert_file} "
            f"(key {server.tls_key_file or 'in the same file'}): {exc}"
        ) from None
    return context


def believe_proxies(trusted: Iterable[str]) -> Middleware:
    """Return the middleware that takes the client's address and scheme from trusted proxies."""
    networks = tuple(ipaddress.ip_network(entry, strict=False) for entry in trusted)

    @web.middleware
    async def forwarded(request: web.Request, handler: Handler) -> web.StreamResponse:
        scheme, remote = seen_from(request, networks)
        # Set before cloning: the clone copies it, and the response hook sees the original.
        request[SECURE] = scheme == "https"
        if remote is not None and (scheme, remote) != (request.scheme, request.remote):
            request = request.clone(scheme=scheme, remote=remote)
        return await handler(request)

    return forwarded


def seen_from(request: web.Request, trusted: tuple[Network, ...]) -> tuple[str, str | None]:
    """The scheme and client address of a request, reading proxy headers from trusted peers.

    `X-Forwarded-For` is read from the right: each trusted address hands over to the one
    before it, and the first address that is not a trusted proxy is the client (a client can
    put anything on the left). `X-Forwarded-Proto` is taken as the nearest proxy set it.
    """
    peer = _address(request.remote)
    if peer is None or not _trusted(peer, trusted):
        return request.scheme, request.remote
    client = peer
    for hop in reversed(_list(request, "X-Forwarded-For")):
        if not _trusted(client, trusted):
            break
        address = _address(hop)
        if address is None:
            break  # a malformed entry: believe nothing further left
        client = address
    protos = _list(request, "X-Forwarded-Proto")
    proto = protos[-1].lower() if protos else ""
    return (proto if proto in ("http", "https") else request.scheme), str(client)


def _list(request: web.Request, header: str) -> list[str]:
    """Every comma-separated value of a header, over all its lines, in order."""
    return [v.strip() for line in request.headers.getall(header, []) for v in line.split(",")]


def _address(text: str | None) -> Address | None:
    """An IP address, a dual-stack socket's IPv4-mapped one as IPv4; None when not one."""
    try:
        address = ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, trusted: tuple[Network, ...]) -> bool:
    return any(address in network for network in trusted)


async def send_hsts(request: web.Request, response: web.StreamResponse) -> None:
    """Send HSTS on every response the client got over https (RFC 6797: never over http)."""
    if request.get(SECURE, request.secure):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
