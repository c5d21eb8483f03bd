// What the tests share: the module built by ci.sh (pkg/node), the
// repository's rulesets as label -> text, and the bindings corpus.
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
export const judgement = require("../pkg/node/judgement_wasm.js");

export const root = fileURLToPath(new URL("../../../", import.meta.url));
const rulesets = join(root, "rulesets");

export const RULESETS = [
  "childrens_homes",
  "inspection_process",
  "la_child_protection",
  "monitoring_visits",
  "voluntary_adoption_agencies",
];

/** The files of one ruleset, labelled by their paths under rulesets/. */
export function files(ruleset) {
  const out = {};
  const add = (dir, ending) => {
    for (const name of readdirSync(join(rulesets, dir)).sort()) {
      if (name.endsWith(ending)) {
        out[`${dir}/${name}`] = readFileSync(join(rulesets, dir, name), "utf8");
      }
    }
  };
  add(ruleset, ".rules");
  add("calendars", ".calendar");
  add("definitions", ".rules");
  return out;
}

/** tests/fixtures/bindings/NAME, as text. */
export function fixture(name) {
  return readFileSync(join(root, "tests/fixtures/bindings", name), "utf8");
}
