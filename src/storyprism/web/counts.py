"""How many stories match a filter, remembered for a few seconds.

Counting reads every matching story row (some 10 ms on 15k stories, more with a search), while the page of rows
itself comes off an index in a millisecond; a count a few seconds old (during an ingest) is a fair price.
"""

from __future__ import annotations

import threading
import time

from storyprism.store import Store
from storyprism.web.filters import StoryFilters

TTL_S = 10.0
MAX_ENTRIES = 512


class StoryCounts:
    def __init__(self, ttl: float = TTL_S) -> None:
        self.ttl = ttl
        self._seen: dict[StoryFilters, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def get(self, store: Store, filters: StoryFilters) -> int:
        now = time.monotonic()
        with self._lock:
            hit = self._seen.get(filters)
        if hit and now - hit[0] < self.ttl:
            return hit[1]
        total = store.count_stories(**filters.store_args())
        with self._lock:
            if len(self._seen) >= MAX_ENTRIES:
                self._seen.clear()
            self._seen[filters] = (now, total)
        return total
