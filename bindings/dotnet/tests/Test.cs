// The .NET wrapper's test, compiled with mcs and run with mono (bindings/ci.sh):
// every ruleset's corpus (tests/fixtures/bindings) gives byte for byte what the
// command line gives, from a path and from memory; errors arrive as
// JudgementException with their data; Dispose frees once and is final.
//
// Usage: mono Test.exe ROOT   (ROOT is the repository). Prints "N passed, N failed".

using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using Judgement;

static class Test
{
    static int passed, failed;
    static string root;

    static readonly string[] Rulesets =
    {
        "childrens_homes", "inspection_process", "la_child_protection",
        "monitoring_visits", "voluntary_adoption_agencies",
    };

    static void Check(bool condition, string what)
    {
        if (condition)
        {
            passed++;
        }
        else
        {
            failed++;
            Console.Error.WriteLine("FAILED: " + what);
        }
    }

    static string Fixture(string name)
    {
        return Path.Combine(root, "tests", "fixtures", "bindings", name);
    }

    static bool SameBytes(string text, string file)
    {
        byte[] have = Encoding.UTF8.GetBytes(text);
        byte[] want = File.ReadAllBytes(file);
        if (have.Length != want.Length) return false;
        for (int i = 0; i < have.Length; i++)
            if (have[i] != want[i]) return false;
        return true;
    }

    // Pretty JSON without the whitespace outside strings: the compact form.
    static string Minify(string json)
    {
        var o = new StringBuilder(json.Length);
        bool inString = false;
        for (int i = 0; i < json.Length; i++)
        {
            char c = json[i];
            if (inString)
            {
                o.Append(c);
                if (c == '\\' && i + 1 < json.Length) o.Append(json[++i]);
                else if (c == '"') inString = false;
            }
            else if (c == '"')
            {
                o.Append(c);
                inString = true;
            }
            else if (c != ' ' && c != '\n' && c != '\t' && c != '\r')
            {
                o.Append(c);
            }
        }
        return o.ToString();
    }

    static string[] Lines(string file)
    {
        return File.ReadAllText(file, Encoding.UTF8).TrimEnd('\n').Split('\n');
    }

    static Dictionary<string, string> Sources(string ruleset)
    {
        var sources = new Dictionary<string, string>();
        foreach (string folder in new[] { ruleset, "calendars", "definitions" })
        {
            foreach (string file in Directory.GetFiles(Path.Combine(root, "rulesets", folder)))
            {
                if (file.EndsWith(".rules") || file.EndsWith(".calendar"))
                    sources[folder + "/" + Path.GetFileName(file)] = File.ReadAllText(file, Encoding.UTF8);
            }
        }
        return sources;
    }

    static void Corpus(Ruleset rules, string name, string how)
    {
        string input = File.ReadAllText(Fixture(name + ".jsonl"), Encoding.UTF8);
        long failedLines;
        string output = rules.EvaluateLines(input, null, out failedLines);
        Check(SameBytes(output, Fixture(name + ".out.jsonl")), name + " " + how + ": EvaluateLines is the CLI's output");
        Check(failedLines == 0, name + ": no line failed");
        string compact = rules.EvaluateLines(input, new Options { Compact = true });
        Check(SameBytes(compact, Fixture(name + ".compact.jsonl")), name + " " + how + ": compact EvaluateLines");

        string[] records = Lines(Fixture(name + ".jsonl"));
        string[] want = Lines(Fixture(name + ".out.jsonl"));
        Check(records.Length == want.Length, name + ": line counts");
        for (int i = 0; i < records.Length && i < want.Length; i++)
        {
            string pretty = rules.Evaluate(records[i]);
            Check(Minify(pretty) == want[i], name + " " + how + ": record " + (i + 1));
        }
    }

    static JudgementException Fails(Action call)
    {
        try
        {
            call();
        }
        catch (JudgementException e)
        {
            return e;
        }
        return null;
    }

    static void ExpectError(JudgementException e, string kind, string what)
    {
        Check(e != null, what + ": throws JudgementException");
        if (e == null) return;
        Check(e.Kind == kind, what + ": kind " + e.Kind + ", expected " + kind + " (" + e.ErrorsJson + ")");
        Check(!string.IsNullOrEmpty(e.Message), what + ": a message");
        Check(e.ErrorsJson.StartsWith("[{"), what + ": the errors as JSON");
        Check(e.Errors.Count >= 1, what + ": the errors as a list");
    }

    static void Errors(Ruleset rules, string record)
    {
        var e = Fails(() => rules.Evaluate("{\n  \"id\": "));
        ExpectError(e, "json", "bad JSON");
        Check(e != null && e.Line == 2 && e.Column > 0, "bad JSON: line and column");

        e = Fails(() => rules.Evaluate("{\"colour\": 1, " + record.Substring(1)));
        ExpectError(e, "evidence", "unknown key");
        Check(e != null && e.Path != null && e.Path.Contains("colour"), "unknown key: path");
        string allowed = rules.Evaluate("{\"colour\": 1, " + record.Substring(1), new Options { AllowUnknownFields = true });
        Check(allowed.Contains("colour"), "an allowed unknown key is a warning");

        var broken = new Dictionary<string, string>
        {
            { "broken/2015-04.rules", "ruleset broken \"B\"\n  edition \"2015-04\"\n  in force from 2015-04-01\n\nrule r \"c\"\n  when ??? then\n" },
        };
        e = Fails(() => Ruleset.FromSources(broken));
        ExpectError(e, "syntax", "syntax error");
        Check(e != null && e.File == "broken/2015-04.rules" && e.Line == 6 && e.Column > 0, "syntax error: file, line and column");

        // A NUL would end the text the C API reads: what follows it would be
        // dropped without a word, so such a text is refused.
        bool refused = false;
        try
        {
            rules.Evaluate(record + "\0garbage");
        }
        catch (ArgumentException)
        {
            refused = true;
        }
        Check(refused, "a text with a NUL character is refused, not cut short");
        // A lone surrogate is no character: refused, not turned into U+FFFD.
        refused = false;
        try
        {
            rules.Evaluate(record.Replace("\"ch-0001\"", "\"ch-\uD800\""));
        }
        catch (ArgumentException)
        {
            refused = true;
        }
        Check(refused, "a text with a lone surrogate is refused, not changed");

        var tiny = new Dictionary<string, string>
        {
            {
                "tiny/2020-01.rules",
                "ruleset tiny \"Tiny\"\n  edition \"2020-01\"\n  in force from 2020-01-01\n  as at day\n\n" +
                "scale grade: outstanding > good > requires_improvement > inadequate\n\n" +
                "evidence\n  day: date\n  a: bool\n  b: bool\n  proposed.overall: grade or none\n\n" +
                "judgement overall: grade from proposed.overall\n\n" +
                "rule floor_good \"para 1\"\n  when a\n  then overall at least good\n\n" +
                "rule cap_ri \"para 2\"\n  when b\n  then overall at most requires_improvement\n"
            },
        };
        using (var small = Ruleset.FromSources(tiny))
        {
            e = Fails(() => small.Evaluate("{\"id\": \"t\", \"day\": \"2020-02-01\", \"a\": true, \"b\": true, \"proposed\": {\"overall\": \"good\"}}"));
            ExpectError(e, "evaluation", "floor above cap");
            Check(e != null && e.Rule == "floor_good" && e.Cite == "para 1", "floor above cap: rule and citation");
        }

        ExpectError(Fails(() => Ruleset.Load("no/such/ruleset")), "io", "no such path");
        ExpectError(Fails(() => Ruleset.Load(null)), "usage", "Load(null)");
        ExpectError(Fails(() => rules.Evaluate(null)), "usage", "Evaluate(null)");
        ExpectError(Fails(() => rules.Evaluate(record, new Options { Edition = "1999-01" })), "edition", "unknown edition");
        ExpectError(Fails(() => rules.Schema("1999-01")), "edition", "schema of an unknown edition");
        ExpectError(Fails(() => Ruleset.FromSources(new Dictionary<string, string>())), "load", "no sources");
    }

    static void Rest(Ruleset rules, string record)
    {
        Check(!string.IsNullOrEmpty(Ruleset.Version), "version");
        string text = rules.Explain(record, "ch-0001.json");
        Check(text.Contains("ch-0001.json") && text.Contains("Overall") && text.Contains("Leaders and managers"), "explain");
        string why = rules.WhyNot(record, "overall=outstanding");
        Check(why.StartsWith("Why is overall not outstanding?\n"), "why not: " + why);
        string data = rules.WhyNot(record, "action:consider_enforcement", null, true);
        Check(data.Contains("\"kind\": \"effect\"") && data.Contains("\"rule\": \"no_application_within_90_days\""), "why not as JSON");
        JudgementException unknown = Fails(() => rules.WhyNot(record, "overal=good"));
        ExpectError(unknown, "usage", "why not an unknown target");
        Check(unknown != null && unknown.Message.Contains("did you mean `overall`?"), "why not suggests");
        Check(rules.Schema().Contains("\"properties\""), "schema");
        Check(rules.Schema("2015-04", true).Contains("\"properties\""), "schema of an edition");
        Check(rules.Warnings().StartsWith("["), "warnings");
        string tests = rules.RunTests();
        Check(tests.Contains("\"passed\":true") && !tests.Contains("\"passed\":false"), "the ruleset's own tests pass");
        string traced = rules.Evaluate(record, new Options { Trace = true, Edition = "2015-04" });
        Check(traced.Contains("\"trace\""), "options reach the engine");
    }

    static void Threads(Ruleset rules, string[] records, string[] want)
    {
        bool ok = true;
        var threads = new List<Thread>();
        for (int t = 0; t < 4; t++)
        {
            int first = t;
            var thread = new Thread(() =>
            {
                for (int i = first; i < records.Length; i += 4)
                {
                    if (Minify(rules.Evaluate(records[i])) != want[i]) ok = false;
                    var e = Fails(() => rules.Evaluate("["));
                    if (e == null || e.Kind != "json") ok = false;
                }
            });
            thread.Start();
            threads.Add(thread);
        }
        foreach (var thread in threads) thread.Join();
        Check(ok, "one Ruleset, four threads");
    }

    static void Dispose(string record)
    {
        var rules = Ruleset.Load(Path.Combine(root, "rulesets", "childrens_homes"));
        rules.Dispose();
        rules.Dispose();
        bool threw = false;
        try
        {
            rules.Evaluate(record);
        }
        catch (ObjectDisposedException)
        {
            threw = true;
        }
        Check(threw, "a disposed Ruleset refuses calls");
        using (var again = Ruleset.Load(Path.Combine(root, "rulesets", "childrens_homes")))
        {
            Check(again.Evaluate(record).Contains("\"judgements\""), "using");
        }
    }

    static int Main(string[] args)
    {
        root = args.Length > 0 ? args[0] : ".";
        string[] records = Lines(Fixture("childrens_homes.jsonl"));
        string[] want = Lines(Fixture("childrens_homes.out.jsonl"));
        using (var rules = Ruleset.Load(Path.Combine(root, "rulesets", "childrens_homes")))
        {
            Corpus(rules, "childrens_homes", "from a path");
            Errors(rules, records[0]);
            Rest(rules, records[0]);
            Threads(rules, records, want);
            int good = 0;
            for (int i = 0; i < 1000; i++)
                if (Minify(rules.Evaluate(records[i % records.Length])) == want[i % records.Length]) good++;
            Check(good == 1000, "1000 evaluations");
        }
        foreach (string name in Rulesets)
        {
            using (var rules = Ruleset.FromSources(Sources(name)))
            {
                Corpus(rules, name, "from memory");
            }
        }
        Dispose(records[0]);
        Console.WriteLine(passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }
}
