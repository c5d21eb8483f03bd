// The README's example runs, as it is written there (from this folder, after
// ci.sh has built pkg/), and prints what the README says it prints.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL("..", import.meta.url));
const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

/** The text of the README's first fenced block of `kind`. */
function block(kind) {
  const match = readme.match(new RegExp("```" + kind + "\\n([\\s\\S]*?)```"));
  assert.ok(match, `the README has a ${kind} block`);
  return match[1];
}

test("the README's example runs and prints what the README says", () => {
  const example = block("js");
  assert.ok(example.trimEnd().split("\n").length <= 10, "ten lines at most");
  const out = execFileSync(process.execPath, ["--input-type=commonjs", "-e", example], {
    cwd: here,
    encoding: "utf8",
  });
  assert.equal(out, block("text"));
});
