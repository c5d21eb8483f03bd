"""Generated records for rulesets/la_child_protection (adapted from audit 31's
gen.py). Day one across the calendar's years; fieldwork of 13, 14 and 15
days and about day 8; notification and arrival times either side of noon;
cases tracked and sampled on their lines; blank size-adjustment reasons;
"bool or unknown" fields left out, null, true or false. About 3% fall before
the edition, 3% in late 2027 (refused when a working day leaves the
calendar) and 1% break an invalid check."""
from common import D, DAY, add_wd, maybe, near, put, rdate, s, text, tri

RULES = "rulesets/la_child_protection/2012-04.rules"
EDITION = D("2012-04-01")
GRADES = ["outstanding", "good", "adequate", "inadequate"]
TIMES = ["00:00", "08:00", "09:40", "11:59", "11:59:59", "12:00", "12:00:00", "12:00:30", "12:01", "12:30", "23:59"]


def refused(e):
    """Why the ruleset must refuse the record: its edition, then the invalid
    checks of 2012-04.rules."""
    i = e["inspection"]
    if D(i["start"]) < EDITION:
        return ["edition"]
    why = []
    if D(i["end_of_fieldwork"]) < D(i["start"]):
        why.append("fieldwork_ends_before_day_one")
    if e["cases"]["tracked"] < 0:
        why.append("negative_cases_tracked")
    if e["cases"]["sampled"] < 0:
        why.append("negative_cases_sampled")
    return why


def expect(model, e):
    return model.expect(e)


def record(R, i):
    tag = "ok"
    r = R.random()
    if r < 0.03:
        start = rdate(R, "2012-03-01", "2012-03-31")
        tag = "pre-edition"
    elif r < 0.06:
        start = rdate(R, "2027-11-20", "2027-12-31")
        tag = "late-2027"
    else:
        start = rdate(R, "2012-04-01", "2027-11-19")
    r = R.random()
    if r < 0.5:
        end = near(R, add_wd(start, 7), 1)
    elif r < 0.8:
        end = start + R.choice([12, 13, 14, 15]) * DAY
    else:
        end = start + R.randint(0, 20) * DAY
    if R.random() < 0.01:
        end = start - DAY
        tag = "invalid-end-before-start"
    ins = {"start": s(start), "end_of_fieldwork": s(end)}
    arrival_day = start if R.random() < 0.8 else start + R.choice([-1, 1, 2]) * DAY
    arrival_time = R.choice(TIMES)
    notified_day = start if R.random() < 0.75 else start + R.choice([-1, -2, 1]) * DAY
    notified_time = R.choice(TIMES + [arrival_time] * 3)
    put(ins, "notified", maybe(R, f"{notified_day}T{notified_time}", 0.1, 0.05))
    put(ins, "lead_arrival", maybe(R, f"{arrival_day}T{arrival_time}", 0.1, 0.05))
    put(ins, "inspector_unavailable", tri(R, 0.3))
    e = {"inspection": ins}
    prop = {"overall_effectiveness": R.choice(GRADES)}
    for k in ["help_and_protection", "quality_of_practice", "leadership_and_governance"]:
        put(prop, k, maybe(R, R.choice(GRADES), 0.5, 0.1))
    e["proposed"] = prop
    cases = {"tracked": R.choice([0, 5, 18, 19, 20, 21, 25]), "sampled": R.choice([0, 10, 28, 29, 30, 31, 40])}
    if R.random() < 0.01:
        cases[R.choice(["tracked", "sampled"])] = -1
        tag = "invalid-negative"
    put(cases, "size_adjustment_reason", maybe(R, text(R, "a small authority"), 0.4, 0.1))
    e["cases"] = cases
    if R.random() < 0.4:
        dcs = {}
        put(dcs, "reached_before_arrival", tri(R, 0.5))
        e["dcs"] = dcs
    if R.random() < 0.5:
        d = {}
        put(d, "reason", maybe(R, R.choice(["la_staff_unavailable", "accommodation", "inspector_unavailable",
                                            "staff_at_risk", "evidence_severely_restricted", "other"]), 0.1, 0.1))
        for k in ["agreed_by_delivery_director", "qa_manager_informed", "replacement_inspector_available"]:
            put(d, k, tri(R, 0.5))
        e["deferral"] = d
    if R.random() < 0.4:
        c = {}
        put(c, "significant", tri(R, 0.5))
        put(c, "dcs_warned", tri(R, 0.5))
        e["concerns"] = c
    if R.random() < 0.3:
        issues = []
        for j in range(R.randint(0, 2)):
            issue = {"id": f"i{j}"}
            if R.random() < 0.8:
                issue["immediate_safety"] = R.choice([True, False, None])
            issues.append(issue)
        e["serious_issues"] = issues
    if R.random() < 0.5:
        areas = []
        for j in range(R.randint(0, 3)):
            a = {"id": f"a{j}"}
            put(a, "timescale", maybe(R, R.choice(["immediately", "within_three_months", "within_six_months", "other"]),
                                      0.1, 0.1))
            areas.append(a)
        e["areas_for_improvement"] = areas
    return {"id": f"la{i}-{tag}", **e}
