// The browser build (pkg/web, an ES module) gives the same as the Node one:
// loaded here from its bytes, as a page would after fetching them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { initSync, Ruleset } from "../pkg/web/judgement_wasm.js";
import { files, fixture } from "./support.mjs";

test("pkg/web evaluates the corpus as the CLI does", () => {
  initSync({ module: readFileSync(new URL("../pkg/web/judgement_wasm_bg.wasm", import.meta.url)) });
  const ruleset = Ruleset.fromFiles(files("childrens_homes"));
  assert.equal(
    ruleset.evaluateLines(fixture("childrens_homes.jsonl")),
    fixture("childrens_homes.out.jsonl"),
  );
  assert.throws(() => Ruleset.fromFiles({}), { name: "JudgementError", kind: "load" });
  ruleset.free();
});
