// The client: starts `judgement-lsp` (the setting `judgement.server.path`,
// by default the name found on PATH) for .rules and .calendar files, and
// restarts it when asked or when the setting changes.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function serverOptions() {
  const config = vscode.workspace.getConfiguration("judgement");
  const command = config.get("server.path") || "judgement-lsp";
  const args = config.get("server.args") || [];
  return { command, args, transport: TransportKind.stdio };
}

async function start(context) {
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "judgement-rules" },
      { scheme: "untitled", language: "judgement-rules" },
      { scheme: "file", language: "judgement-calendar" },
    ],
    synchronize: {
      // Calendars and definitions beside a rule file change what it means.
      fileEvents: vscode.workspace.createFileSystemWatcher("**/*.{rules,calendar}"),
    },
  };
  client = new LanguageClient(
    "judgement",
    "judgement language server",
    serverOptions(),
    clientOptions
  );
  try {
    await client.start();
  } catch (error) {
    const path = serverOptions().command;
    vscode.window.showErrorMessage(
      `judgement: the language server \`${path}\` did not start (${error.message || error}). ` +
        "Install it with `cargo install --path crates/lsp`, or set `judgement.server.path`."
    );
  }
}

async function stop() {
  if (client) {
    const running = client;
    client = undefined;
    try {
      await running.stop();
    } catch (_) {
      // It was not running.
    }
  }
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand("judgement.restartServer", async () => {
      await stop();
      await start(context);
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("judgement.server")) {
        await stop();
        await start(context);
      }
    })
  );
  await start(context);
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
