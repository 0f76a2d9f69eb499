"""Everything Monitor downloads goes through `fetch` in this package; nothing else talks HTTP outward.

`fetch` owns the rules a crawler run by an OSINT team must keep, one module each:

* `policy`: the limits (`FetchPolicy`), what comes back (`FetchResponse`), and what can go wrong
  (`FetchError`, which says whether retrying may help).
* `addresses`: the private-network guard and DNS, re-applied on every redirect hop.
* `connection`: sockets pinned to the vetted address (so DNS rebinding cannot steer us inside), the
  watchdog that enforces the total deadline, and the per-host concurrency limit.
* `decoding`: gzip/deflate undone as the body streams in, capped, so a gzip bomb stops at the cap; at most
  five codings per response.
* `content_type`: the one Content-Type parser, also used by `sources.feeds` and `sources.extraction`.
* `client`: `fetch` itself: the request, redirects, reading the body, and turning failures into
  `FetchError`s an admin can act on.

Non-2xx answers (304, 404, 429, 5xx...) are returned as `FetchResponse`; deciding what they mean for a
source is `sources.schedule`'s job. Only transport problems raise `FetchError`.

Not for: parsing what was fetched (`sources.feeds`, `sources.extraction`), retry or polling policy
(`sources.schedule`), or anything that needs Django models. Nothing here imports Django at import time;
settings are read only by `FetchPolicy.from_settings`, lazily, so the package works from plain scripts and
benchmarks.
"""

from __future__ import annotations

from sources.http.addresses import is_public_address
from sources.http.client import fetch
from sources.http.policy import FetchError, FetchPolicy, FetchResponse

__all__ = ["FetchError", "FetchPolicy", "FetchResponse", "fetch", "is_public_address"]
