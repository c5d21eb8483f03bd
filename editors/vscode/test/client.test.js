// The client without the editor: `vscode` and `vscode-languageclient` are
// stand-ins that record what extension.js asks of them, so that what it
// starts, for which files, and what it says when the server is missing are
// tested as the editor would see them.
"use strict";

const test = require("node:test");
const assert = require("node:assert");
const Module = require("node:module");

function load(settings, startFails) {
  const seen = { clients: [], commands: {}, errors: [], configListeners: [] };
  const vscode = {
    workspace: {
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

test("the server's path and arguments come from the settings", async () => {
  const settings = {
    "judgement.server.path": "/opt/judgement/bin/judgement-lsp",
    "judgement.server.args": ["--verbose"],
  };
  const { extension, seen } = load(settings, false);
  await extension.activate({ subscriptions: [] });
  assert.strictEqual(seen.clients[0].server.command, "/opt/judgement/bin/judgement-lsp");
  assert.deepStrictEqual(seen.clients[0].server.args, ["--verbose"]);
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
