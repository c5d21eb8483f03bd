"""The rest of the API: explain, schema, options, warnings, the ways to
load, and evaluation from several threads at once."""

import json
import pathlib
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import judgement
from conftest import RULESETS, RULESETS_DIR, loaded, read_corpus, sources_of

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"


def test_explain_names_every_judgement(homes, good_home):
    text = homes.explain(good_home, "home.json")
    assert text.startswith("Ruleset childrens_homes, edition 2015-04")
    assert "Evidence: home.json" in text
    for key, value in homes.evaluate(good_home)["judgements"].items():
        heading = key.replace("_", " ").capitalize()
        assert f"  {heading}: " in text
        if value is not None:
            assert f"  {heading}: {value}" in text
    # The default name, and JSON text as evidence.
    assert "Evidence: evidence," in homes.explain(json.dumps(good_home))


def test_why_not_as_text_and_as_data(homes, good_home):
    text = homes.why_not(good_home, "overall=outstanding")
    assert text.startswith("Why is overall not outstanding?\n")
    data = homes.why_not(json.dumps(good_home), "action:consider_enforcement", as_data=True)
    assert data["kind"] == "effect" and data["effect"] == "action"
    assert data["name"] == "consider_enforcement"
    assert "no_application_within_90_days" in [r["rule"] for r in data["rules"]]
    assert data["given"] == ("consider_enforcement" in [
        a["action"] for a in homes.evaluate(good_home)["actions"]
    ])
    with pytest.raises(judgement.JudgementError) as info:
        homes.why_not(good_home, "overal=good")
    assert info.value.kind == "usage"
    assert "did you mean `overall`?" in info.value.message


def test_trace_and_edition_options(homes, good_home):
    plain = homes.evaluate(good_home)
    traced = homes.evaluate(good_home, trace=True)
    assert "trace" not in plain and traced["trace"]
    assert homes.evaluate(good_home, edition="2015-04") == plain


def test_schema_is_the_evidence_json_schema(homes):
    schema = homes.schema()
    assert schema["type"] == "object"
    assert "inspection" in schema["properties"]
    assert schema["additionalProperties"] is False
    assert homes.schema("2015-04") == schema
    assert homes.schema(allow_unknown_fields=True) != schema


def test_name_editions_and_warnings():
    r = judgement.Ruleset.load(RULESETS_DIR / "childrens_homes" / "2015-04.rules")
    assert r.name == "childrens_homes"
    assert r.editions == ["2015-04"]
    assert r.warnings == []
    from test_errors import CONFLICTS

    unused = judgement.Ruleset.from_sources(
        {"u.rules": CONFLICTS + "\nthreshold longest_visit = 2 days\n"})
    assert unused.warnings
    assert {w["severity"] for w in unused.warnings} == {"warning"}
    assert all(w["file"] == "u.rules" and w["line"] for w in unused.warnings)


def test_from_sources_takes_pairs_too():
    files = sources_of("monitoring_visits")
    r = judgement.Ruleset.from_sources(list(files.items()))
    records = read_corpus("monitoring_visits.jsonl")
    assert r.evaluate_lines(records) == read_corpus("monitoring_visits.out.jsonl")


def test_the_package_exports():
    assert judgement.__version__
    assert set(judgement.__all__) == {"JudgementError", "Ruleset", "__version__"}
    assert issubclass(judgement.JudgementError, Exception)


def test_evaluate_from_many_threads_at_once():
    work = []
    for ruleset in RULESETS:
        records = read_corpus(f"{ruleset}.jsonl").splitlines()
        want = read_corpus(f"{ruleset}.out.jsonl").splitlines()
        work.extend((ruleset, r, w) for r, w in zip(records, want))
    start = threading.Barrier(8)

    def run(chunk):
        start.wait()
        for ruleset, record, want in chunk:
            assert loaded(ruleset).evaluate_json(record) == json.dumps(
                json.loads(want), indent=2, ensure_ascii=False)
        return len(chunk)

    with ThreadPoolExecutor(max_workers=8) as pool:
        done = sum(pool.map(run, [work[i::8] * 3 for i in range(8)]))
    assert done == 3 * len(work)


def test_lines_from_many_threads_at_once():
    records = read_corpus("childrens_homes.jsonl")
    want = read_corpus("childrens_homes.out.jsonl")
    r = judgement.Ruleset.from_sources(sources_of("childrens_homes"))
    with ThreadPoolExecutor(max_workers=4) as pool:
        outs = list(pool.map(lambda _: r.evaluate_lines(records), range(8)))
    assert outs == [want] * 8


def test_the_readme_example_runs(monkeypatch, capsys):
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"),
                        re.S)
    assert blocks, "README.md has a python example"
    example = blocks[0]
    assert len([x for x in example.splitlines() if x.strip()]) <= 10
    monkeypatch.chdir(RULESETS_DIR.parent)
    exec(compile(example, str(README), "exec"), {})
    printed = capsys.readouterr().out
    assert "overall: requires_improvement" in printed
    assert "evidence bedz not a field" in printed


def test_evaluation_releases_the_gil():
    # While one thread evaluates a long batch, this one runs Python code. A
    # call holding the GIL would stop it for as long as the call takes (a
    # regular expression that backtracks does: its longest pause is the
    # call's whole time).
    records = read_corpus("childrens_homes.jsonl") * 60
    r = loaded("childrens_homes")
    done = threading.Event()
    took = []

    def work():
        t0 = time.perf_counter()
        out = r.evaluate_lines(records)
        took.append(time.perf_counter() - t0)
        done.set()
        assert out == read_corpus("childrens_homes.out.jsonl") * 60

    t = threading.Thread(target=work)
    last = time.perf_counter()
    pause = 0.0
    t.start()
    while not done.is_set():
        now = time.perf_counter()
        pause = max(pause, now - last)
        last = now
    t.join()
    assert pause < took[0] / 2, (pause, took)
