"""docs/errors.md is the catalogue the code makes, not a list kept by hand."""

from __future__ import annotations

from unionctl.catalogue import ROOT, catalogue, markdown


def test_docs_errors_md_is_what_the_code_raises() -> None:
    written = (ROOT / "docs" / "errors.md").read_text()
    assert written == markdown(catalogue()), "stale: run `uv run unionctl errors > docs/errors.md`"


def test_every_code_has_its_status_and_the_known_ones_theirs() -> None:
    codes = catalogue()
    # http_error: any other status the HTTP layer answers (405 aside), as it came
    assert [c for c, e in codes.items() if not e.statuses] == ["http_error"]
    expected = {
        "already_paid": {409},
        "claim_not_found": {404},
        "invalid_national_id": {422},
        "unauthenticated": {401},
        "internal_error": {500},
        "batch_too_large": {413},
    }
    assert {code: codes[code].statuses for code in expected} == expected
    assert codes["already_paid"].places == {"claims"}
    assert codes["invalid_request"].places == {"toolkit"}
