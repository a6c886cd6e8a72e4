"""Which address a request came from, honouring only proxies the admin trusts."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=16)
def parse_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _parse(address: str) -> IPAddress | None:
    try:
        parsed = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return None
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        return parsed.ipv4_mapped
    return parsed


def _trusted(address: IPAddress, networks: Iterable[Network]) -> bool:
    return any(address in network for network in networks)


def is_trusted_proxy(peer_host: str | None, trusted_proxies: tuple[str, ...]) -> bool:
    """Whether the connection comes from a reverse proxy the admin trusts."""
    address = _parse(peer_host) if peer_host and trusted_proxies else None
    return address is not None and _trusted(address, parse_networks(trusted_proxies))


IPV6_SITE_PREFIX = 64
SOURCE_CACHE_SIZE = 4096
"""Connection sources remembered (:func:`connection_source`): a few hundred kilobytes at
most, whoever connects."""


@lru_cache(maxsize=SOURCE_CACHE_SIZE)
def connection_source(host: str, trusted_proxies: tuple[str, ...]) -> str | None:
    """Whom a connection from ``host`` (a peer address as the socket gives it) counts
    against: the IPv4 address, or the IPv6 /64 (one subscriber's usual share, so an
    attacker cannot take a fresh address per connection); None for a trusted proxy,
    whose clients share its address, or an address that cannot be read.

    Cached: every connection asks twice (when it opens and when it closes), and parsing
    the address with :mod:`ipaddress` each time cost more under ``Connection: close``
    than reading the announce."""
    address = _parse(host)
    if address is None or (trusted_proxies and _trusted(address, parse_networks(trusted_proxies))):
        return None
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/{IPV6_SITE_PREFIX}", strict=False))
    return str(address)


def client_address(
    peer_host: str | None,
    forwarded_for: str | None,
    trusted_proxies: tuple[str, ...],
) -> IPAddress | None:
    """The connection's address, or, behind trusted proxies, the right-most
    ``X-Forwarded-For`` entry that is not itself a trusted proxy."""
    address = _parse(peer_host) if peer_host else None
    if address is None or not trusted_proxies or not forwarded_for:
        return address
    networks = parse_networks(trusted_proxies)
    if not _trusted(address, networks):
        return address
    for entry in reversed(forwarded_for.split(",")):
        hop = _parse(entry)
        if hop is None:
            return address
        if not _trusted(hop, networks):
            return hop
        address = hop
    return address
