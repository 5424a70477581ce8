"""A DNS resolver that answers from `SEEDCHECK_HOSTS` first, like curl's `--resolve`.

Tests crawl `http://news.test:PORT/...` served on 127.0.0.1; a user can pin a host to an
address the same way. Every other name goes to Scrapy's caching threaded resolver.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Mapping, Sequence
from typing import Any, Self

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.base import ReactorBase
from twisted.internet.defer import Deferred


def parse_hosts(value: Mapping[str, str] | Sequence[str] | str | None) -> dict[str, str]:
    """Read host mappings: a dict, a JSON object, "HOST:IP" strings, or them comma-separated.

    An IPv6 address may be bracketed: `example.test:[::1]`. Raises ValueError naming the bad one.
    """
    if not value:
        return {}
    if isinstance(value, str) and value.lstrip().startswith("{"):
        value = json.loads(value)
    if isinstance(value, Mapping):
        pairs = list(value.items())
    else:
        items = value.split(",") if isinstance(value, str) else list(value)
        pairs = []
        for item in items:
            host, sep, address = item.strip().partition(":")
            if not sep or not host or not address:
                raise ValueError(f"host mapping {item!r} is not HOST:IP")
            pairs.append((host, address))
    return {host.strip().lower(): address.strip().strip("[]") for host, address in pairs}


class MappedResolver(CachingThreadedResolver):
    """Resolve the names of `SEEDCHECK_HOSTS` to their fixed address; others as usual."""

    def __init__(self, reactor: ReactorBase, cache_size: int, timeout: float,
                 hosts: Mapping[str, str]):
        super().__init__(reactor, cache_size, timeout)
        self.hosts = dict(hosts)

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: ReactorBase) -> Self:
        # Built with the CrawlerProcess (not a Crawler): only its settings are there.
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        hosts = parse_hosts(settings.get("SEEDCHECK_HOSTS"))
        return cls(reactor, cache_size, settings.getfloat("DNS_TIMEOUT"), hosts)

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        address = self.hosts.get(name.lower())
        if address is None and _is_ip(name.strip("[]")):
            address = name.strip("[]")          # an IP literal (http://[::1]/) needs no lookup
        if address is not None:
            return defer.succeed(address)
        return super().getHostByName(name, timeout)


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True
