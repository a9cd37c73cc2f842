import io

import numpy as np
import pytest

from aisite.core.errors import Cancelled
from aisite.core.explore.batch import BatchModel
from aisite.core.explore.sweep import sweep
from aisite.core.explore.tornado import tornado
from aisite.core.explore.progress import StderrProgress
from tests.core.explore.helpers import texas


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_bar_on_a_terminal_lines_in_a_log():
    tty = Tty()
    bar = StderrProgress("montecarlo", stream=tty, min_seconds=0)
    for done in (250, 500, 1000):
        bar(done, 1000)
    text = tty.getvalue()
    assert "\r" in text and "[" in text and "1,000/1,000 100%" in text and text.endswith("\n")
    log = io.StringIO()
    bar = StderrProgress("sweep", stream=log, min_seconds=0)
    for done in range(1, 101):
        bar(done, 100)
    lines = log.getvalue().splitlines()
    assert len(lines) <= 11 and lines[-1] == "sweep: 100/100 (100%)" and "\r" not in log.getvalue()


def test_general_path_cancels_too():
    model = BatchModel(texas(), ["deployments[0].count"], bounds=[(1000, 2000)])
    assert not model.fast
    calls = []
    with pytest.raises(Cancelled):
        model.run(np.full((50, 1), 1500.0), progress=lambda d, t: calls.append(d) or False, chunk=10)
    assert calls == [10]


def test_sweep_and_tornado_cancel():
    with pytest.raises(Cancelled):
        sweep(texas(), [("power[1].mw", [1, 2, 3])], progress=lambda d, t: False)
    with pytest.raises(Cancelled):
        tornado(texas(), progress=lambda d, t: False)
