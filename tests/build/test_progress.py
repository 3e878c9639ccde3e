"""A build tells how far it has come: stage, documents done of how many, time left."""

from __future__ import annotations

import io

from geo.build.pipeline import build_corpus
from geo.build.progress import Progress, StageClock, TerminalProgress, describe, remaining_seconds
from geo.places.gazetteer import load_index


def test_a_stage_with_documents_to_count_says_how_many_and_how_long_is_left():
    p = Progress("geoparse", 250, 1000, elapsed=10.0)
    assert remaining_seconds(p) == 30.0
    assert (
        describe(p)
        == "Finding the places in the documents: 250 of 1,000 documents · about 30 s left"
    )
    assert describe(Progress("geoparse", 1000, 1000, 40.0)).endswith("1,000 of 1,000 documents")
    assert describe(Progress("geoparse", 0, 1000, 1.0)) == (
        "Finding the places in the documents: 0 of 1,000 documents"
    )  # no pace yet, no estimate
    assert "about 50 s left" in describe(Progress("index-build", elapsed=10.0))


def test_the_stage_clock_measures_time_from_the_start_of_each_stage():
    seen, now = [], iter([0.0, 2.0, 5.0, 9.0])
    clock = StageClock(seen.append, clock=lambda: next(now))
    clock("read")
    clock("read", 5, 5)
    clock("geoparse", 0, 5)
    clock("geoparse", 5, 5)
    assert seen == [Progress("read", 0, 0, 0.0), Progress("read", 5, 5, 2.0),
                    Progress("geoparse", 0, 5, 0.0), Progress("geoparse", 5, 5, 4.0)]  # fmt: skip


def test_off_a_terminal_progress_is_a_plain_line_per_stage_and_tenth():
    out = io.StringIO()
    report = TerminalProgress(out)
    for done in range(0, 101):
        report(Progress("geoparse", done, 100, float(done)))
    lines = out.getvalue().splitlines()
    assert len(lines) == 11 and "\r" not in out.getvalue()
    assert lines[-1] == "Finding the places in the documents: 100 of 100 documents"


def test_on_a_terminal_progress_is_one_bar_redrawn_in_place():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    out = Tty()
    report = TerminalProgress(out)
    report(Progress("geoparse", 5, 10, 1.0))
    report.close()
    assert "\n" not in out.getvalue()
    assert (
        "[############............] Finding the places in the documents: 5 of 10" in out.getvalue()
    )


def test_a_build_reports_its_stages_in_order_with_the_documents_done(tmp_path):
    for i in range(3):
        (tmp_path / f"report{i}.txt").write_text(f"Fighters left Mosul for Raqqa in 201{i}.\n")
    seen: list[Progress] = []
    build_corpus(tmp_path, None, load_index(), progress=seen.append)
    stages = [p.stage for p in seen]
    assert stages == ["read", "read", "geoparse", "geoparse", "claims"]
    assert (seen[1].done, seen[1].total) == (3, 3)
    assert [(p.done, p.total) for p in seen if p.stage == "geoparse"] == [(0, 3), (3, 3)]
