"""Every binding's outputs equal the command line's on the corpus
(tests/fixtures/bindings, written by the CLI and kept current by
tests/bindings_corpus.rs)."""

import json

import pytest

import judgement
from conftest import RULESETS, RULESETS_DIR, loaded, read_corpus, sources_of


def pretty(text):
    """The CLI's pretty form of one outcome (serde_json's: two spaces, `: `,
    non-ASCII as it is) from its line form."""
    return json.dumps(json.loads(text), indent=2, ensure_ascii=False)


@pytest.mark.parametrize("ruleset", RULESETS)
def test_load_from_a_path(ruleset):
    r = judgement.Ruleset.load(str(RULESETS_DIR / ruleset))
    assert r.name == ruleset
    assert r.editions
    assert ruleset in repr(r)


@pytest.mark.parametrize("ruleset", RULESETS)
@pytest.mark.parametrize("compact", [False, True])
def test_evaluate_lines_is_the_cli_byte_for_byte(ruleset, compact):
    records = read_corpus(f"{ruleset}.jsonl")
    want = read_corpus(f"{ruleset}.{'compact' if compact else 'out'}.jsonl")
    assert loaded(ruleset).evaluate_lines(records, compact=compact) == want


@pytest.mark.parametrize("ruleset", RULESETS)
def test_from_sources_gives_the_same(ruleset):
    r = judgement.Ruleset.from_sources(sources_of(ruleset))
    assert r.name == ruleset
    records = read_corpus(f"{ruleset}.jsonl")
    assert r.evaluate_lines(records) == read_corpus(f"{ruleset}.out.jsonl")
    assert r.evaluate_lines(records, compact=True) == read_corpus(
        f"{ruleset}.compact.jsonl"
    )


@pytest.mark.parametrize("ruleset", RULESETS)
def test_each_record_as_a_dict_and_as_text(ruleset):
    r = loaded(ruleset)
    records = read_corpus(f"{ruleset}.jsonl").splitlines()
    full = read_corpus(f"{ruleset}.out.jsonl").splitlines()
    compact = read_corpus(f"{ruleset}.compact.jsonl").splitlines()
    assert len(records) == len(full) == len(compact)
    for record, want, want_compact in zip(records, full, compact):
        evidence = json.loads(record)
        assert r.evaluate(evidence) == json.loads(want)
        assert r.evaluate(record) == json.loads(want)
        assert r.evaluate(evidence, compact=True) == json.loads(want_compact)
        text = r.evaluate_json(record)
        assert text == pretty(want)
        assert not text.endswith("\n")
        assert r.evaluate_json(evidence, compact=True) == pretty(want_compact)


def test_the_pretty_form_is_what_python_writes():
    # The comparison above holds only if json.dumps(indent=2) and serde_json's
    # pretty printer agree; they do on strings with escapes, non-ASCII text,
    # numbers and empty containers.
    sample = '{"a":[],"b":{},"c":"\\u0001\\"\\\\ é ✓","d":[1,2.5,-3],"e":null}'
    assert pretty(sample) == (
        '{\n  "a": [],\n  "b": {},\n  "c": "\\u0001\\"\\\\ é ✓",\n'
        '  "d": [\n    1,\n    2.5,\n    -3\n  ],\n  "e": null\n}'
    )


@pytest.mark.parametrize("ruleset", RULESETS)
def test_the_rulesets_own_tests_pass(ruleset):
    reports = loaded(ruleset).run_tests()
    assert reports
    for report in reports:
        assert set(report) == {"edition", "name", "passed", "failures"}
        assert report["passed"], report
