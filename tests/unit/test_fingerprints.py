"""A row's fingerprint is one text per value, however it is computed: the fast path used for
bulk seals (app/audit_hashes.fingerprint_values) gives exactly sha256(canonical(...))."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from app.audit_hashes import canonical, fingerprint_values

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.text(),
                    st.floats(allow_nan=False), st.datetimes(), st.dates(),
                    st.sampled_from(["客户\n投诉", "\x00\x1f\u2028", "'\"\\", "😀"]))
JSONISH = st.recursive(SCALARS.filter(lambda v: not isinstance(v, (datetime, date))),
                       lambda inner: st.one_of(st.lists(inner, max_size=3),
                                               st.dictionaries(st.text(max_size=5), inner,
                                                               max_size=3)), max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(["complaints", "customers"]),
       values=st.lists(st.one_of(SCALARS, JSONISH), max_size=25))
def test_the_fast_fingerprint_is_the_canonical_one(name: str, values: list[object]) -> None:
    expected = hashlib.sha256(canonical([name, values]).encode("utf-8")).hexdigest()
    assert fingerprint_values(name, tuple(values)) == expected
    assert fingerprint_values(name, values) == expected
