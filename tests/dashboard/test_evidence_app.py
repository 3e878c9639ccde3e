"""The evidence pieces of the dashboard under streamlit.testing: filters, panel, map layers."""

from __future__ import annotations

import json

from test_app import panel_html, place_id, run_app, shown_counts

from geo.dashboard.filters import claim_speakers


def test_choosing_a_speaker_shows_only_the_claims_attributed_to_them(monkeypatch, seeds_build):
    at = run_app(monkeypatch)
    box = next(m for m in at.sidebar.multiselect if m.label == "Attributed to")
    box.select("Zamir Kabulov").run()
    expected = int((claim_speakers(seeds_build.claims) == "Zamir Kabulov").sum())
    assert expected >= 10  # "Zamir Kabulov, ...", "Kabulov" and "the same Kabulov"
    assert shown_counts(at)[1] == expected


def test_choosing_a_hedging_level_shows_only_those_claims(monkeypatch, seeds_build):
    at = run_app(monkeypatch)
    box = next(m for m in at.sidebar.multiselect if m.label == "How firmly stated")
    box.select("rumoured").run()
    assert shown_counts(at)[1] == int((seeds_build.claims["hedging"] == "rumoured").sum()) > 0


def test_the_publication_axis_counts_its_own_undated_claims(monkeypatch, seeds_build):
    at = run_app(monkeypatch)
    at.sidebar.radio(key="time_axis").set_value("stated").run()
    box = at.sidebar.checkbox[0]
    n_stated = int((seeds_build.claims["date_basis"] == "stated").sum())
    assert f"({len(seeds_build.claims) - n_stated})" in box.label
    box.uncheck().run()
    assert shown_counts(at)[1] == n_stated


def test_afghanistan_panel_shows_the_numbers_side_by_side_with_the_cited_note(
    monkeypatch, seeds_build
):
    at = run_app(monkeypatch, click=place_id(seeds_build, "Afghanistan"))
    html = panel_html(at)
    for value in ("3,000", "1,000–1,500", "2,500", "10,000"):
        assert f'class="geo-num">{value}<' in html
    assert "Zamir Kabulov" in html and "Gen. John Nicholson" in html
    assert "Cited: [22] “Five US troops wounded in combat with Isis in Afghanistan,”" in html
    assert 'Stated as: <span class="geo-hedge">estimated</span>' in html


def test_countries_are_drawn_as_areas_and_unplaced_mentions_are_counted(monkeypatch, seeds_build):
    at = run_app(monkeypatch)
    (component,) = at.get("component_instance")
    layers = json.loads(component.proto.json_args)["feature_group"]
    assert "Polygon" in layers  # Afghanistan, Iraq, Syria ... as their outlines
    unplaced = [u for u in seeds_build.unresolved if not u["ordinary_word"]]
    assert any(f"{len(unplaced)} mentions could not be placed" in e.label for e in at.expander)


def test_movement_arcs_are_drawn_only_when_switched_on(monkeypatch):
    at = run_app(monkeypatch)
    (component,) = at.get("component_instance")
    assert "LineString" not in json.loads(component.proto.json_args)["feature_group"]
    at.sidebar.toggle(key="show_flows").set_value(True).run()
    (component,) = at.get("component_instance")
    assert "Trinidad" in json.loads(component.proto.json_args)["feature_group"]


def test_a_place_with_many_numbers_shows_them_a_page_at_a_time(monkeypatch, tmp_path):
    (tmp_path / "raids.txt").write_text(
        "Raids\n\n" + " ".join(f"About {1000 + i:,} fighters reached Mosul." for i in range(30)),
        encoding="utf-8",
    )
    at = run_app(monkeypatch, "--corpus", str(tmp_path))
    at.selectbox(key="place").select_index(0).run()
    assert "Numbers 1–25 of 30" in panel_html(at)
    assert panel_html(at).count('class="geo-num"') == 25
    (numbers,) = [p for p in at.get("pagination") if p.key.startswith("numbers:")]
    numbers.select(2).run()
    assert "Numbers 26–30 of 30" in panel_html(at)
    assert panel_html(at).count('class="geo-num"') == 5


def test_the_unplaced_names_are_listed_a_page_at_a_time(monkeypatch, tmp_path):
    # Names the gazetteer knows several places for, with nothing in the text to choose: each
    # alone in its document (in one document they would place each other).
    names = {"Anderson County", "Henry County", "Lincoln County", "Brownstown", "Crestwood", "Taji"}
    for k, name in enumerate(sorted(names)):
        (tmp_path / f"{k}.txt").write_text(
            f"Arrest\n\nDeputies in {name} made an arrest on Monday.\n", encoding="utf-8"
        )
    monkeypatch.setattr("geo.dashboard.evidence_ui.UNPLACED_PER_PAGE", 2)
    at = run_app(monkeypatch, "--corpus", str(tmp_path))

    def unplaced():
        return next(e for e in at.expander if "could not be placed" in e.label)

    (pages,) = [p for p in at.get("pagination") if p.key.startswith("unplaced:")]
    assert pages.num_pages == -(-len(names) // 2)
    (table,) = unplaced().dataframe
    assert len(table.value) == 2
    pages.select(2).run()
    assert f"Names 3–4 of {len(names)}" in "\n".join(c.value for c in unplaced().caption)
    (table,) = unplaced().dataframe
    assert set(table.value["mention"]) <= names and len(table.value) == 2
