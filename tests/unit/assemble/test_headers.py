"""Document records (assemble/records.py) kept on disk come back one authority at a time, in
arrival order, unchanged; and linking one authority at a time gives the rows linking every
document at once gives."""

from __future__ import annotations

import copy

from ofsted_findings.assemble import records
from ofsted_findings.assemble.duplicates import drop_same_bytes
from ofsted_findings.assemble.link import link_tables
from ofsted_findings.assemble.records import UNLINKED, RecordStore, link_group, record_of
from ofsted_findings.assemble.rows import inspection_row


def _lights(results):
    results = drop_same_bytes(copy.deepcopy(results))
    return [record_of(r, r.rows.get("judgements", [])) for r in results]


def test_a_record_keeps_what_linking_reads_only(sample_results):
    r = next(r for r in sample_results if r.rows.get("judgements"))
    light = record_of(r, r.rows["judgements"])
    assert not hasattr(light, "cleaned_text") and not hasattr(light, "rows") and light.facts.facts == []
    assert light.facts.warnings == [] and len(light.judgements) == len(r.rows["judgements"])
    assert set(light.judgements[0]) == set(records.LINK_JUDGEMENT_KEYS)
    assert (light.document_id, light.facts.authority, light.facts.start_date) == (
        r.document_id, r.facts.authority, r.facts.start_date,
    )


def test_records_round_trip_one_authority_at_a_time_in_arrival_order(tmp_path, mixed_results):
    lights = _lights(mixed_results)
    store = RecordStore(tmp_path)
    store.add(lights[:7])
    store.add(lights[7:])
    groups = list(store.groups())
    assert sorted(seq for group in groups for seq, _ in group) == list(range(len(lights)))
    for group in groups:
        seqs = [seq for seq, _ in group]
        assert seqs == sorted(seqs)
        assert len({link_group(h) for _, h in group}) == 1
        for seq, header in group:
            assert header == lights[seq]
    assert len(groups) > 5  # the generated corpus spreads over several authorities


def test_unlinked_records_come_back_in_chunks(tmp_path, mixed_results, monkeypatch):
    monkeypatch.setattr(records, "UNLINKED_CHUNK", 1)
    lights = [h for h in _lights(mixed_results) if link_group(h) == UNLINKED]
    assert len(lights) >= 2  # the empty file and the copy
    store = RecordStore(tmp_path)
    store.add(lights)
    assert [len(group) for group in store.groups()] == [1] * len(lights)


def test_linking_one_authority_at_a_time_gives_the_same_rows(tmp_path, mixed_results):
    at_once = _lights(mixed_results)
    documents, inspections, earlier = link_tables(at_once)
    assert any(not i.dates_known for i in inspections) and earlier  # undated press, earlier judgements
    store = RecordStore(tmp_path)
    store.add(_lights(mixed_results))
    by_group = ([], [], {})
    for group in store.groups():
        rows, found, links = link_tables([h for _, h in group])
        by_group[0].extend(rows)
        by_group[1].extend(found)
        by_group[2].update(links)
    key = lambda row: row["document_id"]  # noqa: E731
    assert sorted(by_group[0], key=key) == sorted(documents, key=key)
    rows = lambda found: sorted((inspection_row(i) for i in found), key=lambda r: r["inspection_id"])  # noqa: E731
    assert rows(by_group[1]) == rows(inspections)
    assert by_group[2] == earlier
