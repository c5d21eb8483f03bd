// Checked by `tsc --noEmit` (ci.sh): the generated .d.ts types what the
// README says, strictly.
import {
  Ruleset,
  type CompactOutcome,
  type JudgementError,
  type JudgementErrorData,
  type Options,
  type Outcome,
  type TestReport,
} from "../../pkg/node/judgement_wasm";

export function overall(files: Record<string, string>, evidence: string): string | null {
  const ruleset: Ruleset = Ruleset.fromFiles(files);
  const options: Options = { trace: false, edition: "2015-04", allow_unknown_fields: true };
  const outcome: Outcome | CompactOutcome = ruleset.evaluate(evidence, options);
  if ("details" in outcome) {
    const full: Outcome = outcome;
    full.deadlines.forEach((d) => d.date ?? d.to);
  }
  const compact = ruleset.evaluate({ id: "x" }, { compact: true }) as CompactOutcome;
  compact.advisories.forEach((rule: string) => rule.length);
  const text: string = ruleset.evaluateJson(evidence) + ruleset.evaluateLines(evidence);
  const explained: string = ruleset.explain(evidence) + ruleset.explain(evidence, "x.json", options);
  const why: string | Record<string, unknown> =
    ruleset.whyNot(evidence, "overall=outstanding") ?? ruleset.whyNot(evidence, "x", options, true);
  const schema: object = ruleset.schema() ?? ruleset.schema("2015-04", true);
  const tests: TestReport[] = ruleset.runTests();
  const warnings: JudgementErrorData[] = ruleset.warnings;
  const name: string = ruleset.name;
  void [text, explained, why, schema, tests, warnings, name];
  ruleset.free();
  return outcome.judgements["overall"] ?? null;
}

export function describe(e: unknown): string {
  const error = e as JudgementError;
  const first: JudgementErrorData | undefined = error.errors[0];
  return `${error.kind} ${error.file ?? error.path ?? ""}:${error.line ?? 0}:${error.column ?? 0} ${first?.message}`;
}
