// The outputs equal the command line's on the corpus of
// tests/fixtures/eval (as JSON Lines in tests/fixtures/bindings), byte for
// byte: every ruleset loaded from strings.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { judgement, RULESETS, files, fixture, root } from "./support.mjs";

for (const name of RULESETS) {
  test(`${name}: JSON Lines as the CLI writes them`, () => {
    const ruleset = judgement.Ruleset.fromFiles(files(name));
    try {
      assert.equal(ruleset.name, name);
      const input = fixture(`${name}.jsonl`);
      assert.equal(ruleset.evaluateLines(input), fixture(`${name}.out.jsonl`));
      assert.equal(
        ruleset.evaluateLines(input, { compact: true }),
        fixture(`${name}.compact.jsonl`),
      );
    } finally {
      ruleset.free();
    }
  });

  test(`${name}: each record singly, as the CLI prints one record`, () => {
    const ruleset = judgement.Ruleset.fromFiles(files(name));
    const records = fixture(`${name}.jsonl`).split("\n").filter((l) => l.trim());
    const outcomes = fixture(`${name}.out.jsonl`).split("\n").filter((l) => l);
    const compact = fixture(`${name}.compact.jsonl`).split("\n").filter((l) => l);
    assert.equal(records.length, outcomes.length);
    records.forEach((record, i) => {
      // The CLI prints one record as serde_json's pretty form, which is
      // JSON.stringify's with two spaces for these outcomes (checked against
      // the binary itself below, where it is built).
      const pretty = JSON.stringify(JSON.parse(outcomes[i]), null, 2);
      assert.equal(ruleset.evaluateJson(record), pretty);
      assert.deepEqual(ruleset.evaluate(record), JSON.parse(outcomes[i]));
      assert.deepEqual(ruleset.evaluate(JSON.parse(record)), JSON.parse(outcomes[i]));
      assert.equal(
        ruleset.evaluateJson(record, { compact: true }),
        JSON.stringify(JSON.parse(compact[i]), null, 2),
      );
    });
    assert.ok(ruleset.runTests().every((t) => t.passed));
    ruleset.free();
  });
}

// The binary, where CI has built it (JUDGEMENT_CLI, or target/debug).
const cli =
  process.env.JUDGEMENT_CLI ??
  join(process.env.CARGO_TARGET_DIR ?? join(root, "target"), "debug", "judgement");

test("one record: the same bytes as `judgement eval`", {
  skip: existsSync(cli) ? false : `no judgement binary at ${cli}`,
}, () => {
  for (const name of RULESETS) {
    const ruleset = judgement.Ruleset.fromFiles(files(name));
    const records = fixture(`${name}.jsonl`).split("\n").filter((l) => l.trim());
    for (const record of records.slice(0, 5)) {
      const run = (...args) =>
        execFileSync(cli, [...args, "--ruleset", join(root, "rulesets", name), "-"], {
          input: record,
          encoding: "utf8",
        });
      assert.equal(ruleset.evaluateJson(record) + "\n", run("eval"));
      assert.equal(ruleset.evaluateJson(record, { compact: true }) + "\n", run("eval", "--compact"));
    }
    ruleset.free();
  }
});
