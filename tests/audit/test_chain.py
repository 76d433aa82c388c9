from __future__ import annotations

import datetime as dt
import json

from hypothesis import given
from hypothesis import strategies as st

from madoguchi.audit.chain import CHAINED_FIELDS, _dumps, canonical_values, row_digest

texts = st.text(max_size=40)


@given(st.lists(st.one_of(st.none(), st.booleans(), st.integers(), texts,
                          st.lists(st.integers(min_value=0, max_value=2**53), max_size=5)), max_size=20))
def test_fast_encoder_writes_exactly_what_json_dumps_writes(values):
    expected = json.dumps(["0" * 64, values], ensure_ascii=False, separators=(",", ":"))
    assert _dumps(["0" * 64, values]) == expected


@given(st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1),
                    timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=9))])))
def test_a_moment_hashes_the_same_in_any_time_zone_and_as_stored_text(moment):
    fields = dict.fromkeys(CHAINED_FIELDS, "")
    fields.update(resident_ids=[], allowed=True, break_glass=False)
    utc = moment.astimezone(dt.UTC)
    as_text = utc.replace(tzinfo=None).isoformat(timespec="microseconds") + "+00:00"
    digests = {row_digest("0" * 64, {**fields, "at": value}) for value in (moment, utc, as_text)}
    assert len(digests) == 1


def test_residents_read_back_as_json_text_hash_like_the_list():
    base = dict.fromkeys(CHAINED_FIELDS, "")
    base.update(allowed=1, break_glass=0)
    as_list = canonical_values([{**base, "resident_ids": [1, 2]}[n] for n in CHAINED_FIELDS])
    as_text = canonical_values([{**base, "resident_ids": "[1, 2]"}[n] for n in CHAINED_FIELDS])
    assert as_list == as_text
    assert as_list[CHAINED_FIELDS.index("allowed")] is True
