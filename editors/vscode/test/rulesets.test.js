// The grammars on the repository's own files: every rule file under
// rulesets/ and every calendar, line by line. Each comment line is a
// comment, each rule's id and citation and each declared name get their
// scopes, and no line ends inside a string.
"use strict";

const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");
const oniguruma = require("vscode-oniguruma");
const textmate = require("vscode-textmate");

const root = path.resolve(__dirname, "../../..");

async function registry() {
  const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const files = {
    "source.judgement": "judgement.tmLanguage.json",
    "source.judgement-calendar": "judgement-calendar.tmLanguage.json",
  };
  return new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) => {
      const file = path.join(__dirname, "..", "syntaxes", files[scope]);
      return textmate.parseRawGrammar(fs.readFileSync(file, "utf8"), file);
    },
  });
}

function filesUnder(dir, ext) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return filesUnder(full, ext);
    return e.name.endsWith(ext) ? [full] : [];
  });
}

// Each line's tokens: [text, scopes] pairs.
function tokenize(grammar, text) {
  let state = textmate.INITIAL;
  return text.split("\n").map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((t) => [line.slice(t.startIndex, t.endIndex), t.scopes]);
  });
}

const scopeOf = (tokens, text) => {
  const found = tokens.find(([t]) => t === text);
  return found ? found[1].join(" ") : `no token \`${text}\``;
};

test("every rule file of the repository is highlighted as written", async () => {
  const grammar = await (await registry()).loadGrammar("source.judgement");
  const files = filesUnder(path.join(root, "rulesets"), ".rules");
  assert.ok(files.length >= 5, "the rulesets are there");
  let rules = 0;
  for (const file of files) {
    const lines = fs.readFileSync(file, "utf8").split("\n");
    tokenize(grammar, lines.join("\n")).forEach((tokens, i) => {
      const line = lines[i];
      const where = `${path.relative(root, file)}:${i + 1}`;
      if (/^\s*#/.test(line)) {
        const code = tokens.filter(([t]) => t.trim() !== "");
        assert.ok(code.every(([, s]) => s.some((x) => x.startsWith("comment."))), `${where} is a comment`);
      }
      const last = tokens[tokens.length - 1];
      if (last && last[0] !== "") {
        const open = last[1].some((s) => s.startsWith("string.")) && !last[0].endsWith('"');
        assert.ok(!open, `${where} ends inside a string`);
      }
      const rule = /^rule (\w+) "([^"]+)"/.exec(line);
      if (rule) {
        rules += 1;
        assert.match(scopeOf(tokens, rule[1]), /entity\.name\.function\.rule/, where);
        assert.match(scopeOf(tokens, rule[2]), /string\.quoted\.double\.citation/, where);
      }
      const declared = /^(threshold|let|scale|choice|record) (\w+)/.exec(line);
      if (declared) {
        assert.match(scopeOf(tokens, declared[2]), /(variable\.other|entity\.name\.type)/, where);
      }
    });
  }
  assert.ok(rules > 100, `the rules were found (${rules})`);
});

test("every calendar of the repository is highlighted as written", async () => {
  const grammar = await (await registry()).loadGrammar("source.judgement-calendar");
  for (const file of filesUnder(path.join(root, "rulesets"), ".calendar")) {
    const lines = fs.readFileSync(file, "utf8").split("\n");
    tokenize(grammar, lines.join("\n")).forEach((tokens, i) => {
      const where = `${path.relative(root, file)}:${i + 1}`;
      const holiday = /^(\d{4}-\d{2}-\d{2}) /.exec(lines[i]);
      if (holiday) {
        assert.match(scopeOf(tokens, holiday[1]), /constant\.numeric\.date/, where);
      }
      if (/^#/.test(lines[i])) {
        assert.match(tokens[0][1].join(" "), /comment\.line/, where);
      }
    });
  }
});

test("every reserved word of docs/language.md is highlighted as a word of the language", async () => {
  const grammar = await (await registry()).loadGrammar("source.judgement");
  const doc = fs.readFileSync(path.join(root, "docs", "language.md"), "utf8");
  const block = /<!-- docs-reserved-words -->\s*```text\n([\s\S]*?)```/.exec(doc);
  assert.ok(block, "docs/language.md lists the reserved words");
  const words = block[1].split(/\s+/).filter(Boolean);
  assert.ok(words.length > 60, `${words.length} words`);
  for (const word of words) {
    // The word on its own, inside a rule's condition.
    const [tokens] = tokenize(grammar, `  ${word} `);
    const scopes = scopeOf(tokens, word);
    assert.match(scopes, /(keyword|constant\.language|storage)/, `\`${word}\`: ${scopes}`);
  }
});
