/* The C API's test: every ruleset's corpus (tests/fixtures/bindings) gives
   byte for byte what the command line gives, from a path and from memory;
   errors are data; NULL and bad text are errors, never a crash; one handle
   serves several threads; then a loop of evaluations for valgrind to watch.

   Usage: test ROOT [EVALUATIONS]   (ROOT is the repository; default 1000)
   Prints "N passed, N failed" and exits 1 if any check failed. */

#define _POSIX_C_SOURCE 200809L

#include "judgement.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;
static const char *root = ".";

#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        if (cond) {                                                        \
            passed++;                                                      \
        } else {                                                           \
            failed++;                                                      \
            fprintf(stderr, "FAILED %s:%d: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                  \
            fputc('\n', stderr);                                           \
        }                                                                  \
    } while (0)

static const char *RULESETS[] = {"childrens_homes", "inspection_process", "la_child_protection",
                                 "monitoring_visits", "voluntary_adoption_agencies"};
#define NRULESETS (sizeof RULESETS / sizeof *RULESETS)

/* The whole of a file under ROOT, NUL-terminated; exits if it cannot. */
static char *read_file(const char *relative) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root, relative);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    size_t cap = 1 << 16, len = 0, n;
    char *buf = malloc(cap);
    while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len - 1 == 0) buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (!buf) exit(2);
    buf[len] = '\0';
    return buf;
}

/* The lines of a text, each a NUL-terminated copy (without the newline). */
typedef struct {
    char **line;
    size_t count;
} lines_t;

static lines_t split_lines(const char *text) {
    lines_t l = {NULL, 0};
    size_t cap = 0;
    for (const char *p = text; *p;) {
        const char *end = strchr(p, '\n');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (l.count == cap) l.line = realloc(l.line, (cap = cap ? cap * 2 : 64) * sizeof *l.line);
        l.line[l.count] = strndup(p, n);
        l.count++;
        p += n + (end ? 1 : 0);
    }
    return l;
}

static void free_lines(lines_t l) {
    for (size_t i = 0; i < l.count; i++) free(l.line[i]);
    free(l.line);
}

/* Pretty JSON without the whitespace outside strings: the compact form
   serde_json writes (for comparing one record's `evaluate` with its line). */
static char *minify(const char *json) {
    char *out = malloc(strlen(json) + 1), *o = out;
    int in_string = 0;
    for (const char *p = json; *p; p++) {
        if (in_string) {
            *o++ = *p;
            if (*p == '\\' && p[1]) *o++ = *++p;
            else if (*p == '"') in_string = 0;
        } else if (*p == '"') {
            *o++ = *p;
            in_string = 1;
        } else if (*p != ' ' && *p != '\n' && *p != '\t' && *p != '\r') {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

/* A field of the first error of the last call, or "" when it has none. */
static const char *field(const char *name) {
    const char *v = judgement_error_field(0, name);
    return v ? v : "";
}

/* The last call failed with `kind`, and left it as data. */
static void expect_error(const void *result, const char *kind, const char *what) {
    CHECK(result == NULL, "%s: expected NULL", what);
    CHECK(judgement_last_error() != NULL && judgement_last_error()[0] == '[',
          "%s: last error is a JSON array", what);
    CHECK(judgement_error_count() >= 1, "%s: error count", what);
    CHECK(strcmp(field("kind"), kind) == 0, "%s: kind %s, expected %s (%s)", what, field("kind"),
          kind, judgement_last_error() ? judgement_last_error() : "NULL");
    CHECK(strlen(field("message")) > 0, "%s: a message", what);
}

/* The files of a ruleset as the test reads them: its editions, the
   calendars and the shared definitions, labelled relative to rulesets/. */
typedef struct {
    char *label[64];
    char *text[64];
    size_t count;
} sources_t;

static void add_folder(sources_t *s, const char *folder) {
    char path[4096];
    snprintf(path, sizeof path, "%s/rulesets/%s", root, folder);
    DIR *dir = opendir(path);
    if (!dir) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    struct dirent *e;
    while ((e = readdir(dir)) && s->count < 64) {
        const char *dot = strrchr(e->d_name, '.');
        if (!dot || (strcmp(dot, ".rules") != 0 && strcmp(dot, ".calendar") != 0)) continue;
        char label[1024], relative[2048];
        snprintf(label, sizeof label, "%s/%s", folder, e->d_name);
        snprintf(relative, sizeof relative, "rulesets/%s", label);
        s->label[s->count] = strdup(label);
        s->text[s->count] = read_file(relative);
        s->count++;
    }
    closedir(dir);
}

static judgement_ruleset *open_from_memory(const char *ruleset) {
    sources_t s = {.count = 0};
    add_folder(&s, ruleset);
    add_folder(&s, "calendars");
    add_folder(&s, "definitions");
    judgement_ruleset *r =
        judgement_open_sources((const char *const *)s.label, (const char *const *)s.text, s.count);
    for (size_t i = 0; i < s.count; i++) {
        free(s.label[i]);
        free(s.text[i]);
    }
    return r;
}

/* The corpus of a ruleset against the command line's output. */
static void check_corpus(judgement_ruleset *r, const char *ruleset, const char *how) {
    char name[512];
    snprintf(name, sizeof name, "tests/fixtures/bindings/%s.jsonl", ruleset);
    char *input = read_file(name);
    snprintf(name, sizeof name, "tests/fixtures/bindings/%s.out.jsonl", ruleset);
    char *full = read_file(name);
    snprintf(name, sizeof name, "tests/fixtures/bindings/%s.compact.jsonl", ruleset);
    char *compact = read_file(name);

    size_t nfailed = 99;
    char *out = judgement_evaluate_lines(r, input, NULL, &nfailed);
    CHECK(out && strcmp(out, full) == 0, "%s %s: evaluate_lines differs from %s.out.jsonl", ruleset,
          how, ruleset);
    CHECK(nfailed == 0, "%s %s: %zu lines failed", ruleset, how, nfailed);
    judgement_string_free(out);
    out = judgement_evaluate_lines(r, input, "{\"compact\": true}", NULL);
    CHECK(out && strcmp(out, compact) == 0, "%s %s: compact evaluate_lines differs", ruleset, how);
    judgement_string_free(out);

    /* One record at a time: the pretty JSON is the line, laid out. */
    lines_t in = split_lines(input), want = split_lines(full), want_compact = split_lines(compact);
    CHECK(in.count == want.count && in.count > 0, "%s: line counts", ruleset);
    for (size_t i = 0; i < in.count && i < want.count && i < want_compact.count; i++) {
        char *pretty = judgement_evaluate(r, in.line[i], NULL);
        char *small = pretty ? minify(pretty) : NULL;
        CHECK(small && strcmp(small, want.line[i]) == 0, "%s %s: record %zu", ruleset, how, i + 1);
        CHECK(pretty && strchr(pretty, '\n') && pretty[strlen(pretty) - 1] == '}',
              "%s: record %zu is pretty, without a final newline", ruleset, i + 1);
        free(small);
        judgement_string_free(pretty);
        pretty = judgement_evaluate(r, in.line[i], "{\"compact\": true}");
        small = pretty ? minify(pretty) : NULL;
        CHECK(small && strcmp(small, want_compact.line[i]) == 0, "%s %s: compact record %zu",
              ruleset, how, i + 1);
        free(small);
        judgement_string_free(pretty);
    }
    free_lines(in);
    free_lines(want);
    free_lines(want_compact);
    free(input);
    free(full);
    free(compact);
}

static void check_errors(judgement_ruleset *r, const char *record) {
    /* Not JSON: kind json, with the line and column in the evidence. */
    expect_error(judgement_evaluate(r, "{\n  \"id\": ", NULL), "json", "bad JSON");
    CHECK(strcmp(field("line"), "2") == 0, "bad JSON: line %s", field("line"));
    CHECK(atoi(field("column")) > 0, "bad JSON: column %s", field("column"));

    /* A key the ruleset does not declare: kind evidence, with its path. */
    size_t n = strlen(record);
    char *unknown = malloc(n + 32);
    snprintf(unknown, n + 32, "{\"colour\": 1, %s", record + 1);
    expect_error(judgement_evaluate(r, unknown, NULL), "evidence", "unknown key");
    CHECK(strstr(field("path"), "colour") != NULL, "unknown key: path %s", field("path"));
    /* ... which the options may allow. */
    char *ok = judgement_evaluate(r, unknown, "{\"allow_unknown_fields\": true}");
    CHECK(ok && strstr(ok, "colour"), "allowed unknown key is a warning");
    CHECK(judgement_last_error() == NULL && judgement_error_count() == 0,
          "a call that succeeds clears the last error");
    judgement_string_free(ok);
    free(unknown);

    /* A syntax error in a rule text from memory: the label, line, column. */
    const char *labels[] = {"broken/2015-04.rules"};
    const char *texts[] = {"ruleset broken \"B\"\n  edition \"2015-04\"\n  in force from 2015-04-01\n\nrule r \"c\"\n  when ??? then\n"};
    expect_error(judgement_open_sources(labels, texts, 1), "syntax", "syntax error");
    CHECK(strcmp(field("file"), "broken/2015-04.rules") == 0, "syntax error: file %s",
          field("file"));
    CHECK(strcmp(field("line"), "6") == 0, "syntax error: line %s", field("line"));
    CHECK(atoi(field("column")) > 0, "syntax error: column %s", field("column"));

    /* A floor above a cap: kind evaluation, with the rule and citation. */
    const char *tiny_label[] = {"tiny/2020-01.rules"};
    const char *tiny_text[] = {
        "ruleset tiny \"Tiny\"\n  edition \"2020-01\"\n  in force from 2020-01-01\n  as at day\n\n"
        "scale grade: outstanding > good > requires_improvement > inadequate\n\n"
        "evidence\n  day: date\n  a: bool\n  b: bool\n  proposed.overall: grade or none\n\n"
        "judgement overall: grade from proposed.overall\n\n"
        "rule floor_good \"para 1\"\n  when a\n  then overall at least good\n\n"
        "rule cap_ri \"para 2\"\n  when b\n  then overall at most requires_improvement\n"};
    judgement_ruleset *tiny = judgement_open_sources(tiny_label, tiny_text, 1);
    CHECK(tiny != NULL, "tiny ruleset: %s", judgement_last_error() ? judgement_last_error() : "");
    expect_error(judgement_evaluate(tiny, "{\"id\": \"t\", \"day\": \"2020-02-01\", \"a\": true, "
                                          "\"b\": true, \"proposed\": {\"overall\": \"good\"}}", NULL),
                 "evaluation", "floor above cap");
    CHECK(strcmp(field("rule"), "floor_good") == 0 && strcmp(field("cite"), "para 1") == 0,
          "floor above cap: rule %s, cite %s", field("rule"), field("cite"));
    judgement_free(tiny);

    /* Bad calls are usage errors, never a crash. */
    expect_error(judgement_open(NULL), "usage", "open NULL");
    expect_error(judgement_open_sources(NULL, NULL, 2), "usage", "sources NULL");
    const char *null_text[] = {NULL};
    expect_error(judgement_open_sources(labels, null_text, 1), "usage", "a NULL text");
    expect_error(judgement_open_sources(NULL, NULL, 0), "load", "no sources");
    expect_error(judgement_open("no/such/ruleset"), "io", "no such path");
    expect_error(judgement_evaluate(NULL, record, NULL), "usage", "evaluate NULL ruleset");
    expect_error(judgement_evaluate(r, NULL, NULL), "usage", "evaluate NULL evidence");
    expect_error(judgement_evaluate(r, "{\"id\": \"\xff\"}", NULL), "usage", "invalid UTF-8");
    expect_error(judgement_evaluate(r, record, "{\"colour\": true}"), "usage", "bad options");
    expect_error(judgement_evaluate(r, record, "{\"edition\": \"1999-01\"}"), "edition",
                 "unknown edition");
    expect_error(judgement_evaluate_lines(r, NULL, NULL, NULL), "usage", "lines NULL");
    expect_error(judgement_explain(r, record, NULL, NULL), "usage", "explain NULL name");
    expect_error(judgement_why_not(r, record, NULL, NULL, false), "usage", "why not NULL target");
    expect_error(judgement_why_not(r, record, "overal=good", NULL, false), "usage",
                 "why not an unknown target");
    CHECK(strstr(field("message"), "did you mean `overall`?") != NULL, "why not suggests: %s",
          field("message"));
    expect_error(judgement_schema(NULL, NULL, false), "usage", "schema NULL ruleset");
    expect_error(judgement_schema(r, "1999-01", false), "edition", "schema unknown edition");
    expect_error(judgement_warnings(NULL), "usage", "warnings NULL");
    expect_error(judgement_run_tests(NULL), "usage", "run_tests NULL");
    CHECK(judgement_error_field(0, NULL) == NULL, "error_field NULL");
    CHECK(judgement_error_field(0, "colour") == NULL, "error_field unknown");
    CHECK(judgement_error_field(99, "kind") == NULL, "error_field out of range");
    judgement_free(NULL);
    judgement_string_free(NULL);

    /* A failing line of JSON Lines is a line of output, not a failure. */
    size_t nfailed = 0;
    char *out = judgement_evaluate_lines(r, "\n{\"id\": 1\n", NULL, &nfailed);
    CHECK(out && strncmp(out, "{\"line\":2,\"error\":", 18) == 0, "error line: %s",
          out ? out : "NULL");
    CHECK(nfailed == 1, "failed lines %zu", nfailed);
    judgement_string_free(out);
}

static void check_the_rest(judgement_ruleset *r, const char *record) {
    CHECK(judgement_version() && strlen(judgement_version()) > 0, "version");
    char *text = judgement_explain(r, record, "ch-0001.json", NULL);
    CHECK(text && strstr(text, "ch-0001.json") && strstr(text, "Overall") &&
              strstr(text, "Leaders and managers"),
          "explain names the evidence and the judgements");
    judgement_string_free(text);
    text = judgement_why_not(r, record, "overall=outstanding", NULL, false);
    CHECK(text && strncmp(text, "Why is overall not outstanding?\n", 32) == 0, "why not: %s",
          text ? text : "NULL");
    judgement_string_free(text);
    text = judgement_why_not(r, record, "action:consider_enforcement", NULL, true);
    CHECK(text && strstr(text, "\"kind\": \"effect\"") &&
              strstr(text, "\"rule\": \"no_application_within_90_days\""),
          "why not as JSON: %s", text ? text : "NULL");
    judgement_string_free(text);
    text = judgement_schema(r, NULL, false);
    CHECK(text && strstr(text, "\"properties\"") && strstr(text, "\"inspection\""), "schema");
    judgement_string_free(text);
    text = judgement_schema(r, "2015-04", true);
    CHECK(text != NULL, "schema of an edition");
    judgement_string_free(text);
    text = judgement_warnings(r);
    CHECK(text && text[0] == '[', "warnings");
    judgement_string_free(text);
    text = judgement_run_tests(r);
    CHECK(text && strstr(text, "\"passed\":true") && !strstr(text, "\"passed\":false"),
          "the ruleset's own tests pass");
    judgement_string_free(text);
}

/* One handle, several threads: each evaluates its share of the corpus, and
   has its own last error. */
typedef struct {
    judgement_ruleset *r;
    lines_t *in, *want;
    size_t first;
    int ok;
} job_t;

static void *worker(void *arg) {
    job_t *job = arg;
    job->ok = 1;
    for (size_t i = job->first; i < job->in->count; i += 4) {
        char *pretty = judgement_evaluate(job->r, job->in->line[i], NULL);
        char *small = pretty ? minify(pretty) : NULL;
        if (!small || strcmp(small, job->want->line[i]) != 0) job->ok = 0;
        free(small);
        judgement_string_free(pretty);
        if (judgement_evaluate(job->r, "[", NULL) != NULL || strcmp(field("kind"), "json") != 0)
            job->ok = 0;
    }
    return NULL;
}

static void check_threads(judgement_ruleset *r, lines_t *in, lines_t *want) {
    pthread_t threads[4];
    job_t jobs[4];
    for (size_t t = 0; t < 4; t++) {
        jobs[t] = (job_t){r, in, want, t, 0};
        pthread_create(&threads[t], NULL, worker, &jobs[t]);
    }
    /* This thread's last error is its own. */
    expect_error(judgement_open(NULL), "usage", "main thread");
    for (size_t t = 0; t < 4; t++) {
        pthread_join(threads[t], NULL);
        CHECK(jobs[t].ok, "thread %zu", t);
    }
    CHECK(strcmp(field("kind"), "usage") == 0, "the main thread's error is unchanged");
}

int main(int argc, char **argv) {
    if (argc > 1) root = argv[1];
    long evaluations = argc > 2 ? atol(argv[2]) : 1000;
    char path[4096];

    /* From a path. */
    snprintf(path, sizeof path, "%s/rulesets/childrens_homes", root);
    judgement_ruleset *r = judgement_open(path);
    CHECK(r != NULL, "open %s: %s", path, judgement_last_error() ? judgement_last_error() : "");
    if (!r) return 1;
    CHECK(judgement_last_error() == NULL, "no error after opening");
    check_corpus(r, "childrens_homes", "from a path");

    char *input = read_file("tests/fixtures/bindings/childrens_homes.jsonl");
    char *full = read_file("tests/fixtures/bindings/childrens_homes.out.jsonl");
    lines_t in = split_lines(input), want = split_lines(full);
    check_errors(r, in.line[0]);
    check_the_rest(r, in.line[0]);
    check_threads(r, &in, &want);

    /* Every ruleset from memory. */
    for (size_t i = 0; i < NRULESETS; i++) {
        judgement_ruleset *m = open_from_memory(RULESETS[i]);
        CHECK(m != NULL, "open %s from memory: %s", RULESETS[i],
              judgement_last_error() ? judgement_last_error() : "");
        if (m) check_corpus(m, RULESETS[i], "from memory");
        judgement_free(m);
    }

    /* Many evaluations, each result freed, one in ten a failure. */
    long good = 0;
    for (long i = 0; i < evaluations; i++) {
        size_t k = (size_t)i % in.count;
        char *pretty = judgement_evaluate(r, in.line[k], NULL);
        char *small = pretty ? minify(pretty) : NULL;
        if (small && strcmp(small, want.line[k]) == 0) good++;
        free(small);
        judgement_string_free(pretty);
        if (i % 10 == 0 && judgement_evaluate(r, "{\"id\": [}", NULL) == NULL &&
            judgement_error_field(0, "kind") == NULL)
            good = -1;
    }
    CHECK(good == evaluations, "%ld of %ld evaluations as expected", good, evaluations);

    free_lines(in);
    free_lines(want);
    free(input);
    free(full);
    judgement_free(r);
    printf("%ld evaluations\n", evaluations);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
