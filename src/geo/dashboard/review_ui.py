"""The dashboard's parts for working with one's own corpus: add documents, review and correct
places, export the view, share it by URL. app.py composes them; the logic lives in geo.documents.ingest,
geo.build.review, geo.store.export and geo.dashboard.share.

Text from documents is shown through st.dataframe, st.code or escaped HTML only.
"""

from __future__ import annotations

import functools
import json
import os
import re
import threading
from collections.abc import Callable, Mapping
from html import escape
from pathlib import Path

import pandas as pd
import pyarrow as pa
import streamlit as st

from geo.build import review
from geo.build.pipeline import DEFAULT_PLACES_CSV, Geoparser, corpus_places_csv, load_gazetteer
from geo.dashboard import evidence_ui, share_ui, widget_state
from geo.dashboard.filters import ClaimFilter, distinct_values, year_bounds
from geo.dashboard.frame_memo import per_frame
from geo.dashboard.plain_text import markdown_text
from geo.dashboard.timeline import AXES
from geo.documents import ingest
from geo.documents.reading import Document
from geo.store import export, heap
from geo.store.excerpts import contract_claims
from geo.store.schema import PLACE_KINDS
from geo.text.normalize import name_key

# Session-state keys of the filter widgets (app.py's sidebar), so that a link can set them.
YEARS_KEY = evidence_ui.YEARS_KEY  # the one time filter: the year slider and the timeline's brush
UNDATED_KEY, SOURCES_KEY, KINDS_KEY = "f_undated", "f_sources", "f_kinds"
NOTES_KEY = "f_notes"
_UPLOADS = "_upload_round"  # bumped after each upload so that the uploader starts empty


# --- share --------------------------------------------------------------------------------------


# The in-memory page's widgets, for share links (geo.dashboard.share_ui).
def view_keys(place_key: str) -> share_ui.ViewKeys:
    return share_ui.ViewKeys(
        axis=evidence_ui.AXIS_KEY, years=lambda axis: YEARS_KEY, undated=UNDATED_KEY,
        notes=NOTES_KEY, sources=SOURCES_KEY, kinds=KINDS_KEY, hedging=evidence_ui.HEDGING_KEY,
        place=place_key, speakers=evidence_ui.SPEAKERS_KEY, arcs=evidence_ui.FLOWS_KEY,
        center_on="_center_on",
    )  # fmt: skip


def apply_link_once(claims: pd.DataFrame, places: pd.DataFrame, sources: list[str],
                    kinds: list[str], place_key: str) -> None:  # fmt: skip
    """On a session's first run, set the filters (the years drawn on the slider and the timeline
    both) and the selected place from the URL."""
    axis_bounds = {axis: year_bounds(claims, axis) for axis in AXES}  # per_frame: once per table
    if st.session_state.get("_link_applied"):
        st.session_state["_axis_bounds"] = axis_bounds
        return
    share_ui.apply_link_once(
        view_keys(place_key), axis_bounds, sources, kinds, set(places["place_id"].tolist()),
        speakers=distinct_values(claims, "speaker"), hedging=distinct_values(claims, "hedging"),
    )  # fmt: skip


show_link_notices = share_ui.show_link_notices


def sync_link(selection: ClaimFilter | None, place: str | None) -> None:
    """Keep the URL in step with the view, so that copying it shares the view."""
    share_ui.sync_link(selection, place, arcs=bool(st.session_state.get(evidence_ui.FLOWS_KEY)))


# --- export -------------------------------------------------------------------------------------


def export_buttons(shown: pd.DataFrame, places: pd.DataFrame, summary: pd.DataFrame,
                   texts: Mapping[str, str]) -> None:  # fmt: skip
    """Downloads of the claims and places in the current filter; the claims with the data
    contract's columns, their excerpts cut from the documents' texts (`texts`) when asked for."""
    sb = st.sidebar
    sb.subheader("Export this view")
    sb.caption("WGS 84 longitude/latitude; opens in QGIS and kepler.gl as it is.")
    # The files are made when a button is pressed (Streamlit calls the function then), not on
    # every rerun: for a large corpus they take seconds to write.
    sb.download_button(
        f"Claims CSV ({len(shown)})",
        lambda: export.claims_csv(contract_claims(shown, texts), places),
        file_name="claims.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/table:",
        width="stretch",
    )
    sb.download_button(
        f"Claims GeoJSON ({len(shown)})",
        lambda: export.geojson_bytes(export.claims_geojson(contract_claims(shown, texts), places)),
        file_name="claims.geojson",
        mime="application/geo+json",
        on_click="ignore",
        icon=":material/location_on:",
        width="stretch",
    )
    sb.download_button(
        f"Places GeoJSON ({len(summary)})",
        lambda: export.geojson_bytes(export.places_geojson(summary)),
        file_name="places.geojson",
        mime="application/geo+json",
        on_click="ignore",
        icon=":material/map:",
        width="stretch",
    )


def cite_button(claim: dict) -> None:
    """The claim's citation, naming the document as the corpus does (not a path on this machine)."""
    with st.popover("Cite", type="tertiary", icon=":material/format_quote:"):
        st.caption("Copy with the button at the right of the box.")
        st.code(export.citation(claim), language=None, wrap_lines=True)


# --- add documents ------------------------------------------------------------------------------


def upload_section(corpus: Path, writable: bool) -> None:
    """An uploader that adds files to the corpus folder, with a progress bar and a report."""
    with st.sidebar.expander("Add documents", icon=":material/upload_file:"):
        if not writable:
            st.caption(
                "The bundled seeds are read-only here. Start the app with "
                "`--corpus DIR` to add your own documents to DIR."
            )
            return
        st.caption(ingest.LIMITS_TEXT + " Same content is never added twice.")
        round_ = st.session_state.get(_UPLOADS, 0)
        files = st.file_uploader(
            "Documents",
            type=list(ingest.SUPPORTED_TYPES),
            accept_multiple_files=True,
            key=f"upload:{round_}",
            max_upload_size=ingest.MAX_FILE_BYTES // (1024 * 1024),
        )
        if files and st.button("Add to the corpus", type="primary", icon=":material/add:"):
            bar = st.progress(0.0, text=f"0 of {len(files)} files")

            def progress(done: int, total: int, outcome: ingest.AddOutcome) -> None:
                bar.progress(done / total, text=f"{done} of {total} files · {outcome.name}")

            outcomes = ingest.add_documents(
                ((f.name, f.getvalue()) for f in files), corpus, on_progress=progress
            )
            st.session_state["_upload_report"] = outcomes
            st.session_state[_UPLOADS] = round_ + 1
            st.rerun()  # the corpus changed: rebuild
        outcomes = st.session_state.get("_upload_report")
        if outcomes:
            st.markdown(f"**Last upload:** {ingest.summary_line(outcomes)}")
            icons = {"added": "✅", "duplicate": "↩️", "rejected": "⛔"}
            st.markdown(
                "\n".join(
                    f"- {icons[o.status]} **{_md(o.name)}**: {_md(o.message)}" for o in outcomes
                )
            )


# --- review places ------------------------------------------------------------------------------


# Weighing the alternatives geoparses a document again: done for the documents a question needs
# (the selected place's, at most this many; the whole corpus only when the list is asked for).
MAX_PLACE_DOCUMENTS = 50
EAGER_REVIEW_DOCUMENTS = 200  # up to this many documents, the needs-review list is always ready
# ... and up to this much text not weighed yet (a 19 MB one-line upload takes minutes to weigh).
EAGER_REVIEW_CHARACTERS = 2_000_000
# Documents with more text than this in all are weighed in a child process (geo.build.child): the
# server does not keep the memory that geoparsing them takes. Less is weighed in the thread (a
# child loads the gazetteer again: a few seconds).
APART_CHARACTERS = 2_000_000
KEPT_TABLES = 64  # resolution tables kept per build (the whole corpus's, and places' documents)


class Resolutions:
    """The geoparser over a places file and, per document, how each of its names was resolved.

    Shared by every session (st.cache_resource) for one build: documents are weighed when first
    asked about and kept. Give a Geoparser, or a function that makes one: it is then called when
    the geoparser is first needed (loading the gazetteer takes seconds that a page which shows no
    place's resolutions need not wait for) or by `warm_up` in a background thread."""

    def __init__(
        self,
        geoparser: Geoparser | Callable[[], Geoparser],
        apart: Callable[[list[Document]], pd.DataFrame] | None = None,
    ):
        self._geoparser = geoparser if isinstance(geoparser, Geoparser) else None
        self._make = None if isinstance(geoparser, Geoparser) else geoparser
        # review.mention_resolutions in a child process, for more than APART_CHARACTERS of text
        self._apart = apart
        self._by_document: dict[str, pd.DataFrame] = {}
        # The tables asked for, by their documents: the same object again for the same question,
        # so that what pages derive from it (frame_memo) is derived once. The last few only.
        self._tables: dict[tuple[str, ...], pd.DataFrame] = {}
        self._lock = threading.Lock()
        self._loading = threading.Lock()
        self._warming = False

    @property
    def loaded(self) -> bool:
        return self._geoparser is not None

    @property
    def geoparser(self) -> Geoparser:
        return self.load()

    def load(self) -> Geoparser:
        if self._geoparser is None:
            with self._loading:  # one load, however many sessions ask at once
                if self._geoparser is None:
                    self._geoparser = self._make()
        return self._geoparser

    def warm_up(self) -> None:
        """Load the geoparser in a background thread, once, if it is not loaded yet."""
        with self._lock:
            if self._warming or self.loaded:
                return
            self._warming = True
        threading.Thread(target=self._warm, name="geo-review-warm-up", daemon=True).start()

    def _warm(self) -> None:
        try:
            self.load()
        except Exception:  # noqa: BLE001 - the next use loads again and reports the error
            pass

    def done(self, doc_ids) -> bool:
        return all(d in self._by_document for d in doc_ids)

    def unweighed_characters(self, documents) -> int:
        """How much text of `documents` (Document objects) is not weighed yet."""
        return sum(len(d.text) for d in documents if d.doc_id not in self._by_document)

    def _weigh(self, documents: list[Document]) -> pd.DataFrame:
        if self._apart is not None and sum(len(d.text) for d in documents) > APART_CHARACTERS:
            return self._apart(documents)
        return review.mention_resolutions(self.geoparser, documents)

    def table(self, documents: list[Document]) -> pd.DataFrame:
        """The resolutions of `documents` (review.mention_resolutions' table; read it, do not
        modify it: the same object serves every session that asks about the same documents)."""
        asked = tuple(d.doc_id for d in documents)
        with self._lock:
            kept = self._tables.get(asked)
            if kept is not None:
                return kept
            missing = [d for d in documents if d.doc_id not in self._by_document]
        if missing:
            # Weighed outside the lock: another session's question is not kept waiting (two
            # sessions asking at once may both weigh a document; the results are the same).
            frame = self._weigh(missing)
            groups = dict(tuple(frame.groupby("doc_id", sort=False)))
            with self._lock:
                for document in missing:
                    self._by_document.setdefault(
                        document.doc_id, groups.get(document.doc_id, frame.iloc[:0])
                    )
        with self._lock:
            parts = [self._by_document[d.doc_id] for d in documents]
        if not parts:
            return pd.DataFrame(columns=review.RESOLUTION_COLUMNS)
        table = pd.concat(parts, ignore_index=True)
        with self._lock:
            table = self._tables.setdefault(asked, table)
            while len(self._tables) > KEPT_TABLES:
                self._tables.pop(next(iter(self._tables)))
        return table


@st.cache_resource(show_spinner=False, max_entries=2)
def resolutions(places_csv: str, corpus: str, fingerprint: str) -> Resolutions:
    """The review state of one build (the fingerprint changes with the corpus and places file).
    The gazetteer is loaded when first needed, or by Resolutions.warm_up; builds that differ only
    in their documents share it (review_geoparser)."""
    places_state = _places_state(places_csv, corpus)
    load = functools.partial(review_geoparser, places_csv, corpus, places_state)
    apart = functools.partial(review.mention_resolutions_in_child, Path(places_csv), Path(corpus))
    return Resolutions(load, apart)


# The review geoparser of the places files' current state: (state, geoparser). One, shared by the
# review states of every build over these files: adding a document does not load the gazetteer
# again (about 250 MB and a few seconds each time).
_GEOPARSER: list = []
_GEOPARSER_LOCK = threading.Lock()


def _places_state(places_csv: str, corpus: str) -> str:
    """What the review gazetteer is made of: the places file's and the corpus's own places file's
    size, modification time and inode (or that it is missing)."""
    parts = []
    for path in (Path(places_csv), corpus_places_csv(Path(corpus))):
        try:
            info = path.stat()
            parts.append(f"{path}\t{info.st_size}\t{info.st_mtime_ns}\t{info.st_ino}")
        except OSError:
            parts.append(f"{path}\t-")
    return "\n".join(parts)


def review_geoparser(places_csv: str, corpus: str, places_state: str) -> Geoparser:
    """The gazetteer of `places_csv` and the corpus's own places file laid over the index, loaded
    once per `places_state` (the last one only is kept here)."""
    with _GEOPARSER_LOCK:
        if _GEOPARSER and _GEOPARSER[0] == places_state:
            return _GEOPARSER[1]
        _GEOPARSER.clear()  # the state before: freed once no review state holds it
        gazetteer, _ = load_gazetteer(Path(places_csv), corpus_dir=Path(corpus))
        geoparser = Geoparser(gazetteer)
        heap.freeze_long_lived()  # kept as long as the build: out of full collections
        _GEOPARSER.extend((places_state, geoparser))
        return geoparser


def ensure_loaded(state: Resolutions) -> None:
    """Load the review geoparser now, under a spinner, if nothing has loaded it yet."""
    if not state.loaded:
        with st.spinner("Loading the gazetteer for review…"):
            state.load()


def place_resolutions(state: Resolutions, documents: dict, claims: pd.DataFrame,
                      place_id: str) -> tuple[pd.DataFrame, int]:  # fmt: skip
    """The resolutions in the documents that make claims about a place (the first
    MAX_PLACE_DOCUMENTS of them), and how many documents there are in all."""
    doc_ids = claims.loc[claims["place_id"] == place_id, "doc_id"].unique()
    chosen = [documents[d] for d in doc_ids[:MAX_PLACE_DOCUMENTS] if d in documents]
    ensure_loaded(state)
    unweighed = state.unweighed_characters(chosen)
    if unweighed > APART_CHARACTERS:  # tens of seconds: say what the page is waiting for
        with st.spinner(
            f"Weighing the names of the documents about this place again ({unweighed / 1e6:,.1f} "
            "million characters)…"
        ):
            return state.table(chosen), len(doc_ids)
    return state.table(chosen), len(doc_ids)


def _population(value: int) -> str:
    return f"{value:,}" if value else "—"


def resolution_panel(geoparser: Geoparser, table: pd.DataFrame, place: dict, places_csv: Path,
                     names: dict[str, str], n_documents: int | None = None,
                     documents: dict[str, Document] | None = None) -> None:  # fmt: skip
    """How the selected place was reached, the alternatives, and the forms to correct it.
    `table` may cover only some of the place's `n_documents` documents (see place_resolutions);
    `documents` (doc_id -> Document) name the documents for "not a place in this document"."""
    rows = review.resolutions_for_place(table, place["place_id"])
    origin = place.get("origin") or ""
    corrections = corrections_in(places_csv)
    # Open where a correction was made (the place it moved the name to), for the rest of the visit.
    opened = st.session_state.get(_OPEN_REVIEW) == place["place_id"]
    with st.expander("How this place was resolved", icon=":material/fact_check:", expanded=opened):
        weighed = table["doc_id"].nunique() if not table.empty else 0
        if n_documents is not None and n_documents > MAX_PLACE_DOCUMENTS:
            st.caption(
                f"Weighed in the first {MAX_PLACE_DOCUMENTS} of the {n_documents:,} documents "
                f"that make claims about it ({weighed} name this place)."
            )
        st.html(
            '<div class="geo-meta" style="font-size:.88rem;color:#444">'
            f"Source: {escape(str(place.get('source') or '—'))} · origin {escape(origin)} · "
            f"kind {escape(str(place.get('kind') or ''))}</div>"
        )
        if rows.empty:
            st.caption("No name in the current documents resolves here.")
        for key, group in rows.groupby("key", sort=False):
            first = group.iloc[0]
            name = str(first["mention"])
            n = int(group["n_mentions"].sum())
            alternatives = first["alternatives"]
            confidence = review.confidence_label(
                float(group["margin"].min()), bool(group["corrected"].any()), len(alternatives)
            )
            st.markdown(
                f"**“{_md(name)}”** · {n} mention{'s' * (n != 1)} in {group['doc_id'].nunique()} "
                f"document(s) · confidence: {confidence}"
            )
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "place": ("✓ " if a.chosen else "") + a.name,
                            "kind": a.kind,
                            "country": a.country_code or "—",
                            "population": _population(a.population),
                            "score": f"{a.score:.1f}" + ("" if a.plausible else " ruled out"),
                        }
                        for a in alternatives
                    ]
                ),
                hide_index=True,
                width="stretch",
            )
            of_name = [c for c in corrections if name_key(c.correction_of) == key]
            for correction in of_name:
                if not correction.is_place:  # not a place in one document; here in the others
                    _correction_note(correction, geoparser, table, places_csv, documents or {})
            correction = next((c for c in of_name if c.is_place and not c.doc_id), None)
            if correction is not None:
                _correction_note(correction, geoparser, table, places_csv, documents or {})
            else:
                doc_ids = list(dict.fromkeys(group["doc_id"]))
                _correction_forms(geoparser, name, first, alternatives, places_csv,
                                  {d: document_title(documents or {}, d) for d in doc_ids})  # fmt: skip


def _md(text: str) -> str:
    """Text for st.markdown, shown as written (see plain_text)."""
    return markdown_text(text)


# Session state: the place to select on the next run (set by a correction, applied before the
# place list is drawn), and the (name key, doc_id) of the correction just made in this session.
_SELECT_NEXT = "_select_after_correction"
_JUST_CORRECTED = "_just_corrected"
_JUST_SHOWN = "_just_corrected_shown"  # the panel drew that correction's note in this run
_NOTICE = "_correction_notice"  # (name key, doc_id, place_id): the last correction, on its place
_OPEN_REVIEW = "_open_review"  # the place whose "How this place was resolved" stays open


def apply_pending_selection(place_key: str) -> None:
    """Select the place a correction or an undo asked for, before the place list is drawn (a
    widget's value cannot be set once it is drawn)."""
    place_id = st.session_state.pop(_SELECT_NEXT, None)
    if place_id:
        st.session_state[place_key] = place_id
        st.session_state["_center_on"] = place_id


def _corrected(place_id: str | None, name: str, doc_id: str = "") -> None:
    """After a correction: stay on `place_id` (where the name's mentions are now) with the
    correction and its Undo in view, and rebuild."""
    st.session_state[_SELECT_NEXT] = place_id
    st.session_state[_OPEN_REVIEW] = place_id
    st.session_state[_JUST_CORRECTED] = (name_key(name), doc_id)
    st.session_state[_NOTICE] = (name_key(name), doc_id, None)
    st.rerun(scope="app")


def corrections_in(places_csv: Path) -> list:
    """review.corrections, read again only when the file changed (a large places file takes a
    tenth of a second to validate, and every rerun asks)."""
    try:
        stat = os.stat(places_csv)
    except OSError:
        return []
    return _corrections_of(str(places_csv), stat.st_mtime_ns, stat.st_size, stat.st_ino)


@functools.lru_cache(maxsize=4)
def _corrections_of(places_csv: str, mtime_ns: int, size: int, inode: int) -> list:
    return review.corrections(Path(places_csv))


def document_title(documents: dict[str, Document], doc_id: str) -> str:
    """A document as the panel names it: its title, else its file name (else its id, when it has
    left the corpus)."""
    document = documents.get(doc_id)
    if document is None:
        return doc_id
    return document.title or os.path.basename(document.path)


def _reach(correction, documents: dict[str, Document]) -> str:
    if not correction.doc_id:
        return "everywhere in the corpus"
    return f"in “{document_title(documents, correction.doc_id)}”"


def _correction_note(correction, geoparser, table: pd.DataFrame, places_csv: Path,
                     documents: dict[str, Document]) -> None:  # fmt: skip
    """Who corrected the name, when, from which place to which, and the button to undo it."""
    before = review.place_description(geoparser, correction.previous) if correction.previous else ""
    if correction.is_place:
        what = "Corrected"
    else:
        what = "Marked as not a place " + _reach(correction, documents) + ","
    just = st.session_state.get(_JUST_CORRECTED)
    key = f"correction:{name_key(correction.correction_of)}:{correction.doc_id}"
    with st.container(key=_css_key(key)):
        st.info(
            f"{_md(what)} by {_md(correction.corrected_by)} on {_md(correction.corrected_at)}"
            + (f" (before: {_md(before)})." if before else "."),
            icon=":material/edit_location_alt:",
        )
        if correction.is_place and not review.correction_holds(table, correction):
            st.warning(
                "The correction is saved, but the resolver still prefers another place for this "
                "name: a curated row is not always enough to outweigh the gazetteer's scores.",
                icon=":material/warning:",
            )
        if st.button("Undo this correction", key=f"undo:{key}", icon=":material/undo:"):
            _undo(correction, places_csv)
    shown = (name_key(correction.correction_of), correction.doc_id)
    if shown == tuple((st.session_state.get(_NOTICE) or ())[:2]):
        st.session_state[_JUST_SHOWN] = True
    if just == shown:
        scroll_into_view(_css_key(key), correction.corrected_at)


def _undo(correction, places_csv: Path) -> None:
    try:
        review.undo_correction(places_csv, correction.correction_of, correction.doc_id,
                               seen=review.correction_stamp(correction))  # fmt: skip
    except ValueError as exc:  # changed meanwhile by someone else: by whom
        st.error(_md(str(exc)))
        return
    except OSError as exc:
        st.error(_md(f"The places file {places_csv} could not be written: {exc.strerror or exc}"))
        return
    st.session_state.pop(_JUST_CORRECTED, None)
    st.session_state.pop(_NOTICE, None)
    # Back to the place the name had before (it may have no claims under these filters: then the
    # list falls back to its prompt).
    st.session_state[_SELECT_NEXT] = correction.previous if correction.is_place else None
    st.rerun(scope="app")


def _css_key(text: str) -> str:
    """A widget or container key that is also a CSS class (Streamlit adds "st-key-")."""
    return "geo-" + "".join(c if c.isalnum() else "-" for c in text)


def scroll_into_view(container_key: str, nonce: str = "") -> None:
    """Bring the container with this key into view (the correction's Undo after a rebuild; the
    page would otherwise stay where the submit button was). `nonce` makes the script new, so that
    it runs again after another correction."""
    selector = json.dumps(f".st-key-{container_key}")
    nonce = re.sub(r"[^0-9A-Za-z]", "", nonce)  # from the places file: only letters and digits
    st.html(
        f"<script>/* {nonce} */ (function () {{ const find = () => "
        f"document.querySelector({selector}); let tries = 0; const go = () => {{ const el = find();"
        " if (el) { el.scrollIntoView({block: 'center'}); } else if (tries++ < 50) {"
        " setTimeout(go, 100); } }; go(); })();</script>",
        unsafe_allow_javascript=True,
        width="content",
    )


def _correction_forms(geoparser, name: str, row, alternatives, places_csv: Path,
                      documents: dict[str, str]) -> None:  # fmt: skip
    """Pick another candidate, enter coordinates, or say that the name is not a place.
    `documents`: doc_id -> title of the documents where the name leads to this place."""
    others = [a for a in alternatives if not a.chosen]
    tab_pick, tab_coords, tab_none = st.tabs(
        ["Another candidate", "Coordinates", "Not a place"]  # short: all three fit a narrow panel
    )
    current_place = str(row["place_id"])
    with tab_pick:
        if not others:
            st.caption("The gazetteer has no other candidate for this name.")
        else:
            with st.form(f"pick:{name}", border=False):
                choice = st.selectbox(
                    f"“{_md(name)}” is",
                    others,
                    format_func=lambda a: (
                        f"{a.name} ({a.kind}, {a.country_code or '—'}, "
                        f"pop. {_population(a.population)})"
                    ),
                )
                who = st.text_input("Your name", value=review.current_user(), key=f"who1:{name}")
                if st.form_submit_button("Use this place for every mention", type="primary"):
                    written = _write(
                        places_csv,
                        review.choose_candidate,
                        places_csv,
                        name,
                        review.candidate_record(geoparser, choice.place_id),
                        current_place,
                        who=who.strip() or None,
                        seen=review.correction_stamp(None),  # the form shows no correction
                    )
                    if written is not None:
                        _corrected(written.place_id, name)
    with tab_coords:
        current = _place_facts(geoparser, current_place)
        with st.form(f"coords:{name}", border=False):
            c1, c2 = st.columns(2)
            lat = c1.number_input("Latitude", -90.0, 90.0, current["lat"], format="%.5f")
            lon = c2.number_input("Longitude", -180.0, 180.0, current["lon"], format="%.5f")
            c3, c4 = st.columns(2)
            kind = c3.selectbox("Kind", PLACE_KINDS, index=PLACE_KINDS.index(current["kind"]))
            country = c4.text_input(
                "Country (ISO alpha-2)", value=current["country_code"], max_chars=2
            )
            who = st.text_input("Your name", value=review.current_user(), key=f"who2:{name}")
            if st.form_submit_button("Place every mention here", type="primary"):
                written = _write(
                    places_csv, review.enter_coordinates,
                    places_csv, name, lat, lon, kind, country, current_place,
                    who=who.strip() or None,
                    population=current["population"] if kind == current["kind"] else None,
                    seen=review.correction_stamp(None),  # the form shows no correction
                )  # fmt: skip
                if written is not None:
                    _corrected(written.place_id, name)
    with tab_none:
        st.caption(
            f"“{_md(name)}” names no place: its mentions make no claim (they are left out of the "
            "map and of the unplaced names), at the next build and every one after, until undone."
        )
        with st.form(f"none:{name}", border=False):
            reach = st.radio(
                "Where",
                ["", *documents],
                format_func=lambda d: (
                    f"Only in “{_md(documents[d])}”" if d else "Everywhere in the corpus"
                ),
                key=f"none-where:{name}",
            )
            who = st.text_input("Your name", value=review.current_user(), key=f"who3:{name}")
            if st.form_submit_button(
                "Not a place", type="primary", icon=":material/wrong_location:"
            ):
                written = _write(
                    places_csv, review.mark_not_a_place,
                    places_csv, name, current_place, doc_id=reach, who=who.strip() or None,
                    seen=review.correction_stamp(None),  # the form shows none for that reach
                )  # fmt: skip
                if written is not None:
                    _corrected(current_place, name, reach)


def _write(places_csv: Path, correct: Callable, *args, **kwargs):
    """Make a correction; a refusal or a file that cannot be written is shown, not raised."""
    try:
        return correct(*args, **kwargs)
    except ValueError as exc:  # refused, or corrected meanwhile by someone else: by whom
        st.error(_md(str(exc)))
    except OSError as exc:
        st.error(_md(f"The places file {places_csv} could not be written: {exc.strerror or exc}"))
    return None


def correction_notice(placeholder, places_csv: Path, documents: dict[str, Document],
                      place_id: str | None) -> None:  # fmt: skip
    """After the panel is drawn: when the last correction was made on this place and the panel
    did not show it (a name that is no place may take the place off the map, or out of the
    place's names), say what was done, with its Undo, in `placeholder` at the top of the panel.
    Choosing another place drops the notice; the Corrections list keeps every Undo."""
    just = st.session_state.pop(_JUST_CORRECTED, None)
    drawn = st.session_state.pop(_JUST_SHOWN, False)
    notice = st.session_state.get(_NOTICE)
    if notice is None or drawn:
        return
    if just is not None:  # the run right after the correction: the place it left the panel on
        notice = st.session_state[_NOTICE] = (*notice[:2], place_id)
    elif notice[2] != place_id:
        st.session_state.pop(_NOTICE, None)
        return
    correction = next(
        (c for c in corrections_in(places_csv)
         if (name_key(c.correction_of), c.doc_id) == notice[:2]),
        None,
    )  # fmt: skip
    if correction is None:
        return
    key = _css_key(f"notice:{notice[0]}:{notice[1]}")
    with placeholder.container(), st.container(key=key):
        if correction.is_place:
            done = f"now denotes {correction.name}"
        else:
            done = (
                f"is marked as not a place, {_reach(correction, documents)}: its mentions are "
                "off the map"
            )
        st.success(
            f"“{_md(correction.correction_of)}” {_md(done)}.", icon=":material/wrong_location:"
        )
        if st.button("Undo", key=f"undo-{key}", icon=":material/undo:"):
            _undo(correction, places_csv)
    if just is not None:
        scroll_into_view(key, correction.corrected_at)


def corrections_list(places_csv: Path, documents: dict[str, Document]) -> None:
    """Every correction of the places file in use, newest first, each with its Undo: a name marked
    as not a place everywhere has no marker left to open."""
    found = corrections_in(places_csv)
    with st.expander(f"Corrections: {len(found)}", icon=":material/edit_location_alt:"):
        st.caption(f"Kept in {_md(str(places_csv))}; every build follows them.")
        for correction in found:
            if correction.is_place:
                facts = [correction.kind, correction.country_code]
                if correction.population:
                    facts.append(f"pop. {correction.population:,}")
                what = f"→ {correction.name} ({', '.join(f for f in facts if f)})"
            else:
                what = "not a place " + _reach(correction, documents)
            c1, c2 = st.columns([5, 1], vertical_alignment="center")
            c1.markdown(
                f"**“{_md(correction.correction_of)}”** {_md(what)} · "
                f"{_md(correction.corrected_by)}, {_md(correction.corrected_at)}"
            )
            key = _css_key(f"list:{correction.place_id}")
            if c2.button("Undo", key=key, icon=":material/undo:"):
                _undo(correction, places_csv)


def _place_facts(geoparser, place_id: str) -> dict:
    g = geoparser.gazetteer
    i = g.by_id.get(place_id)
    if i is None:
        return {"lat": 0.0, "lon": 0.0, "kind": "city", "country_code": "", "population": None}
    kind = g.kind[i] if g.kind[i] in PLACE_KINDS else "city"
    return {"lat": float(g.lat[i]), "lon": float(g.lon[i]), "kind": kind,
            "country_code": g.country_code[i], "population": int(g.population[i]) or None}  # fmt: skip


def corrections_file(corpus: Path, places: Path | None, bundled_corpus: Path) -> Path:
    """Where the dashboard writes the corrections of a corpus: the places file given with
    `--places`; else, for the bundled seeds, the repository's data/places.csv (whose curated rows
    are theirs); else the corpus folder's own curated-places.csv, so that one corpus's
    corrections never change another's map or the repository's tracked file."""
    if places is not None:
        return places
    if corpus.resolve() == bundled_corpus.resolve():
        return DEFAULT_PLACES_CSV
    return corpus_places_csv(corpus)


def needs_review_list(state: Resolutions, documents: dict, places: pd.DataFrame,
                      place_key: str) -> None:  # fmt: skip
    """Resolutions least confident first; selecting a row opens that place in the panel.

    A large corpus is weighed only when asked (it geoparses every document again)."""
    unweighed = state.unweighed_characters(documents.values())
    if unweighed and (
        len(documents) > EAGER_REVIEW_DOCUMENTS or unweighed > EAGER_REVIEW_CHARACTERS
    ):
        with st.expander("Needs review: low-confidence resolutions", icon=":material/rule:"):
            st.caption(
                f"Weighing the alternatives of every name geoparses the {len(documents):,} "
                f"documents again ({unweighed / 1e6:,.1f} million characters not weighed yet; "
                "about two seconds a million on a free core); the result is kept for every "
                "session until the corpus changes."
            )
            if not st.button("Weigh every resolution", icon=":material/rule:", key="weigh_all"):
                return
            with st.spinner("Weighing the alternatives…"):
                state.table(list(documents.values()))
    ensure_loaded(state)
    queue, shown, low = _review_queue(state.table(list(documents.values())), places)
    with st.expander(
        f"Needs review: {low} low-confidence resolution{'s' * (low != 1)}",
        icon=":material/rule:",
    ):
        st.caption(
            "Every name and the place it was given, the least certain first. Confidence is how "
            "far the chosen place scored ahead of the next candidate. Select a row to open it."
        )
        st.session_state["_review_queue"] = queue
        st.dataframe(
            shown,
            hide_index=True,
            width="stretch",
            height=260,
            on_select=lambda: _open_reviewed(place_key),
            selection_mode="single-row",
            key="review_table",
        )


def _review_queue(table: pd.DataFrame, places: pd.DataFrame) -> tuple[list, pa.Table, int]:
    """(place ids in the list's order, the list as shown, how many are low-confidence), once per
    resolution table and places table (both shared by every session of a build; read them)."""
    kept = _review_queues(table)
    entry = kept.get(id(places))
    if entry is None or entry[0] is not places:
        # The entry holds the places table: its id cannot be reused by another while it is kept.
        entry = kept[id(places)] = (places, _review_queue_now(table, places))
    return entry[1]


@per_frame
def _review_queues(table: pd.DataFrame) -> dict:
    return {}


def _review_queue_now(table: pd.DataFrame, places: pd.DataFrame) -> tuple[list, pa.Table, int]:
    queue = review.needs_review(table, places)
    low = int((queue["margin"] < review.LOW_MARGIN).sum()) if not queue.empty else 0
    confidence = [
        review.confidence_label(margin, corrected, n)
        for margin, corrected, n in zip(
            queue["margin"], queue["corrected"], queue["n_candidates"], strict=True
        )
    ]
    shown = queue.assign(confidence=confidence).rename(
        columns={"country_code": "country", "n_mentions": "mentions"}
    )
    columns = ["mention", "place", "kind", "country", "confidence", "mentions"]
    # As Arrow: st.dataframe sends an Arrow table as it is (a DataFrame is converted every run).
    return list(queue["place_id"]), pa.Table.from_pandas(shown[columns], preserve_index=False), low


def _open_reviewed(place_key: str) -> None:
    """Selecting a row of the review list opens its place (a callback: runs before the page)."""
    rows = st.session_state["review_table"].selection.rows
    queue = st.session_state.get("_review_queue", [])
    if rows and rows[0] < len(queue):
        st.session_state[place_key] = queue[rows[0]]
        st.session_state["_center_on"] = queue[rows[0]]
        st.session_state[SCROLL_TO_PANEL] = True  # the panel is far above the list


SCROLL_TO_PANEL = "_scroll_to_panel"
# Brings the place's panel into view once it is drawn (tried for up to 3 s while the page reruns).
_SCROLL_SCRIPT = """<script>
(function bring(tries) {
    var panel = document.querySelector('.geo-place');
    if (panel) { panel.scrollIntoView({behavior: 'smooth', block: 'start'}); return; }
    if (tries > 0) { setTimeout(function () { bring(tries - 1); }, 100); }
})(30);
</script>"""


def scroll_to_panel_if_asked() -> None:
    """After a row of the review list opened a place, bring its panel into view (once)."""
    if st.session_state.pop(SCROLL_TO_PANEL, False):
        st.html(_SCROLL_SCRIPT, unsafe_allow_javascript=True)


initial = widget_state.initial


@per_frame  # the build's places, on every rerun: read the dict, do not modify it
def place_names(places: pd.DataFrame) -> dict[str, str]:
    """place_id -> name (lists first: iterating Arrow-backed columns boxes value by value)."""
    return dict(zip(places["place_id"].tolist(), places["name"].tolist(), strict=True))
