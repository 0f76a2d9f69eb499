"""Tests of `sources.http` against real HTTP servers on 127.0.0.1 (tests/httpserver.py); nothing is mocked.

One test module per module of the package. Every server here is loopback, which the default policy
refuses, so most tests use `local_policy` (allow_private=True, from tests/sources/conftest.py). The guard
itself is tested with the default policy, and the per-hop re-check and DNS-rebinding resistance through
the policy's `address_allowed` and `resolver` seams.

`RSS` and `fetch_error` are shared by the test modules here.
"""

from __future__ import annotations

import pytest

from sources.http import FetchError, FetchPolicy, fetch

RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>NACTA alerts</title></channel></rss>'


def fetch_error(url: str, policy: FetchPolicy | None = None, **kwargs: object) -> FetchError:
    """The `FetchError` that fetching `url` raises; fails the test if it raises none."""
    with pytest.raises(FetchError) as caught:
        fetch(url, policy=policy, **kwargs)  # type: ignore[arg-type]
    return caught.value
