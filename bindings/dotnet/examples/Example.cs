using System;
using System.IO;
using Judgement;

class Example {
    static void Main() {
        using (var rules = Ruleset.Load("rulesets/childrens_homes")) {
            try {
                string evidence = File.ReadAllText("examples/childrens_homes/full_inspection.json");
                Console.WriteLine(rules.Evaluate(evidence, new Options { Compact = true }));
            } catch (JudgementException e) {
                Console.Error.WriteLine(e.Kind + " at " + (e.Path ?? e.File) + ": " + e.Message);
            }
        }
    }
}
