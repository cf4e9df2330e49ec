"""The real-stream memory-growth bench (omnilive.bench.memory_real): its hour of real media
never repeats a 10-minute window, and a short slice runs through perception's vision path into
a compressed and an uncompressed store with the facts planted in it answered by both."""
import dataclasses

import pytest

from omnilive.bench.memory_real import (PHOTOS, SIGNS, VIDEOS, repeated_windows,
                                        run_real_stream, timeline)


def test_an_hour_of_real_media_never_repeats_a_ten_minute_window():
    segments = timeline(3600.0)
    assert abs(segments[-1].start + segments[-1].duration - 3600.0) < 1e-6
    assert repeated_windows(segments) == 0
    # every source shows, and twice the same source in a row never
    assert {s.source for s in segments} == set(VIDEOS + PHOTOS + SIGNS)
    assert all(a.source != b.source for a, b in zip(segments, segments[1:]))
    # the check sees a stream that plays its first 12 minutes again
    head = [s for s in segments if s.start < 720.0]
    again = head + [dataclasses.replace(s, start=s.start + head[-1].start + head[-1].duration)
                    for s in head]
    assert repeated_windows(again) > 0


@pytest.mark.models
def test_a_short_slice_through_perception_keeps_every_fact_in_less_space(tmp_path):
    result = run_real_stream(tmp_path, minutes=1.0, rate_hz=0.3,
                             memory_overrides={'short_term_window_s': 8.0,
                                               'compress_period_s': 6.0},
                             log=lambda *a: None)
    ours, base = result['runs']['compressed'], result['runs']['uncompressed']
    assert result['frames'] >= 15 and result['clips_stored'] >= 2, result
    assert result['facts'] >= 4
    assert base['answered'] == result['facts'], base['missed']
    assert ours['answered'] == base['answered'], ours['missed']
    assert ours['bytes']['keyframes'] < base['bytes']['keyframes'] / 2
    assert ours['counts'].get('episode/long', 0) >= 1
    assert ours['items'] <= base['items']
