#include <stdio.h>
#include "judgement.h"

#define EVIDENCE "{\"id\": \"ch-1\", \"inspection\": {\"kind\": \"full\", \"start\": \"2015-11-09\", " \
    "\"end\": \"2015-11-11\", \"feedback\": \"2015-11-11\"}, \"home\": {\"secure\": false, " \
    "\"children_placed\": 3}, \"manager\": {\"vacant_since\": \"2015-05-11\"}, \"proposed\": " \
    "{\"overall\": \"good\", \"helped_and_protected\": \"good\", \"leaders_and_managers\": \"good\"}}"

int main(void) {
    judgement_ruleset *rules = judgement_open("rulesets/childrens_homes");
    char *outcome = rules ? judgement_evaluate(rules, EVIDENCE, "{\"compact\": true}") : NULL;
    if (!outcome) { fprintf(stderr, "%s\n", judgement_last_error()); return 1; }
    puts(outcome); /* overall: requires_improvement, since the vacancy makes leadership inadequate */
    judgement_string_free(outcome);
    judgement_free(rules);
    return 0;
}
