"""Shared fixtures: the repository's rulesets and the bindings corpus."""

from pathlib import Path

import pytest

import judgement

ROOT = Path(__file__).resolve().parents[3]
RULESETS_DIR = ROOT / "rulesets"
CORPUS_DIR = ROOT / "tests" / "fixtures" / "bindings"
RULESETS = [
    "childrens_homes",
    "inspection_process",
    "la_child_protection",
    "monitoring_visits",
    "voluntary_adoption_agencies",
]


def sources_of(ruleset):
    """A ruleset's rule files, the calendars and the definitions, as
    {label: text} with labels relative to rulesets/ (as the Rust corpus test
    gives them to Engine::from_files)."""
    files = {}
    for folder in [ruleset, "calendars", "definitions"]:
        for path in sorted((RULESETS_DIR / folder).iterdir()):
            if path.suffix in (".rules", ".calendar"):
                label = path.relative_to(RULESETS_DIR).as_posix()
                files[label] = path.read_text(encoding="utf-8")
    return files


def read_corpus(name):
    return (CORPUS_DIR / name).read_text(encoding="utf-8")


_loaded = {}


def loaded(ruleset):
    """Each ruleset loaded once from its folder, shared by the tests."""
    if ruleset not in _loaded:
        _loaded[ruleset] = judgement.Ruleset.load(RULESETS_DIR / ruleset)
    return _loaded[ruleset]


@pytest.fixture
def homes():
    return loaded("childrens_homes")


@pytest.fixture
def good_home():
    """The first record of the children's homes corpus, as a dict."""
    import json

    return json.loads(read_corpus("childrens_homes.jsonl").splitlines()[0])
