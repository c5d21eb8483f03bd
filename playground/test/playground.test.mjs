// The playground as its user meets it: the built page (playground/dist)
// served on loopback and driven in headless Chromium. It loads the ruleset and
// an example, shows the outcome and the explanation; a threshold edited in the
// rule editor changes the outcome; a syntax error is listed and underlined at
// its line and column; bad evidence is listed by its JSON path; a problem of
// the whole rules, or met while evaluating at a rule's place, is listed where
// it can be found, its tooltip whole. Screenshots of
// the page after the edit (screenshot.png) and with the syntax error
// (screenshot-error.png) are written to playground/dist, or, with
// UPDATE_SCREENSHOTS=1, over the ones the README shows.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname, extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "..", "dist");
const shots = process.env.UPDATE_SCREENSHOTS ? join(here, "..") : dist;
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".ts": "text/plain",
};

let server;
let browser;
let page;
let url;
const errors = [];

before(async () => {
  assert.ok(existsSync(join(dist, "index.html")), "build the playground first: node playground/build.mjs");
  server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    const file = join(dist, path === "/" ? "index.html" : path);
    if (!file.startsWith(dist)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  url = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** The value shown for a judgement in the outcome table. */
const judgement = (name) => page.textContent(`#judgements tr[data-judgement="${name}"] td.value`);

/**
 * Edit an editor as a user would: select the first `find` after `after`, and
 * type `replacement` over it (an input event follows each keystroke).
 */
async function edit(id, find, replacement, after = "") {
  const found = await page.evaluate(
    ([id, find, after]) => {
      const area = document.getElementById(id);
      const from = area.value.indexOf(after);
      const at = from < 0 ? -1 : area.value.indexOf(find, from);
      if (at < 0) return false;
      area.focus();
      area.setSelectionRange(at, at + find.length);
      return true;
    },
    [id, find, after],
  );
  assert.ok(found, `${find} is in #${id}`);
  await page.keyboard.type(replacement);
}

test("the page evaluates the example with the engine in the page", async () => {
  assert.equal(await page.textContent("#rules-file"), "childrens_homes/2015-04.rules");
  assert.equal(await page.inputValue("#example"), "16_full_vacancy_day_183");
  // A vacancy of 183 days: 26 weeks or more forces leadership to inadequate (Annex N para 19).
  assert.equal(await judgement("leaders_and_managers"), "inadequate");
  assert.equal(await judgement("overall"), "requires_improvement");
  const explanation = await page.textContent("#explanation");
  assert.match(explanation, /vacancy_forces_inadequate_leadership \(Annex N para 19\)/);
  assert.equal(await page.locator("#rules-problems li").count(), 0);
  assert.deepEqual(errors, []);
});

test("a threshold edited in the rules changes the outcome", async () => {
  await edit("rules", "26", "27", "threshold manager_vacancy_limit =");
  // 183 days is short of 27 weeks (189 days): leadership is no longer forced down.
  await page.waitForFunction(
    () => document.querySelector('#judgements tr[data-judgement="leaders_and_managers"] td.value')?.textContent === "good",
  );
  assert.equal(await judgement("overall"), "good");
  assert.ok(await page.locator("#judgements td.value.changed").count() >= 1, "what changed is marked");
  assert.equal(await page.locator("#rules-problems li").count(), 0);
  await page.screenshot({ path: join(shots, "screenshot.png") });
});

test("a syntax error is listed and underlined where it is", async () => {
  await edit("rules", "vacancy_26_weeks ", "vacancy 26_weeks ", "\nrule vacancy_26_weeks ");
  await page.waitForSelector("#rules-editor mark.diagnostic.error");
  const problem = await page.textContent("#rules-problems li");
  assert.match(problem, /^syntax \d+:\d+/);
  const text = await page.inputValue("#rules");
  const line = text.split("\n").findIndex((l) => l.startsWith("rule vacancy 26_weeks")) + 1;
  assert.ok(problem.startsWith(`syntax ${line}:`), `${problem} is on line ${line}`);
  const underlined = await page.textContent("#rules-editor mark.diagnostic.error");
  assert.ok(underlined.trim().length > 0, "something is underlined");
  assert.ok(await page.locator("main.stale").count(), "the outcome is marked as stale");
  // A click on the problem brings its place into view, selected.
  await page.click("#rules-problems li");
  const selected = await page.evaluate(() => {
    const area = document.getElementById("rules");
    return area.value.slice(area.selectionStart, area.selectionEnd);
  });
  // The rule's id written as two words, which the file writes joined
  // elsewhere: the problem starts at the first of them.
  assert.equal(selected, "vacancy");
  await page.screenshot({ path: join(shots, "screenshot-error.png") });
  // Put right, the error goes.
  await edit("rules", "vacancy 26_weeks ", "vacancy_26_weeks ", "\nrule vacancy 26_weeks ");
  await page.waitForFunction(() => document.querySelectorAll("#rules-problems li").length === 0);
  assert.equal(await page.locator("#rules-editor mark.diagnostic").count(), 0);
});

test("bad evidence is listed by its JSON path", async () => {
  await edit("evidence", '"vacant_since"', '"vacant_snce"');
  await page.waitForSelector("#evidence-problems li");
  const problems = await page.textContent("#evidence-problems");
  assert.match(problems, /manager\.vacant_snce/);
  assert.match(problems, /manager\.vacant_since/, "it says which field was meant");
  await page.selectOption("#example", "02_outstanding_home");
  await page.waitForFunction(() => document.querySelectorAll("#evidence-problems li").length === 0);
  assert.equal(await judgement("overall"), "outstanding");
  assert.deepEqual(errors, []);
});

/** Replace the first `find` in an editor at once (one input event): no state between. */
async function replaceIn(id, find, replacement) {
  const found = await page.evaluate(
    ([id, find, replacement]) => {
      const area = document.getElementById(id);
      if (!area.value.includes(find)) return false;
      area.value = area.value.replace(find, replacement);
      area.dispatchEvent(new Event("input", { bubbles: true }));
      return true;
    },
    [id, find, replacement],
  );
  assert.ok(found, `${find} is in #${id}`);
}

/** The texts of the problems listed under an editor, once there are some. */
async function listed(id) {
  await page.waitForSelector(`#${id} li`);
  return page.$$eval(`#${id} li`, (items) => items.map((li) => li.textContent));
}

/** Until no problem is listed under the rules or the evidence. */
async function clean() {
  await page.waitForFunction(
    () => document.querySelectorAll("#rules-problems li, #evidence-problems li").length === 0,
  );
}

test("every rules problem is listed somewhere it can be found, with its whole message", async () => {
  const header = `ruleset childrens_homes "Inspection handbook: children's homes"`;
  // A problem of the whole set of sources (a header that makes the file
  // definitions) has no place in the edited file: listed, by `<sources>`.
  await replaceIn("rules", header, "definitions foo");
  assert.match((await listed("rules-problems"))[0], /^load <sources>.*definitions/);
  await replaceIn("rules", "definitions foo", header);
  await clean();
  // Problems the edit causes in the definitions it uses (no calendar to
  // count their working days with) are listed by their file and place.
  await replaceIn("rules", "\n  calendar england_and_wales", "");
  const problems = await listed("rules-problems");
  assert.ok(
    problems.some((p) => /monitoring_visits\.rules:\d+:\d+/.test(p)),
    `a problem of the definitions is listed by its place: ${problems.join(" | ")}`,
  );
  await replaceIn("rules", "\n  uses monitoring_visits", "\n  calendar england_and_wales\n  uses monitoring_visits");
  await clean();
  // A message with a double quote in it is whole in the underline's tooltip.
  await replaceIn("rules", 'note "No cap', '"No cap');
  await page.waitForSelector("#rules-editor mark.diagnostic.error");
  const title = await page.getAttribute("#rules-editor mark.diagnostic.error", "title");
  const [syntax] = await listed("rules-problems");
  assert.match(title, /found `"No`$/);
  assert.ok(syntax.endsWith(title), `${syntax} ends with the tooltip ${title}`);
  await replaceIn("rules", '"No cap', 'note "No cap');
  await clean();
  // An evaluation error at a rule's place (a working day outside the
  // calendar's years) is underlined in the rules, and listed with the
  // evidence by the rule file's place; a click on it goes to that place
  // in the rules, not to a line of the evidence.
  const evidence = await page.inputValue("#evidence");
  await page.fill("#evidence", evidence.replaceAll(/20\d\d-/g, "2099-"));
  const [problem] = await listed("evidence-problems");
  const [, line] = problem.match(/^evaluation childrens_homes\/2015-04\.rules:(\d+):\d+/) ?? [];
  assert.ok(line, problem);
  assert.match(problem, /outside the years of the calendar/);
  assert.ok(await page.locator("#rules-editor mark.diagnostic.error").count(), "the rule is underlined");
  await page.click("#evidence-problems li");
  const at = await page.evaluate(() => {
    const area = document.activeElement;
    return { id: area.id, line: area.value.slice(0, area.selectionStart).split("\n").length };
  });
  assert.deepEqual(at, { id: "rules", line: Number(line) });
  await page.fill("#evidence", evidence);
  await clean();
  assert.equal(await page.locator("#rules-editor mark.diagnostic").count(), 0);
  assert.deepEqual(errors, []);
});
