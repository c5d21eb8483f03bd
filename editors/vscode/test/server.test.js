// The real `judgement-lsp` binary over standard input and output, spoken
// to with the JSON-RPC library the editor's client is built on: the
// framing, and a ruleset of the repository opened, checked and formatted.
// The binary is $JUDGEMENT_LSP, or the debug build in the cargo target
// folder; without one, the test is skipped.
"use strict";

const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");
const { spawn } = require("node:child_process");
const rpc = require("vscode-jsonrpc/node");
const { pathToFileURL } = require("node:url");

const root = path.resolve(__dirname, "../../..");
const binary =
  process.env.JUDGEMENT_LSP ||
  path.join(process.env.CARGO_TARGET_DIR || path.join(root, "target"), "debug", "judgement-lsp");

test("judgement-lsp answers over stdio", { skip: !fs.existsSync(binary) && `no ${binary}` }, async () => {
  const server = spawn(binary, [], { stdio: ["pipe", "pipe", "inherit"] });
  const connection = rpc.createMessageConnection(
    new rpc.StreamMessageReader(server.stdout),
    new rpc.StreamMessageWriter(server.stdin)
  );
  const published = [];
  let wake = () => {};
  connection.onNotification("textDocument/publishDiagnostics", (params) => {
    published.push(params);
    wake();
  });
  connection.listen();
  const nextDiagnostics = async () => {
    while (published.length === 0) await new Promise((resolve) => (wake = resolve));
    return published.shift();
  };

  const init = await connection.sendRequest("initialize", {
    processId: process.pid,
    rootUri: pathToFileURL(root).href,
    capabilities: {},
  });
  assert.strictEqual(init.serverInfo.name, "judgement-lsp");
  assert.ok(init.capabilities.hoverProvider);
  await connection.sendNotification("initialized", {});

  const file = path.join(root, "rulesets", "monitoring_visits", "2015-04.rules");
  const uri = pathToFileURL(file).href;
  const text = fs.readFileSync(file, "utf8");
  await connection.sendNotification("textDocument/didOpen", {
    textDocument: { uri, languageId: "judgement-rules", version: 1, text },
  });
  const first = await nextDiagnostics();
  assert.strictEqual(first.uri, uri);
  assert.deepStrictEqual(first.diagnostics, []);

  await connection.sendNotification("textDocument/didChange", {
    textDocument: { uri, version: 2 },
    contentChanges: [{ text: text.replace("ruleset monitoring_visits", "ruleset") }],
  });
  const broken = await nextDiagnostics();
  assert.strictEqual(broken.version, 2);
  assert.strictEqual(broken.diagnostics.length, 1);
  assert.strictEqual(broken.diagnostics[0].severity, 1);

  await connection.sendNotification("textDocument/didChange", {
    textDocument: { uri, version: 3 },
    contentChanges: [{ text }],
  });
  assert.deepStrictEqual((await nextDiagnostics()).diagnostics, []);
  const edits = await connection.sendRequest("textDocument/formatting", {
    textDocument: { uri },
    options: { tabSize: 2, insertSpaces: true },
  });
  assert.deepStrictEqual(edits, [], "the repository's rulesets are in the canonical layout");

  await connection.sendRequest("shutdown");
  const exited = new Promise((resolve) => server.on("exit", resolve));
  await connection.sendNotification("exit");
  assert.strictEqual(await exited, 0);
  connection.dispose();
});
