"""Which address a request comes from, for rate limiting.

X-Forwarded-For is written by whoever sends the request, so it is believed only when
the connection itself comes from a configured trusted proxy; then the client is the
right-most address in the header that is not itself a trusted proxy.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(spec: str) -> tuple[Network, ...]:
    """'10.0.0.1, 192.168.0.0/16' -> networks; raises ValueError on a bad entry."""
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False) for part in spec.split(",") if part.strip()
    )


def _trusted(address: str, networks: Iterable[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(
    peer: str | None, forwarded_for: str | None, trusted: tuple[Network, ...]
) -> str:
    """The client's address: the peer, unless the peer is a trusted proxy."""
    address = peer or "unknown"
    if not trusted or not forwarded_for or not _trusted(address, trusted):
        return address
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        if not _trusted(hop, trusted):
            return hop[:64]
    return address
