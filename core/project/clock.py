"""The timestamps a project file records (created, modified, computed): UTC, to the millisecond.

Its own module because the store, the edits and the migrations all stamp rows and none
of them should import another just for the clock.
"""
from __future__ import annotations

import datetime as _dt


def now_iso() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
