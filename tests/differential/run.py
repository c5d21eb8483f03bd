#!/usr/bin/env python3
"""Differential test: the engine against the corpus models on generated records.

For each ruleset: generate records (gen_<ruleset>.py), write them as one JSON
Lines file, evaluate them with one `judgement eval --compact` run, work out
each record's expectation with the ruleset's model
(tests/fixtures/eval/<ruleset>/check_expect.py, imported, not copied) and
compare: judgements, actions, deadlines, findings and advisory rules, and
which records are refused and why (the edition, an invalid check, a working
day outside the calendar's years). Prints a line a ruleset and the first
differences; exit status 1 on any difference. Standard library only.

    python3 tests/differential/run.py [--count N] [--seed S] [--judgement PATH]

See README.md beside this file."""
import argparse
import importlib.util
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
EVAL = os.path.join(ROOT, "tests", "fixtures", "eval")
CALENDAR = os.path.join(ROOT, "rulesets", "calendars", "england_and_wales.calendar")
sys.path.insert(0, HERE)
sys.path.insert(0, EVAL)
import bank_holidays  # noqa: E402

RULESETS = ["childrens_homes", "inspection_process", "la_child_protection", "monitoring_visits",
            "voluntary_adoption_agencies"]


def load(name):
    """The ruleset's generator and its corpus model."""
    gen = __import__("gen_" + name)
    spec = importlib.util.spec_from_file_location("model_" + name, os.path.join(EVAL, name, "check_expect.py"))
    model = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(model)
    return gen, model


def keyed(name, item):
    return f"{name}[{item}]" if item is not None else name


def observed(o, unmodelled):
    """The engine's compact outcome in the shape of a model's expectation (as
    tests/snapshots.rs compares them), and any deadline given two dates."""
    deadlines, twice = {}, []
    for d in o["deadlines"]:
        k, when = keyed(d["deadline"], d.get("item")), d["date"] if "date" in d else [d["from"], d["to"]]
        if k in deadlines and deadlines[k] != when:
            twice.append(k)
        deadlines[k] = when

    def kept(names):
        return sorted({n for n in names if n.split("[")[0] not in unmodelled})
    return {"judgements": o["judgements"],
            "actions": kept(keyed(a["action"], a.get("item")) for a in o["actions"]),
            "deadlines": dict(sorted(deadlines.items())),
            "findings": kept(keyed(f["finding"], f.get("item")) for f in o["findings"]),
            "advisory_rules": kept(o["advisories"])}, twice


def normalised(x):
    return {"judgements": x["judgements"], "actions": sorted(set(x["actions"])),
            "deadlines": dict(sorted(x["deadlines"].items())), "findings": sorted(set(x.get("findings", []))),
            "advisory_rules": sorted(set(x["advisory_rules"]))}


def why_refused(message):
    """The engine's reasons for refusing a record: ["edition"], ["calendar"],
    the names of the invalid checks it breaks (all of them), or the message."""
    if message.startswith("no edition of"):
        return ["edition"]
    if "is outside the years of the calendar" in message:
        return ["calendar"]
    return sorted(set(re.findall(r"\(invalid `(\w+)`", message))) or [message]


def predicted(gen, model, e):
    """('refused', reasons) or ('evaluated', expectation) or ('error', message)."""
    why = gen.refused(e)
    if why:
        return "refused", why
    try:
        return "evaluated", normalised(gen.expect(model, e))
    except bank_holidays.OutOfCalendar:
        return "refused", ["calendar"]
    except Exception as x:  # the model cannot evaluate the record: a difference to look at
        return "error", f"{type(x).__name__}: {x}"


def differences(want, got, twice, strict):
    """What differs between a model's expectation and the engine's outcome."""
    out = []
    for j in sorted(set(want["judgements"]) | set(got["judgements"])):
        w, g = want["judgements"].get(j, "(none)"), got["judgements"].get(j, "(none)")
        if w != g:
            out.append(f"judgement {j}: engine {g}, model {w}")
    for k in ("actions", "findings", "advisory_rules"):
        if want[k] != got[k]:
            engine_only, model_only = sorted(set(got[k]) - set(want[k])), sorted(set(want[k]) - set(got[k]))
            out.append(f"{k}: engine only {engine_only}, model only {model_only}")
    for k in sorted(set(want["deadlines"]) | set(got["deadlines"])):
        w, g = want["deadlines"].get(k), got["deadlines"].get(k)
        if w != g:
            out.append(f"deadline {k}: engine {g}, model {w}")
    for k in twice:
        out.append(f"deadline {k}: the engine gives it two dates")
    if strict and got.get("undetermined"):
        out.append(f"undetermined: {got['undetermined']} (every field its rules read is given)")
    return out


def run(name, count, seed, binary, folder):
    """Start one ruleset's batch: generate, write and start the engine on it."""
    gen, model = load(name)
    R = random.Random(f"{seed}/{name}")
    lines = [json.dumps(gen.record(R, i)) for i in range(count)]
    path = os.path.join(folder, name + ".jsonl")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    out = open(os.path.join(folder, name + ".out.jsonl"), "w+", encoding="utf-8")
    err = open(os.path.join(folder, name + ".err.txt"), "w+", encoding="utf-8")
    rules = os.path.join(ROOT, gen.RULES)
    engine = subprocess.Popen([binary, "eval", "--compact", "--threads", "1", "--ruleset", rules, path],
                              stdout=out, stderr=err, cwd=ROOT)
    return gen, model, lines, engine, out, err


def check(name, gen, model, lines, engine, out, err, show):
    """Compare one ruleset's batch; (counts, the first differences shown)."""
    want = [predicted(gen, model, json.loads(line)) for line in lines]
    code = engine.wait()
    out.seek(0)
    outcomes = [json.loads(line) for line in out if line.strip()]
    if code not in (0, 1) or len(outcomes) != len(lines):
        err.seek(0)
        sys.exit(f"{name}: the engine exited {code} with {len(outcomes)} outcomes for {len(lines)} records:\n"
                 + err.read()[-2000:])
    counts = {"records": len(lines), "refused by both": 0, "agree": 0, "differ": 0}
    shown = []
    unmodelled = getattr(gen, "UNMODELLED", set())
    strict = getattr(gen, "ALL_KNOWN", False)
    for n, (line, (kind, expectation), o) in enumerate(zip(lines, want, outcomes), 1):
        if o.get("line", n) != n or o.get("id", json.loads(line)["id"]) != json.loads(line)["id"]:
            sys.exit(f"{name}: the engine's outcome {n} is not for record {n}: {json.dumps(o)[:200]}")
        if "error" in o:
            reasons = why_refused(o["error"])
            engine_side = f"refused: {o['error']}"
            if kind == "refused" and reasons == sorted(set(expectation)):
                counts["refused by both"] += 1
                continue
            diff = [f"the engine refuses it for {reasons}"
                    + (f"; the model for {sorted(set(expectation))}" if kind == "refused" else "")]
        else:
            got, twice = observed(o, unmodelled)
            got["undetermined"] = o.get("undetermined") or []
            engine_side = json.dumps(got)
            if kind == "evaluated":
                diff = differences(expectation, got, twice, strict)
                if not diff:
                    counts["agree"] += 1
                    continue
            elif kind == "refused":
                diff = [f"the engine evaluates it; the model refuses it for {sorted(set(expectation))}"]
            else:
                diff = [f"the model fails: {expectation}"]
        counts["differ"] += 1
        if len(shown) < show:
            model_side = json.dumps(expectation) if kind != "refused" else f"refused: {expectation}"
            shown.append("\n".join([f"  {json.loads(line).get('id')}: " + "; ".join(diff),
                                    f"    record: {line}", f"    engine: {engine_side}", f"    model:  {model_side}"]))
    return counts, shown


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--count", type=int, default=3000, help="records a ruleset (default 3000)")
    p.add_argument("--seed", type=int, default=None,
                   help="the seed (default: $DIFFERENTIAL_SEED, else a new one, printed)")
    p.add_argument("--judgement", default=os.environ.get("JUDGEMENT", os.path.join(ROOT, "target", "release", "judgement")),
                   help="the binary (default: $JUDGEMENT, else target/release/judgement)")
    p.add_argument("--ruleset", action="append", choices=RULESETS, help="only this ruleset (repeatable)")
    p.add_argument("--show", type=int, default=3, help="differences shown a ruleset (default 3)")
    p.add_argument("--keep", metavar="DIR", help="write the records and the engine's outcomes to DIR, and keep them")
    args = p.parse_args()
    seed = args.seed
    if seed is None:
        seed = int(os.environ.get("DIFFERENTIAL_SEED") or random.SystemRandom().randrange(10 ** 6))
    if not os.access(args.judgement, os.X_OK):
        sys.exit(f"no judgement binary at {args.judgement} (cargo build --release, or --judgement PATH)")
    wrong = bank_holidays.calendar_file_differences(CALENDAR)
    if wrong:
        sys.exit(f"tests/fixtures/eval/bank_holidays.py and {CALENDAR} differ on {', '.join(map(str, wrong))}")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="differential.") as tmp:
        folder = args.keep or tmp
        os.makedirs(folder, exist_ok=True)
        names = args.ruleset or RULESETS
        batches = [(name, run(name, args.count, seed, args.judgement, folder)) for name in names]
        failed = False
        for name, batch in batches:
            counts, shown = check(name, *batch, args.show)
            print(f"{name:28} " + ", ".join(f"{v} {k}" for k, v in counts.items()))
            for s in shown:
                print(s)
            failed |= counts["differ"] > 0
            for f in batch[-2:]:
                f.close()
    again = f"python3 tests/differential/run.py --seed {seed}" + (f" --count {args.count}" if args.count != 3000 else "") \
        + "".join(f" --ruleset {r}" for r in args.ruleset or [])
    print(f"seed {seed}: {'DIFFERENCES' if failed else 'no differences'} ({time.monotonic() - started:.1f}s; {again} repeats it)")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
