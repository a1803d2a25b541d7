"""``DeferredValue``: an input or override whose cache fingerprint is known without its value.

Its own module so that defining assets (``orchestration.assets``, whose ``StoredValue`` is one)
does not import the cache integration (``orchestration.caching``), which only an op that runs with
Hamilton's cache needs.
"""

from __future__ import annotations

import abc
from typing import Any


class DeferredValue(abc.ABC):
    """An input or override whose fingerprint is known without its value (e.g. a stored asset):
    Hamilton's cache keys use ``cache_fingerprint()``, and ``CacheAdapter`` calls ``load()`` only
    when a node that runs reads it. Only for drivers with ``CacheAdapter`` (nothing else loads
    it) and without adapters that read every value (the Hamilton UI tracker)."""

    @abc.abstractmethod
    def cache_fingerprint(self) -> str: ...

    @abc.abstractmethod
    def load(self) -> Any: ...
