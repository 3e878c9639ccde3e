"""Merging speakers by look-up gives what comparing every pair of attributions gives."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from geo.evidence.speakers import attribution_head, speaker_names

WORDS = ["Zamir", "Kabulov", "kabulov", "the", "same", "Der", "Spiegel", "US", "officials", "al-Baghdadi"]  # fmt: skip


def pairwise_speaker_names(attributions) -> dict[str, str]:
    """The definition: a head's group is itself, the capitalised heads it ends with and the
    heads that end with it (when it is capitalised); named by its shortest head of two words."""
    heads = {a: attribution_head(a) for a in set(attributions) if isinstance(a, str) and a.strip()}
    distinct = {h for h in heads.values() if h}

    def ends_with(long: str, short: str) -> bool:
        lw, sw = long.split(), short.split()
        return len(lw) > len(sw) and lw[-len(sw) :] == sw and short[:1].isupper()

    def name_for(head: str) -> str:
        if not head:
            return ""
        group = {head} | {h for h in distinct if ends_with(head, h) or ends_with(h, head)}
        named = [h for h in group if len(h.split()) >= 2 and h[:1].isupper()]
        return min(named, key=lambda h: (len(h.split()), h)) if named else head

    return {a: name_for(h) or a for a, h in heads.items()}


attribution = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)
suffix = st.sampled_from(["", ", a spokesman", " (AFP)", "."])


@given(st.lists(st.tuples(attribution, suffix).map("".join), max_size=40))
def test_speakers_are_merged_as_the_pairwise_definition_says(attributions):
    assert speaker_names(attributions) == pairwise_speaker_names(attributions)
