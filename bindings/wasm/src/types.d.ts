
/** How to evaluate; every field may be left out. A key not listed here is an error of kind "usage". */
export interface Options {
  /** Record every step in the outcome's `trace` (as `judgement eval --trace`). */
  trace?: boolean;
  /** List evidence keys the ruleset does not declare as warnings rather than refuse them. */
  allow_unknown_fields?: boolean;
  /** Give the compact outcome (as `judgement eval --compact`). */
  compact?: boolean;
  /** Evaluate with this edition, whatever the evidence's date. */
  edition?: string;
}

/** What went wrong, in a word a program can branch on. */
export type ErrorKind =
  | "io"
  | "syntax"
  | "check"
  | "calendar"
  | "load"
  | "json"
  | "evidence"
  | "edition"
  | "evaluation"
  | "usage"
  | "internal";

/** One problem, as data: the engine's `embed::Error`. */
export interface JudgementErrorData {
  kind: ErrorKind;
  severity: "error" | "warning";
  message: string;
  /** What to do about it, where the engine knows. */
  help?: string;
  /** The path of the value in the evidence (`home.beds`). */
  path?: string;
  /** The rule, calendar or definitions file: its label. */
  file?: string;
  /** 1-based, in `file`, or in the evidence text for a "json" error. */
  line?: number;
  column?: number;
  /** The rule the problem arose in, and its citation. */
  rule?: string;
  cite?: string;
}

/**
 * What every method throws: an `Error` named "JudgementError" whose
 * `errors` are every problem, with the first error's fields copied onto it.
 */
export interface JudgementError extends Error {
  name: "JudgementError";
  errors: JudgementErrorData[];
  kind: ErrorKind;
  help?: string;
  path?: string;
  file?: string;
  line?: number;
  column?: number;
  rule?: string;
  cite?: string;
}

/** One of the ruleset's own tests, run. */
export interface TestReport {
  edition: string;
  name: string;
  passed: boolean;
  failures: JudgementErrorData[];
}

/** The hard rules that could not be decided, and the evidence they miss. */
export interface Provisional {
  rules: string[];
  missing: string[];
}

export interface RuleRef {
  rule: string;
  cite: string;
}

export interface Constraint {
  rule: string;
  cite: string;
  /** `= inadequate`, `at most requires_improvement`, `at least good` */
  constraint: string;
  item?: string | null;
}

/** How a judgement got its value, or why it has none. */
export interface Detail {
  proposed: string | null;
  value: string | null;
  binding: Constraint[];
  slack: Constraint[];
  rejected: boolean;
  withheld_by?: RuleRef;
  not_made?: string;
  provisional?: Provisional;
}

export interface Action {
  action: string;
  rule: string;
  cite: string;
  item?: string | null;
  label?: string;
  due?: string;
  overdue?: true;
  provisional?: Provisional;
}

/** A deadline has a `date`, or a window `from` .. `to`. */
export interface Deadline {
  deadline: string;
  date?: string;
  from?: string;
  to?: string;
  target?: string;
  rule: string;
  cite: string;
  item?: string | null;
  overdue?: true;
  provisional?: Provisional;
}

export interface Finding {
  finding: string;
  rule: string;
  cite: string;
  item?: string | null;
  message?: string;
  provisional?: Provisional;
}

export interface Advisory {
  rule: string;
  cite: string;
  message: string;
  item?: string | null;
  provisional?: Provisional;
}

export interface Undetermined {
  rule: string;
  cite: string;
  /** JSON paths of the evidence not known. */
  missing: string[];
  item?: string | null;
  depends_on?: string[];
  effects: string[];
}

/** The outcome of one record (contracts/outcome.schema.json). */
export interface Outcome {
  id?: string | null;
  ruleset: {
    name: string;
    version: string;
    digest: string;
    calendar?: { name: string; version: string };
  };
  evaluated_on?: string;
  /** Every judgement, by name: its value, or null where none is made. */
  judgements: Record<string, string | null>;
  details: Record<string, Detail>;
  actions: Action[];
  deadlines: Deadline[];
  findings: Finding[];
  advisories: Advisory[];
  undetermined: Undetermined[];
  warnings?: { path: string; message: string }[];
  /** Present only with `trace: true`. */
  trace?: unknown[];
}

/** The compact outcome, with `compact: true` (contracts/compact.schema.json). */
export interface CompactOutcome {
  id?: string;
  ruleset: { name: string; version: string };
  judgements: Record<string, string | null>;
  provisional?: string[];
  actions: {
    action: string;
    rule: string;
    item?: string;
    due?: string;
    overdue?: true;
    provisional?: true;
  }[];
  deadlines: {
    deadline: string;
    date?: string;
    from?: string;
    to?: string;
    target?: string;
    rule: string;
    item?: string;
    overdue?: true;
    provisional?: true;
  }[];
  findings: { finding: string; rule: string; item?: string; provisional?: true }[];
  /** Rule ids. */
  advisories: string[];
  /** Rule ids. */
  undetermined: string[];
}
