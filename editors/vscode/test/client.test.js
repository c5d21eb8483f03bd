// The client without the editor: `vscode` and `vscode-languageclient` are
// stand-ins that record what extension.js asks of them, so that what it
// starts, for which files, and what it says when the server is missing are
// tested as the editor would see them.
"use strict";

const test = require("node:test");
const assert = require("node:assert");
const Module = require("node:module");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

// A stand-in server on PATH, and one at a path of its own: the extension
// looks for the command before it starts the client.
const bin = fs.mkdtempSync(path.join(os.tmpdir(), "judgement-client-"));
const onPath = path.join(bin, "judgement-lsp");
fs.writeFileSync(onPath, "#!/bin/sh\n", { mode: 0o755 });
const elsewhere = path.join(bin, "opt-judgement-lsp");
fs.writeFileSync(elsewhere, "#!/bin/sh\n", { mode: 0o755 });
process.env.PATH = bin + path.delimiter + (process.env.PATH || "");
test.after(() => fs.rmSync(bin, { recursive: true, force: true }));

function load(settings, startFails, workspaceFolders) {
  const seen = { clients: [], commands: {}, errors: [], configListeners: [] };
  const vscode = {
    workspace: {
      workspaceFolders,
      getConfiguration: (section) => ({
        get: (key) => settings[`${section}.${key}`],
      }),
      createFileSystemWatcher: (glob) => ({ glob }),
      onDidChangeConfiguration: (listener) => {
        seen.configListeners.push(listener);
        return { dispose() {} };
      },
    },
    commands: {
      registerCommand: (name, f) => {
        seen.commands[name] = f;
        return { dispose() {} };
      },
    },
    window: { showErrorMessage: (m) => seen.errors.push(m) },
  };
  class LanguageClient {
    constructor(id, name, server, client) {
      Object.assign(this, { id, name, server, client, running: false });
      seen.clients.push(this);
    }
    async start() {
      if (startFails) throw new Error("spawn judgement-lsp ENOENT");
      this.running = true;
    }
    async stop() {
      this.running = false;
    }
  }
  const stubs = {
    vscode,
    "vscode-languageclient/node": { LanguageClient, TransportKind: { stdio: 0 } },
  };
  const original = Module._load;
  Module._load = function (request, ...rest) {
    return request in stubs ? stubs[request] : original.call(this, request, ...rest);
  };
  try {
    delete require.cache[require.resolve("../extension.js")];
    return { extension: require("../extension.js"), seen };
  } finally {
    Module._load = original;
  }
}

test("it starts judgement-lsp from PATH for rule and calendar files", async () => {
  const { extension, seen } = load({}, false);
  const context = { subscriptions: [] };
  await extension.activate(context);
  assert.strictEqual(seen.clients.length, 1);
  const [client] = seen.clients;
  assert.strictEqual(client.server.command, "judgement-lsp");
  assert.deepStrictEqual(client.server.args, []);
  assert.ok(client.running);
  const languages = client.client.documentSelector.map((s) => s.language);
  assert.ok(languages.includes("judgement-rules"));
  assert.ok(languages.includes("judgement-calendar"));
  assert.strictEqual(client.client.synchronize.fileEvents.glob, "**/*.{rules,calendar}");
  assert.ok("judgement.restartServer" in seen.commands);
  assert.strictEqual(context.subscriptions.length, 2);
  await extension.deactivate();
  assert.ok(!client.running);
});

test("the server's path comes from the settings", async () => {
  const settings = {
    "judgement.server.path": elsewhere,
    // No longer a setting: the server takes no arguments.
    "judgement.server.args": ["--version"],
  };
  const { extension, seen } = load(settings, false);
  await extension.activate({ subscriptions: [] });
  assert.strictEqual(seen.clients[0].server.command, elsewhere);
  assert.deepStrictEqual(seen.clients[0].server.args, []);
  // Restarting starts a new client and stops the old one.
  await seen.commands["judgement.restartServer"]();
  assert.strictEqual(seen.clients.length, 2);
  assert.ok(!seen.clients[0].running);
  assert.ok(seen.clients[1].running);
  // A change to the setting restarts it too; another setting does not.
  await seen.configListeners[0]({ affectsConfiguration: (s) => s === "editor.fontSize" });
  assert.strictEqual(seen.clients.length, 2);
  await seen.configListeners[0]({ affectsConfiguration: (s) => s === "judgement.server" });
  assert.strictEqual(seen.clients.length, 3);
  await extension.deactivate();
});

test("a server that does not start is reported with how to install it", async () => {
  const { extension, seen } = load({}, true);
  await extension.activate({ subscriptions: [] });
  assert.strictEqual(seen.errors.length, 1);
  assert.match(seen.errors[0], /judgement-lsp/);
  assert.match(seen.errors[0], /cargo install --path crates\/lsp/);
  assert.match(seen.errors[0], /judgement\.server\.path/);
});

test("a server that cannot be found is reported once, and no client is started", async () => {
  for (const command of ["judgement-lsp-missing", path.join(bin, "missing", "judgement-lsp"), bin]) {
    const { extension, seen } = load({ "judgement.server.path": command }, false);
    await extension.activate({ subscriptions: [] });
    assert.strictEqual(seen.clients.length, 0, command);
    assert.strictEqual(seen.errors.length, 1, command);
    assert.ok(seen.errors[0].includes(`\`${command}\``), seen.errors[0]);
    assert.match(seen.errors[0], /not a file that can be run, nor a name found on PATH/);
    assert.match(seen.errors[0], /cargo install --path crates\/lsp/);
  }
});

test("a relative server path is found from the first workspace folder, where the client starts it", async () => {
  const folders = [{ uri: { scheme: "file", fsPath: bin } }];
  const { extension, seen } = load({ "judgement.server.path": "./opt-judgement-lsp" }, false, folders);
  await extension.activate({ subscriptions: [] });
  assert.deepStrictEqual(seen.errors, []);
  assert.strictEqual(seen.clients.length, 1);
  assert.ok(seen.clients[0].running);
  await extension.deactivate();
  // Not there from another folder.
  const elsewhere = load({ "judgement.server.path": "./opt-judgement-lsp" }, false, [
    { uri: { scheme: "file", fsPath: os.tmpdir() } },
  ]);
  await elsewhere.extension.activate({ subscriptions: [] });
  assert.strictEqual(elsewhere.seen.clients.length, 0);
  assert.strictEqual(elsewhere.seen.errors.length, 1);
  // A relative directory of PATH is relative to that folder too.
  const saved = process.env.PATH;
  process.env.PATH = ".";
  try {
    const relative = load({}, false, folders);
    await relative.extension.activate({ subscriptions: [] });
    assert.deepStrictEqual(relative.seen.errors, []);
    assert.strictEqual(relative.seen.clients.length, 1);
    await relative.extension.deactivate();
  } finally {
    process.env.PATH = saved;
  }
});
