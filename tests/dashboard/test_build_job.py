"""The dashboard's build job (issue 16, finding 6): geoparsing in a child process when the build
cache can be written, the result loaded from that cache; in the job's thread otherwise."""

from __future__ import annotations

from geo.build import child
from geo.dashboard import loading


def _run(corpus, places, monkeypatch):
    children = []

    def recorded(*args):
        children.append(args)
        return child.build_to_cache_in_child(*args)

    monkeypatch.setattr(loading, "build_to_cache_in_child", recorded)
    job = loading.BuildJob(corpus, places)
    assert job.done.wait(300)
    assert job.error is None, job.error
    return job.result, children


def test_the_build_runs_in_a_child_and_is_loaded_from_its_cache(corpus, places, monkeypatch):
    result, children = _run(corpus, places, monkeypatch)
    assert len(children) == 1
    assert result.reused == 1  # nothing geoparsed in the server's process
    assert "Mosul" in set(result.places["name"])


def test_without_a_writable_cache_folder_the_build_runs_in_the_thread(corpus, places, monkeypatch):
    monkeypatch.setattr(loading, "can_write", lambda folder: False)  # as in a read-only folder
    result, children = _run(corpus, places, monkeypatch)
    assert children == [] and result.reused == 0
    assert "Mosul" in set(result.places["name"])
