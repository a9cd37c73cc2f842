"""export() in process: Cancel leaves nothing behind; an existing file survives a failure."""
import pytest

from aisite.app.report.export import export, format_of
from aisite.core.errors import Cancelled, InputError
from aisite.core.report.content import build_report
from aisite.core.report.evaluated import from_project
from tests.app.report.conftest import TEXAS


@pytest.fixture(scope="module")
def report(report_project):
    return build_report(from_project(report_project, [TEXAS])[0], project_title="Sample")


@pytest.mark.parametrize("suffix", ["pdf", "html"])
def test_cancel_leaves_no_file(report, tmp_path, suffix, qapp):
    calls = []

    def progress(done, total):
        calls.append((done, total))
        return done < 2  # the planner presses Cancel after two sections

    with pytest.raises(Cancelled):
        export(report, str(tmp_path / f"r.{suffix}"), progress=progress)
    assert list(tmp_path.iterdir()) == []
    assert calls[-1][0] == 2 and calls[-1][1] == len(report.sections) + 1


def test_failure_keeps_the_old_file(report, tmp_path, qapp):
    out = tmp_path / "r.pdf"
    out.write_bytes(b"the planner's earlier report")
    with pytest.raises(Cancelled):
        export(report, str(out), progress=lambda done, total: False)
    assert out.read_bytes() == b"the planner's earlier report"
    assert [p.name for p in tmp_path.iterdir()] == ["r.pdf"]


def test_progress_reaches_the_end_and_formats_are_named(report, tmp_path, qapp):
    seen = []
    export(report, str(tmp_path / "r.pdf"), progress=lambda d, t: seen.append((d, t)))
    assert seen[-1][0] == seen[-1][1]
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert format_of("x.HTM") == "html"
    with pytest.raises(InputError, match="unknown report format '.txt'"):
        format_of("x.txt")
