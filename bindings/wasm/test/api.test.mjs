// The rest of the API, and errors as data: every failure is a thrown
// JudgementError, never a trap.
import { test } from "node:test";
import assert from "node:assert/strict";
import { judgement, files, fixture } from "./support.mjs";

const { Ruleset } = judgement;
const homes = Ruleset.fromFiles(files("childrens_homes"));
const record = fixture("childrens_homes.jsonl").split("\n")[0];

/** The JudgementError `f` throws. */
function thrown(f) {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof Error, "an Error");
    assert.equal(e.name, "JudgementError");
    assert.ok(Array.isArray(e.errors) && e.errors.length > 0);
    assert.equal(e.kind, e.errors[0].kind);
    return e;
  }
  assert.fail("no error was thrown");
}

test("explain gives the text", () => {
  const text = homes.explain(record, "ch-0001.json");
  assert.match(text, /ch-0001\.json/);
  assert.match(text, /overall/);
  assert.equal(typeof homes.explain(JSON.parse(record)), "string");
});

test("why not gives the text, or the answer as data", () => {
  const text = homes.whyNot(record, "overall=outstanding");
  assert.match(text, /^Why is overall not outstanding\?\n/);
  const data = homes.whyNot(JSON.parse(record), "action:consider_enforcement", {}, true);
  assert.equal(data.kind, "effect");
  assert.equal(data.effect, "action");
  assert.ok(data.rules.some((r) => r.rule === "no_application_within_90_days"));
  const e = thrown(() => homes.whyNot(record, "overal=good"));
  assert.equal(e.kind, "usage");
  assert.match(e.message, /did you mean `overall`\?/);
  assert.equal(thrown(() => homes.whyNot(record, 5)).kind, "usage");
  assert.equal(thrown(() => homes.whyNot(record, "overall", {}, "false")).kind, "usage");
});

test("schema, warnings, tests", () => {
  const schema = homes.schema();
  assert.equal(typeof schema, "object");
  assert.ok(schema.properties.inspection);
  assert.deepEqual(homes.schema("2015-04"), schema);
  assert.deepEqual(homes.warnings, []);
  const tests = homes.runTests();
  assert.ok(tests.length > 0);
  for (const t of tests) {
    assert.equal(t.edition, "2015-04");
    assert.equal(t.passed, true, t.name);
  }
  assert.equal(thrown(() => homes.schema("1999-01")).kind, "edition");
  // The flag is a boolean or left out: "false" is truthy in JavaScript, and
  // must not give the schema that allows unknown fields.
  assert.equal(schema.properties.inspection.additionalProperties, false);
  assert.notEqual(homes.schema(undefined, true).properties.inspection.additionalProperties, false);
  assert.deepEqual(homes.schema(undefined, null), schema);
  assert.deepEqual(homes.schema(undefined, false), schema);
  for (const flag of ["false", "no", 1, {}]) {
    const e = thrown(() => homes.schema(undefined, flag));
    assert.equal(e.kind, "usage");
    assert.match(e.message, /allowUnknownFields is not a boolean/);
  }
});

test("options: trace, edition, and one it does not know", () => {
  assert.ok(Array.isArray(homes.evaluate(record, { trace: true }).trace));
  assert.equal(homes.evaluate(record, { edition: "2015-04" }).ruleset.version, "2015-04");
  assert.equal(homes.evaluate(record, '{"compact": true}').details, undefined);
  const e = thrown(() => homes.evaluate(record, { tracing: true }));
  assert.equal(e.kind, "usage");
  assert.match(e.message, /tracing/);
  assert.equal(thrown(() => homes.evaluate(record, { edition: "1999-01" })).kind, "edition");
  // The compact outcome has no trace: asking for both is a usage error, as
  // `judgement eval --trace --compact` is.
  const both = thrown(() => homes.evaluate(record, { trace: true, compact: true }));
  assert.equal(both.kind, "usage");
  assert.match(both.message, /`trace` cannot be used with `compact`/);
  // Options that JSON.stringify would write as other options than they
  // hold (or none) are refused, not read as the defaults.
  class Compact {
    get compact() {
      return true;
    }
  }
  const unlike = [new Map([["compact", true]]), new Compact(), { compact: true, toJSON: () => ({}) }, [true]];
  for (const options of unlike) {
    const e = thrown(() => homes.evaluate(record, options));
    assert.equal(e.kind, "usage", String(options));
    assert.match(e.message, /not a plain object/);
  }
  assert.equal(homes.evaluate(record, Object.assign(Object.create(null), { compact: true })).details, undefined);
});

test("a string with a lone surrogate is refused, not read with U+FFFD", () => {
  const lone = record.replace('"id":"', '"id":"\uD800');
  assert.notEqual(lone, record);
  for (const call of [
    () => homes.evaluate(lone),
    () => homes.evaluateLines(lone),
    () => homes.whyNot(record, "overall\uDC00"),
    () => homes.schema("2015-04\uD800"),
    () => homes.evaluate(record, '{"edition": "2015-04"}\uD800'),
  ]) {
    const e = thrown(call);
    assert.equal(e.kind, "usage");
    assert.match(e.message, /lone surrogate/);
  }
});

test("evidence that is not JSON: kind json, with line and column", () => {
  const e = thrown(() => homes.evaluateJson('{"id": "x",\n  "home": }'));
  assert.equal(e.kind, "json");
  assert.equal(e.line, 2);
  assert.equal(typeof e.column, "number");
  assert.equal(e.errors[0].severity, "error");
});

test("an unknown key: kind evidence, with its path", () => {
  const evidence = JSON.parse(record);
  evidence.home.beds = 4;
  const e = thrown(() => homes.evaluate(evidence));
  assert.equal(e.kind, "evidence");
  assert.equal(e.path, "home.beds");
  // Allowed, it is a warning on the outcome.
  const outcome = homes.evaluate(evidence, { allow_unknown_fields: true });
  assert.equal(outcome.warnings[0].path, "home.beds");
});

test("a rule file that does not parse: kind syntax, with file, line and column", () => {
  const broken = files("childrens_homes");
  broken["childrens_homes/2015-04.rules"] = broken["childrens_homes/2015-04.rules"].replace(
    /\n(\s*)rule /,
    "\n$1rule rule ",
  );
  const e = thrown(() => Ruleset.fromFiles(broken));
  assert.equal(e.kind, "syntax");
  assert.equal(e.file, "childrens_homes/2015-04.rules");
  assert.ok(e.line > 1);
  assert.ok(e.column >= 1);
});

test("a bad calendar, no rule files, and arguments of the wrong type", () => {
  const f = files("childrens_homes");
  f["calendars/england_and_wales.calendar"] = "not a calendar";
  const calendar = thrown(() => Ruleset.fromFiles(f));
  assert.equal(calendar.kind, "calendar");
  assert.equal(calendar.file, "calendars/england_and_wales.calendar");
  assert.equal(thrown(() => Ruleset.fromFiles({})).kind, "load");
  for (const bad of [undefined, null, 3, "text", ["a"]]) {
    assert.equal(thrown(() => Ruleset.fromFiles(bad)).kind, "usage");
  }
  assert.equal(thrown(() => Ruleset.fromFiles({ "x.rules": 3 })).kind, "usage");
  assert.equal(thrown(() => homes.evaluate(3)).kind, "usage");
  assert.equal(thrown(() => homes.evaluate(undefined)).kind, "usage");
  const cycle = {};
  cycle.self = cycle;
  assert.equal(thrown(() => homes.evaluate(cycle)).kind, "usage");
  assert.equal(thrown(() => homes.evaluate({ n: 1n })).kind, "usage");
  assert.equal(thrown(() => homes.evaluate(record, 7)).kind, "usage");
  assert.equal(thrown(() => homes.evaluateLines(null)).kind, "usage");
  assert.equal(thrown(() => homes.explain(record, 5)).kind, "usage");
});

test("JSON Lines: a bad line is a line of its own, the others evaluate", () => {
  const out = homes.evaluateLines(`${record}\n\nnot json\n${record}\n`).split("\n");
  assert.equal(out.length, 4);
  assert.equal(out[3], "");
  assert.equal(JSON.parse(out[1]).line, 3);
  assert.equal(out[0], out[2]);
});

test("files that throw when read are a usage error, however many times", () => {
  // Each of these once unwound through the module without restoring its
  // stack: after a few hundred, every call failed with a RuntimeError.
  const getter = { get "a.rules"() { throw new Error("no"); } };
  const trap = new Proxy({}, { ownKeys() { throw new Error("no keys"); } });
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  for (let i = 0; i < 1000; i++) {
    for (const bad of [getter, trap, proxy]) {
      const e = thrown(() => Ruleset.fromFiles(bad));
      assert.equal(e.kind, "usage");
      assert.match(e.message, /the files could not be read/);
    }
  }
  assert.equal(homes.evaluate(record).id, "ch-0001");
  const again = Ruleset.fromFiles(files("monitoring_visits"));
  assert.equal(again.name, "monitoring_visits");
  again.free();
});

test("after free, a call throws and does not trap", () => {
  const r = Ruleset.fromFiles(files("monitoring_visits"));
  r.free();
  assert.throws(() => r.evaluate(record));
  // The module still works.
  assert.equal(homes.evaluate(record).id, "ch-0001");
});
