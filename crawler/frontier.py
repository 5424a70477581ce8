"""The shared crawl frontier in Redis: one queue of target URLs for many workers.

Workers on one machine or many share, under one key prefix (`SEEDCHECK_FRONTIER_KEY`):
- the crawl id (`:crawl`), so every worker's crawl log and WARC files name the same crawl;
- the queue of target URLs (`:queue`, a list), the seen-set (`:seen`: every URL queued in this
  crawl, so seeding is idempotent) and the done-set (`:done`: URLs with an outcome line);
- leases: a worker holds the URLs it took in `:leased:<worker>` for as long as its heartbeat key
  `:alive:<worker>` lives (`SEEDCHECK_FRONTIER_LEASE` seconds, renewed a few times a lease). A
  worker killed mid-crawl stops renewing it; the next worker asking for URLs puts the dead one's
  leases back at the head of the queue. The same key refuses a second worker with a live id;
- per-host politeness (`:host:<slot>` a lock with a lease, `:next:<slot>` the time the next
  request may start), used by crawler/politeness.py so the one-request-per-host and delay rules
  hold across all workers; times come from the Redis server's clock, the one clock all share;
- the dedup digest index (`:digests`), so a revisit may point at another worker's record.

Every step that reads and writes several keys is one Lua script, atomic in Redis. The client
is scrapy-redis's (`REDIS_URL`, `REDIS_PARAMS`), set to retry with backoff: when Redis restarts
a worker waits and reconnects; with persistence on (appendonly) nothing queued is lost.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry
from scrapy_redis.connection import get_redis, get_redis_from_settings

from archive.warc.digests import Original

RECONNECT_SECONDS = 120  # how long a worker waits for Redis to come back before giving up

_RECLAIM = """
local function reclaim(p)
  local n = 0
  for _, w in ipairs(redis.call('SMEMBERS', p .. ':workers')) do
    if redis.call('EXISTS', p .. ':alive:' .. w) == 0 then
      for _, u in ipairs(redis.call('SMEMBERS', p .. ':leased:' .. w)) do
        redis.call('RPUSH', p .. ':queue', u)
        n = n + 1
      end
      redis.call('DEL', p .. ':leased:' .. w)
      redis.call('SREM', p .. ':workers', w)
    end
  end
  return n
end
local function alive(p, w, token, lease)
  local key = p .. ':alive:' .. w
  local holder = redis.call('GET', key)
  if holder and holder ~= token then return false end
  redis.call('SET', key, token, 'PX', lease)
  redis.call('SADD', p .. ':workers', w)
  return true
end
"""
JOIN = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  redis.call('SADD', KEYS[2], ARGV[3])
  return 1
end
return 0
"""
BEAT = _RECLAIM + "return alive(ARGV[1], ARGV[2], ARGV[3], ARGV[4]) and 1 or 0"
LEASE = _RECLAIM + """
local p, w = ARGV[1], ARGV[2]
if not alive(p, w, ARGV[3], ARGV[4]) then return redis.error_reply('worker id taken') end
local back = reclaim(p)
local out = {}
for i = 1, tonumber(ARGV[5]) do
  local u = redis.call('RPOP', p .. ':queue')
  if not u then break end
  redis.call('SADD', p .. ':leased:' .. w, u)
  out[#out + 1] = u
end
return {back, out}
"""
STATUS = _RECLAIM + """
local p = ARGV[1]
reclaim(p)
local leased = 0
for _, w in ipairs(redis.call('SMEMBERS', p .. ':workers')) do
  leased = leased + redis.call('SCARD', p .. ':leased:' .. w)
end
local queued = redis.call('LLEN', p .. ':queue')
if queued == 0 and leased == 0 and redis.call('SCARD', p .. ':seen') > 0 then
  redis.call('SET', p .. ':finished', 1)
end
return {queued, leased, redis.call('SCARD', p .. ':done'), redis.call('SCARD', p .. ':seen')}
"""
BEGIN = """
local p = ARGV[1]
local current = redis.call('GET', p .. ':crawl')
if current and redis.call('EXISTS', p .. ':finished') == 0 then return current end
redis.call('DEL', p .. ':queue', p .. ':seen', p .. ':done', p .. ':finished')
redis.call('SET', p .. ':crawl', ARGV[2])
return ARGV[2]
"""
SEED = """
local n = 0
for i = 2, #ARGV do
  if redis.call('SADD', ARGV[1] .. ':seen', ARGV[i]) == 1 then
    redis.call('LPUSH', ARGV[1] .. ':queue', ARGV[i])
    n = n + 1
  end
end
return n
"""
_NOW = "local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000)\n"
ACQUIRE = _NOW + """
if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
local next_start = tonumber(redis.call('GET', KEYS[2]) or '0')
if next_start > now then return next_start - now end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 0
"""
RELEASE = _NOW + """
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
local delay = tonumber(ARGV[2])
redis.call('SET', KEYS[2], now + delay, 'PX', delay + 1000)
return now
"""
RENEW = """
local n = 0
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[i + 1] then
    redis.call('PEXPIRE', KEYS[i], ARGV[1])
    n = n + 1
  end
end
return n
"""
KEEP_EARLIEST = """
local old = redis.call('HGET', KEYS[1], ARGV[1])
if old and old <= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
"""


class FrontierError(Exception):
    """The frontier cannot be used: a bad URL, Redis unreachable, a worker id already running."""


@dataclass(frozen=True)
class Status:
    queued: int
    leased: int
    done: int
    seen: int

    @property
    def complete(self) -> bool:
        return self.queued == 0 and self.leased == 0 and self.seen > 0


def check_url(url: str) -> str:
    """`redis://HOST:PORT/DB` (or rediss://, unix://), else a FrontierError saying why."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss", "unix") or not (parts.hostname or parts.path):
        raise FrontierError(f"--frontier {url!r}: expected redis://HOST:PORT/DB")
    db = parts.path.strip("/")
    if parts.scheme != "unix" and db and not db.isdigit():
        raise FrontierError(f"--frontier {url!r}: the database is a number (redis://HOST:PORT/0)")
    return url


def redis_settings(url: str) -> dict[str, Any]:
    """Scrapy settings for scrapy-redis's client: the URL and a patient retry policy."""
    retries = int(RECONNECT_SECONDS / 1.0)  # backoff capped at 1 s: about one try a second
    return {
        "REDIS_URL": check_url(url),
        "REDIS_PARAMS": {
            "socket_timeout": 30, "socket_connect_timeout": 5, "health_check_interval": 10,
            # OSError too: a refused connect while Redis restarts is a socket error.
            "retry": Retry(ExponentialBackoff(cap=1.0, base=0.05), retries,
                           supported_errors=(RedisConnectionError, RedisTimeoutError, OSError)),
            "retry_on_error": [RedisConnectionError, RedisTimeoutError, OSError],
        },
    }


class Frontier:
    """One worker's handle on the shared frontier (see the module docstring)."""

    def __init__(self, server: Any, prefix: str, worker: str, lease: float):
        self.server = server
        self.prefix = prefix
        self.worker = worker
        self.lease_ms = max(int(lease * 1000), 100)
        self.token = secrets.token_hex(8)
        self._scripts = {name: server.register_script(text) for name, text in (
            ("join", JOIN), ("beat", BEAT), ("lease", LEASE), ("status", STATUS),
            ("begin", BEGIN), ("seed", SEED), ("acquire", ACQUIRE), ("release", RELEASE),
            ("renew", RENEW), ("keep", KEEP_EARLIEST))}

    @classmethod
    def from_settings(cls, settings: Any) -> Frontier:
        """The frontier of a worker's settings: REDIS_URL/REDIS_PARAMS (`redis_settings`),
        SEEDCHECK_FRONTIER_KEY, SEEDCHECK_WORKER_ID, _TOKEN and SEEDCHECK_FRONTIER_LEASE."""
        if not settings.get("REDIS_URL"):
            raise FrontierError("the frontier needs REDIS_URL (redis://HOST:PORT/DB)")
        frontier = cls(get_redis_from_settings(settings),
                       settings.get("SEEDCHECK_FRONTIER_KEY") or "seedcheck",
                       settings.get("SEEDCHECK_WORKER_ID") or "worker",
                       settings.getfloat("SEEDCHECK_FRONTIER_LEASE", 30.0))
        frontier.token = settings.get("SEEDCHECK_WORKER_TOKEN") or frontier.token
        return frontier

    @classmethod
    def connect(cls, url: str, prefix: str, worker: str, lease: float) -> Frontier:
        """A frontier handle outside a crawl (the runner, tests, benchmarks)."""
        params = redis_settings(url)
        return cls(get_redis(url=url, **params["REDIS_PARAMS"]), prefix, worker, lease)

    def _run(self, name: str, keys: list[str], args: list[Any]) -> Any:
        try:
            return self._scripts[name](keys=keys, args=args)
        except RedisError as exc:
            raise FrontierError(f"frontier {self.prefix!r} ({name}): {exc}") from exc

    def key(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    # The crawl and its workers.
    def join(self) -> None:
        """Register this worker; a FrontierError if a live worker already has its id."""
        if not self._run("join", [self.key("alive", self.worker), self.key("workers")],
                         [self.token, self.lease_ms, self.worker]):
            raise FrontierError(f"worker {self.worker!r} is already running on this frontier "
                                f"({self.prefix!r}); give each worker its own id")

    def beat(self) -> bool:
        """Renew this worker's lease; False if another worker has taken its id meanwhile."""
        return bool(self._run("beat", [], [self.prefix, self.worker, self.token, self.lease_ms]))

    def leave(self) -> None:
        """Hand back what this worker still holds and free its id (a clean stop)."""
        alive = self.key("alive", self.worker)
        try:
            if self.server.get(alive) == self.token.encode():
                self.server.delete(alive)
            self.status()  # reclaims this worker's leftover leases at once
        except RedisError as exc:
            raise FrontierError(f"frontier {self.prefix!r} (leave): {exc}") from exc

    def begin(self, crawl_id: str) -> str:
        """The crawl every worker is on: the unfinished one, else a new one called `crawl_id`."""
        current = self._run("begin", [], [self.prefix, crawl_id])
        return current.decode() if isinstance(current, bytes) else str(current)

    def seed(self, urls: list[str], chunk: int = 500) -> int:
        """Queue the URLs not yet seen in this crawl; how many were new."""
        return sum(self._run("seed", [], [self.prefix, *urls[i:i + chunk]])
                   for i in range(0, len(urls), chunk))

    def take(self, n: int) -> tuple[list[str], int]:
        """Lease up to `n` URLs: (the URLs, how many dead workers' leases were put back)."""
        back, urls = self._run("lease", [], [self.prefix, self.worker, self.token,
                                             self.lease_ms, n])
        return [u.decode() for u in urls], int(back)

    def done(self, url: str) -> None:
        """`url` has its outcome line: release its lease for good."""
        try:
            with self.server.pipeline() as pipe:
                pipe.srem(self.key("leased", self.worker), url)
                pipe.sadd(self.key("done"), url)
                pipe.execute()
        except RedisError as exc:
            raise FrontierError(f"frontier {self.prefix!r} (done {url}): {exc}") from exc

    def held(self) -> set[str]:
        return {u.decode() for u in self.server.smembers(self.key("leased", self.worker))}

    def status(self) -> Status:
        return Status(*(int(n) for n in self._run("status", [], [self.prefix])))

    # Per-host politeness (crawler/politeness.py).
    def acquire(self, slot: str, token: str) -> int:
        """0: `slot` is ours until `release`; -1: another request holds it; else ms to wait."""
        return int(self._run("acquire", [self.key("host", slot), self.key("next", slot)],
                             [token, self.lease_ms]))

    def release(self, slot: str, token: str, delay: float) -> None:
        self._run("release", [self.key("host", slot), self.key("next", slot)],
                  [token, int(delay * 1000)])

    def renew(self, held: dict[str, str]) -> None:
        """Extend the host locks `held` ({slot: token}) that are still ours."""
        if held:
            slots = list(held)
            self._run("renew", [self.key("host", s) for s in slots],
                      [self.lease_ms, *(held[s] for s in slots)])


class SharedDigests:
    """The dedup digest index in Redis, shared by all workers (`DigestIndex`'s interface).

    Per (payload digest, target URI) the earliest original wins, as in the file index: its
    value starts with the WARC-Date, so comparing values compares dates (then record ids).
    """

    def __init__(self, frontier: Frontier):
        self.frontier = frontier
        self.key = frontier.key("digests")

    def lookup(self, payload_digest: str, target_uri: str) -> Original | None:
        value = self.frontier.server.hget(self.key, f"{payload_digest} {target_uri}")
        if value is None:
            return None
        date, record_id, filename = value.decode().split(" ", 2)
        return Original(record_id, target_uri, date, filename)

    def add(self, payload_digest: str, original: Original) -> None:
        value = f"{original.date} {original.record_id} {original.filename}"
        self.frontier._run("keep", [self.key],
                           [f"{payload_digest} {original.target_uri}", value])

    def close(self) -> None:
        """Nothing buffered: every entry is in Redis when `add` returns."""
