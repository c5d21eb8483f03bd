// Assemble the playground as a static site in playground/dist: the page, the
// engine's WebAssembly package (built for the web by bindings/wasm), and
// files.json with the children's homes rule files, the calendars and
// definitions they use, and the corpus records as examples.
//
//   node playground/build.mjs [PKG_DIR]
//
// PKG_DIR is the wasm-bindgen output for `--target web` (by default
// bindings/wasm/pkg/web).
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const pkg = process.argv[2] ?? join(root, "bindings/wasm/pkg/web");
const dist = join(here, "dist");
const MAIN = "childrens_homes/2015-04.rules";
const EXAMPLE = "16_full_vacancy_day_183";

const rulesets = join(root, "rulesets");
const files = {};
for (const dir of ["childrens_homes", "calendars", "definitions"]) {
  for (const name of readdirSync(join(rulesets, dir)).sort()) {
    if (name.endsWith(".rules") || name.endsWith(".calendar")) {
      const path = join(rulesets, dir, name);
      files[relative(rulesets, path)] = readFileSync(path, "utf8");
    }
  }
}
if (!(MAIN in files)) throw new Error(`no ${MAIN} in rulesets/`);

const corpus = join(root, "tests/fixtures/eval/childrens_homes");
const examples = {};
const names = readdirSync(corpus)
  .filter((n) => n.endsWith(".json"))
  .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
for (const name of names) {
  const record = JSON.parse(readFileSync(join(corpus, name), "utf8"));
  delete record._expect;
  examples[name.replace(/\.json$/, "")] = JSON.stringify(record, null, 2);
}
if (!(EXAMPLE in examples)) throw new Error(`no example ${EXAMPLE}`);

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
for (const f of ["index.html", "app.js", "style.css"]) cpSync(join(here, f), join(dist, f));
cpSync(pkg, join(dist, "pkg"), { recursive: true });
writeFileSync(join(dist, "files.json"), JSON.stringify({ main: MAIN, example: EXAMPLE, files, examples }));
console.log(`playground: ${Object.keys(files).length} files, ${names.length} examples -> ${relative(root, dist)}`);
