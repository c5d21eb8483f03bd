// The playground: the children's homes ruleset and an evidence record in two
// editors, evaluated by the engine compiled to WebAssembly, in this page, on
// every change. Problems are listed under each editor and underlined in it.
import init, { Ruleset } from "./pkg/judgement_wasm.js";

const $ = (id) => document.getElementById(id);
const DELAY_MS = 200;

const page = {
  files: {}, // label -> text: the calendars and definitions, kept as they are
  main: "", // the label of the rule file being edited
  examples: {}, // name -> evidence text
  ruleset: null, // the last ruleset that compiled, or null
  proposed: {}, // the judgements of the last outcome, to show what changed
};

/** The UTF-16 offset of a 1-based line and column (in characters). */
function offsetOf(text, line, column) {
  let offset = 0;
  const lines = text.split("\n");
  for (let i = 0; i < line - 1 && i < lines.length; i += 1) offset += lines[i].length + 1;
  const current = lines[line - 1] ?? "";
  const chars = Array.from(current).slice(0, Math.max(0, column - 1));
  return Math.min(text.length, offset + chars.join("").length);
}

/** Where an underline starting at `start` ends: the word there, or one character. */
function endOf(text, start) {
  const word = /^[\p{L}\p{N}_.'-]+/u.exec(text.slice(start));
  if (word) return start + word[0].length;
  return Math.min(text.length, start + 1);
}

// Quotes too: a message is also written into a `title="..."` attribute.
const escape = (s) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

/**
 * A problem of another file than the edited rules (the definitions, the
 * calendar, or the whole set of sources, `<sources>`), to be listed by its
 * file and place there, with no place in an editor.
 */
function elsewhere(p) {
  const path = p.line ? `${p.file}:${p.line}:${p.column}` : p.file;
  return { ...p, line: undefined, column: undefined, path };
}

/**
 * Every problem of the rules: the edited file's own in place, first; then
 * each of any other file by its file and place there, so that the status
 * line is never the only sign of an error.
 */
function rulesProblems(problems) {
  const own = (p) => !p.file || p.file === page.main;
  return [...problems.filter(own), ...problems.filter((p) => !own(p)).map(elsewhere)];
}

/** Draw `text` in the editor's backdrop with each located problem underlined. */
function underline(editorId, text, problems) {
  const backdrop = document.querySelector(`#${editorId} .backdrop`);
  const marks = problems
    .filter((p) => p.line && p.column)
    .map((p) => {
      const start = offsetOf(text, p.line, p.column);
      return { start, end: endOf(text, start), p };
    })
    .sort((a, b) => a.start - b.start);
  let html = "";
  let at = 0;
  for (const { start, end, p } of marks) {
    if (start < at) continue; // overlapping: the first one is drawn
    html += escape(text.slice(at, start));
    // A problem at the end of a line or of the text still needs something to underline.
    const covered = text.slice(start, end).replace(/\n/, " ") || " ";
    html += `<mark class="diagnostic ${p.severity ?? "error"}" title="${escape(p.message)}">${escape(covered)}</mark>`;
    at = Math.max(start, end);
  }
  html += escape(text.slice(at)) + "\n";
  backdrop.innerHTML = html;
  follow(editorId);
}

/** Scroll an editor's backdrop to where its textarea is scrolled. */
function follow(editorId) {
  const textarea = document.querySelector(`#${editorId} textarea`);
  const backdrop = document.querySelector(`#${editorId} .backdrop`);
  backdrop.scrollTop = textarea.scrollTop;
  backdrop.scrollLeft = textarea.scrollLeft;
}

/** List problems under an editor; a click moves the cursor to one. */
function list(listId, textarea, problems) {
  const ul = $(listId);
  ul.replaceChildren(
    ...problems.map((p) => {
      const li = document.createElement("li");
      li.className = p.severity ?? "error";
      const where = p.line ? `${p.line}:${p.column}` : (p.path ?? p.file ?? "");
      li.innerHTML = `<span class="where">${escape(`${p.kind} ${where}`.trim())}</span>${escape(p.message)}`;
      if (p.help) li.title = p.help;
      // A place in this editor, or (`inRules`) one in the rules.
      const place = p.line ? { area: textarea, ...p } : p.inRules ? { area: $("rules"), ...p.inRules } : null;
      if (place) {
        li.addEventListener("click", () => {
          const { area, line, column } = place;
          const at = offsetOf(area.value, line, column);
          area.focus();
          area.setSelectionRange(at, endOf(area.value, at));
          reveal(area, line, column);
        });
      }
      return li;
    }),
  );
}

/** Scroll a textarea so that a line is a third of the way down, its column in view. */
function reveal(textarea, line, column) {
  const style = getComputedStyle(textarea);
  const lineHeight = parseFloat(style.lineHeight);
  const charWidth = parseFloat(style.fontSize) * 0.6;
  textarea.scrollTop = Math.max(0, (line - 1) * lineHeight - textarea.clientHeight / 3);
  const x = (column - 1) * charWidth;
  textarea.scrollLeft = x < textarea.clientWidth * 0.8 ? 0 : x - textarea.clientWidth / 2;
  follow(textarea.parentElement.id);
}

/** The problems an exception carries: the engine's errors, or the exception itself. */
function problemsOf(e) {
  if (Array.isArray(e?.errors)) return e.errors;
  return [{ kind: "internal", severity: "error", message: String(e?.message ?? e) }];
}

function setStale(stale) {
  document.querySelector("main").classList.toggle("stale", stale);
}

function showOutcome(outcome, explanation) {
  const rows = Object.entries(outcome.judgements).map(([name, value]) => {
    const binding = (outcome.details?.[name]?.binding ?? []).map((b) => b.rule).join(", ");
    const changed = name in page.proposed && page.proposed[name] !== value;
    const tr = document.createElement("tr");
    tr.dataset.judgement = name;
    tr.innerHTML = `<td>${escape(name)}</td><td class="value${changed ? " changed" : ""}">${escape(
      value ?? "not made",
    )}</td><td>${escape(binding)}</td>`;
    return tr;
  });
  $("judgements").tBodies[0].replaceChildren(...rows);
  page.proposed = outcome.judgements;
  $("explanation").textContent = explanation;
  $("json").textContent = JSON.stringify(outcome, null, 2);
}

/** Compile the rules if they changed, then evaluate the evidence. */
function update() {
  const rules = $("rules");
  const evidence = $("evidence");
  let compiled;
  try {
    compiled = Ruleset.fromFiles({ ...page.files, [page.main]: rules.value });
  } catch (e) {
    const problems = rulesProblems(problemsOf(e));
    underline("rules-editor", rules.value, problems);
    list("rules-problems", rules, problems);
    setStale(true);
    $("status").textContent = "The rules have errors: the outcome shown is from the last rules that compiled.";
    return;
  }
  page.ruleset?.free();
  page.ruleset = compiled;
  const warnings = (compiled.warnings ?? []).filter((p) => !p.file || p.file === page.main);
  underline("rules-editor", rules.value, warnings);
  list("rules-problems", rules, warnings);
  const name = `${$("example").value}.json`;
  try {
    const outcome = compiled.evaluate(evidence.value);
    const explanation = compiled.explain(evidence.value, name);
    underline("evidence-editor", evidence.value, []);
    list("evidence-problems", evidence, []);
    showOutcome(outcome, explanation);
    setStale(false);
    $("status").textContent = `Evaluated with ${compiled.name}${warnings.length ? `; ${warnings.length} warning(s)` : ""}.`;
  } catch (e) {
    // An evaluation error may be at a place in the rules (a working day
    // outside the calendar's years, at the rule that counts it): underlined
    // there, and listed with the evidence by the rule file's place, a click
    // on it going to that place in the rules, never to the evidence.
    const located = problemsOf(e);
    const problems = located.map((p) =>
      p.file ? { ...elsewhere(p), inRules: p.file === page.main && p.line ? p : undefined } : p,
    );
    const inRules = located.filter((p) => p.file === page.main && p.line);
    underline("rules-editor", rules.value, [...warnings, ...inRules]);
    underline("evidence-editor", evidence.value, problems.filter((p) => p.kind === "json"));
    list("evidence-problems", evidence, problems);
    setStale(true);
    $("status").textContent = "The evidence has errors.";
  }
}

function debounce(f) {
  let timer = null;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(f, DELAY_MS);
  };
}

/** Keep each editor's backdrop scrolled with its textarea. */
function syncScroll(editorId) {
  document.querySelector(`#${editorId} textarea`).addEventListener("scroll", () => follow(editorId));
}

function tabs() {
  const show = (json) => {
    $("tab-json").setAttribute("aria-selected", String(json));
    $("tab-explain").setAttribute("aria-selected", String(!json));
    $("json").hidden = !json;
    $("explanation").hidden = json;
  };
  $("tab-json").addEventListener("click", () => show(true));
  $("tab-explain").addEventListener("click", () => show(false));
}

async function start() {
  try {
    await init();
    const data = await (await fetch("files.json")).json();
    page.main = data.main;
    page.examples = data.examples;
    for (const [label, text] of Object.entries(data.files)) {
      if (label !== data.main) page.files[label] = text;
    }
    $("rules-file").textContent = data.main;
    $("rules").value = data.files[data.main];
    const select = $("example");
    for (const name of Object.keys(data.examples)) select.add(new Option(name, name));
    select.value = data.example;
    $("evidence").value = data.examples[data.example];
    select.addEventListener("change", () => {
      $("evidence").value = page.examples[select.value];
      page.proposed = {};
      update();
    });
    const later = debounce(update);
    $("rules").addEventListener("input", later);
    $("evidence").addEventListener("input", later);
    syncScroll("rules-editor");
    syncScroll("evidence-editor");
    tabs();
    update();
    document.body.dataset.ready = "true";
  } catch (e) {
    $("status").textContent = `The engine could not start: ${e?.message ?? e}`;
    $("status").classList.add("error");
  }
}

start();
