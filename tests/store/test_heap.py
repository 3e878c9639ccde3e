import gc

from geo.store import heap


def test_fewer_collections_restores_the_thresholds_after_the_block():
    before = gc.get_threshold()
    with heap.fewer_collections(young=before[0] + 1000):
        assert gc.get_threshold() == (before[0] + 1000, *before[1:])
    assert gc.get_threshold() == before


def test_fewer_collections_never_lowers_a_higher_threshold():
    before = gc.get_threshold()
    try:
        gc.set_threshold(500_000, *before[1:])
        with heap.fewer_collections(young=1000):
            assert gc.get_threshold()[0] == 500_000
    finally:
        gc.set_threshold(*before)
