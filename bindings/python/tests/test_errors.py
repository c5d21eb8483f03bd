"""Errors as data: every failure is a judgement.JudgementError with the
engine's errors (kind, message, JSON path or file:line:col, rule and
citation); nothing panics across the boundary, whatever the input."""

import os
import random
import threading

import pytest

import judgement

CONFLICTS = '''ruleset conflicts "Conflicting constraints"
  in force from 2015-04-01

scale grade: outstanding > good > requires_improvement > inadequate

evidence
  proposed.overall: grade
  flags.outstanding_practice: bool
  flags.serious_failure: bool

judgement overall: grade from proposed.overall

rule outstanding_practice "para 1"
  when flags.outstanding_practice
  then overall at least good

rule serious_failure "para 2"
  when flags.serious_failure
  then overall at most requires_improvement
'''

ATTRIBUTES = ["kind", "severity", "message", "help", "path", "file", "line",
              "column", "rule", "cite"]


def raised(call, *args, **kwargs):
    with pytest.raises(judgement.JudgementError) as info:
        call(*args, **kwargs)
    e = info.value
    assert isinstance(e, Exception)
    assert e.errors and all(isinstance(x, dict) for x in e.errors)
    for name in ATTRIBUTES:
        assert hasattr(e, name)
    assert e.kind == e.errors[0]["kind"]
    assert e.message == e.errors[0]["message"]
    assert str(e)
    return e


def test_bad_json_has_its_line_and_column(homes):
    e = raised(homes.evaluate, '{\n  "inspection": ,\n}')
    assert e.kind == "json"
    assert (e.line, e.column) == (2, 17)
    assert e.message.startswith("not valid JSON")
    assert e.path is None and e.file is None
    assert str(e) == "line 2, column 17: " + e.message


def test_an_unknown_key_is_an_evidence_error_at_its_path(homes, good_home):
    good_home["home"]["bedz"] = 3
    e = raised(homes.evaluate, good_home)
    assert e.kind == "evidence"
    assert e.path == "home.bedz"
    assert "home.bedz" in str(e)
    # Allowed, it is a warning in the outcome instead.
    assert homes.evaluate(good_home, allow_unknown_fields=True)["judgements"]


def test_every_evidence_error_is_listed(homes):
    e = raised(homes.evaluate, {"nope": 1})
    assert len(e.errors) > 1
    assert {x["kind"] for x in e.errors} == {"evidence"}
    assert "nope" in {x["path"] for x in e.errors}
    assert str(e).count("\n") == len(e.errors) - 1


def test_a_syntax_error_has_its_file_line_and_column():
    e = raised(judgement.Ruleset.from_sources,
               {"broken/2015-04.rules": 'ruleset x "y"\n  edition'})
    assert e.kind == "syntax"
    assert (e.file, e.line, e.column) == ("broken/2015-04.rules", 2, 10)
    assert str(e).startswith("broken/2015-04.rules:2:10: ")


def test_a_check_error_from_a_file_on_disk(tmp_path):
    (tmp_path / "x.rules").write_text(
        CONFLICTS.replace("from proposed.overall", "from proposed.overal"),
        encoding="utf-8")
    e = raised(judgement.Ruleset.load, tmp_path / "x.rules")
    assert e.kind == "check"
    assert e.file == str(tmp_path / "x.rules")
    assert e.line == 11 and e.column


def test_an_evaluation_error_names_the_rule_and_its_citation():
    r = judgement.Ruleset.from_sources({"conflicts.rules": CONFLICTS})
    e = raised(r.evaluate, {"proposed": {"overall": "good"},
                            "flags": {"outstanding_practice": True,
                                      "serious_failure": True}})
    assert e.kind == "evaluation"
    assert (e.rule, e.cite) == ("outstanding_practice", "para 1")
    assert "floor above its cap" in str(e)
    # Placed at the floor's rule, as the message names both.
    assert (e.file, e.line, e.column) == ("conflicts.rules", 13, 6)


def test_a_bad_calendar_is_a_calendar_error():
    e = raised(judgement.Ruleset.from_sources,
               {"calendars/x.calendar": "junk\n", "c.rules": CONFLICTS})
    assert e.kind == "calendar"
    assert (e.file, e.line, e.column) == ("calendars/x.calendar", 1, 1)


def test_no_such_edition(homes, good_home):
    e = raised(homes.evaluate, good_home, edition="1999-01")
    assert e.kind == "edition"
    e = raised(homes.schema, "1999-01")
    assert e.kind == "edition"


def test_no_such_path():
    e = raised(judgement.Ruleset.load, "/no/such/ruleset")
    assert e.kind == "io"
    assert e.file == "/no/such/ruleset"


def test_no_rule_files():
    assert raised(judgement.Ruleset.from_sources, {}).kind == "load"


@pytest.mark.parametrize("text", [
    "",
    "\n\n\n",
    "\ufeff",
    "\x00" * 1000,
    "ruleset",
    'ruleset x "y"\n' + "let a = " + "(" * 100_000,
    "x" * (2 << 20),
    "ruleset x \"y\"\n" + "# é ✓\n" * 100_000 + "junk",
])
def test_hostile_rule_texts_are_errors_not_crashes(text):
    e = raised(judgement.Ruleset.from_sources, {"x.rules": text})
    assert e.kind in ("syntax", "check", "io", "load")
    if text.endswith("junk"):
        assert (e.line, e.column) == (100_002, 1)


def test_binary_junk_is_an_error_not_a_crash(tmp_path):
    rng = random.Random(7)
    for i in range(20):
        junk = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4000)))
        text = junk.decode("latin-1")
        raised(judgement.Ruleset.from_sources, {f"junk{i}.rules": text})
        raised(judgement.Ruleset.from_sources, {f"calendars/j{i}.calendar": text,
                                                "c.rules": CONFLICTS})
        path = tmp_path / f"junk{i}.rules"
        path.write_bytes(junk)
        raised(judgement.Ruleset.load, path)
    (tmp_path / "big.rules").write_bytes(os.urandom(2 << 20))
    assert raised(judgement.Ruleset.load, tmp_path / "big.rules").kind == "io"


@pytest.mark.parametrize("evidence", [
    "",
    "null",
    "[]",
    "1e999999",
    "\x00",
    "[" * 100_000,
    '{"a":' * 100_000,
    '"' + "x" * (2 << 20) + '"',
    {"inspection": {"start": "2015-02-30"}},
])
def test_hostile_evidence_is_an_error_not_a_crash(homes, evidence):
    e = raised(homes.evaluate, evidence)
    assert e.kind in ("json", "evidence", "edition")
    raised(homes.explain, evidence)
    assert '"error"' in homes.evaluate_lines(
        evidence if isinstance(evidence, str) and evidence.strip() else "[]")


def test_python_values_json_cannot_write_are_python_errors(homes):
    with pytest.raises(TypeError):
        homes.evaluate({"when": object()})
    with pytest.raises(TypeError):
        homes.evaluate(42.5j)
    # JSON has no NaN or infinity: json.dumps says so, where the engine
    # could only point at text the caller never wrote.
    for number in (float("nan"), float("inf"), float("-inf")):
        with pytest.raises(ValueError):
            homes.evaluate({"home": {"secure": False, "children_placed": number}})


def test_wrong_argument_types_are_python_errors():
    with pytest.raises(TypeError):
        judgement.Ruleset.from_sources(42)
    with pytest.raises(TypeError):
        judgement.Ruleset.from_sources({"x.rules": b"bytes"})
    with pytest.raises(TypeError):
        judgement.Ruleset.load(None)
    with pytest.raises(UnicodeEncodeError):
        judgement.Ruleset.from_sources({"x.rules": "\ud800"})
    # A pair of the wrong length is a wrong type too (audit 33 F5).
    for pairs in ([("a",)], [("a", "b", "c")]):
        with pytest.raises(TypeError, match="length"):
            judgement.Ruleset.from_sources(pairs)


def test_a_lone_surrogate_in_any_text_is_a_unicode_error(homes):
    # Text that cannot be UTF-8, wherever it is given (audit 33 F4).
    with pytest.raises(UnicodeEncodeError):
        homes.evaluate('{"id": "\ud800"}')
    with pytest.raises(UnicodeEncodeError):
        homes.why_not("{}", "\ud800")
    with pytest.raises(UnicodeEncodeError):
        judgement.Ruleset.load("\ud800")


def test_the_exception_is_catchable_as_exception():
    try:
        judgement.Ruleset.load("/no/such/ruleset")
    except Exception as e:  # noqa: BLE001 - the point of the test
        assert type(e) is judgement.JudgementError
        assert type(e).__module__ == "judgement"


def test_hostile_input_on_a_small_thread_stack():
    # Python threads may run with little stack; the engine's nesting limits
    # must hold there too (a stack overflow would abort the interpreter).
    from conftest import loaded

    results = []

    def run():
        homes = loaded("childrens_homes")
        for evidence in ["[" * 100_000, '{"a":' * 100_000]:
            try:
                homes.evaluate(evidence)
            except judgement.JudgementError as e:
                results.append(e.kind)
        try:
            judgement.Ruleset.from_sources(
                {"x.rules": 'ruleset x "y"\n' + "let a = " + "(" * 100_000})
        except judgement.JudgementError as e:
            results.append(e.kind)
        # At the limits (64 brackets deep, 256 operands) rather than past them.
        deep = "(" * 64 + "flags.serious_failure" + ")" * 64
        long = " and ".join(["flags.serious_failure"] * 256)
        evidence = {"proposed": {"overall": "good"},
                    "flags": {"outstanding_practice": False, "serious_failure": True}}
        for let in [deep, long]:
            text = CONFLICTS + f"""
let a = {let}

rule uses_a "para 3"
  when a
  then overall at least inadequate
"""
            r = judgement.Ruleset.from_sources({"x.rules": text})
            r.explain(evidence)
            results.append(r.evaluate(evidence, trace=True)["judgements"]["overall"])

    old = threading.stack_size(1 << 20)
    try:
        t = threading.Thread(target=run)
        t.start()
        t.join()
    finally:
        threading.stack_size(old)
    assert results == ["json", "json", "syntax",
                       "requires_improvement", "requires_improvement"]
