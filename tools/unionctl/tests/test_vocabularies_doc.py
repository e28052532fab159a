"""docs/vocabularies.md is the catalogue of closed lists the code makes, not a list kept by hand."""

from __future__ import annotations

from union_events.published import vocabularies as v
from unionctl.catalogue import ROOT
from unionctl.vocabularies import catalogue, markdown


def test_docs_vocabularies_md_is_what_the_code_defines() -> None:
    written = (ROOT / "docs" / "vocabularies.md").read_text()
    stale = "stale: run `uv run unionctl vocabularies > docs/vocabularies.md`"
    assert written == markdown(catalogue()), stale


def test_each_list_is_shown_with_its_labels_and_where_it_is_an_enum() -> None:
    listed = {x.name: x for x in catalogue()}
    assert list(listed) == list(v.VOCABULARIES)
    codes = listed["rejection_codes"]
    assert (codes.type_name, codes.values, codes.labels["over_cap"]) == (
        "RejectionCode",
        v.REJECTION_CODES,
        "已达封顶",
    )
    assert codes.meaning.startswith("Why a claim is not paid")
    assert "`union.claims.claim.rejected.v1` `code`" in codes.events
    assert "claims `RejectIn.code`" in codes.http
    reasons = listed["return_reasons"]
    assert (reasons.type_name, reasons.labels["missing_documents"]) == ("ReturnReason", "材料不全")
    assert reasons.events == []  # `claim.returned` is not published
    assert {"claims `ReturnIn.code`", "claims `ClaimOut.returned_code`"} <= set(reasons.http)
    statuses = listed["claim_statuses"]
    assert "claims `GET /claims ?status` (+ `awaiting_approval`)" in statuses.http
    assert "relief `GET /applications ?status`" in listed["application_statuses"].http
    assert all(x.meaning for x in listed.values()), [n for n, x in listed.items() if not x.meaning]
