"""Generated records for rulesets/monitoring_visits (adapted from audit 31's
gen.py and gen2.py). Homes and adoption agencies; visits across the
calendar's years; the gate of paras 124-126 with any previous and proposed
judgement and conditions held, failed or unknown; compliance notices waived
or not, followed up on, before and after their window's lines; drafts and
returns about their deadlines. About 3% fall about the edition and the
agencies' guidance, 3% in late 2027, and 1% give feedback before the visit
ends (invalid); a tenth of the records with notices have one completing in
late 2011 or late 2027, whose window may leave the calendar (refused when
it does); 2% of the rest break another invalid check."""
from common import D, DAY, add_wd, maybe, near, put, rdate, s, tri

RULES = "rulesets/monitoring_visits/2015-04.rules"
EDITION = D("2015-04-01")
AGENCY_GUIDANCE = D("2015-07-01")
GRADES = ["outstanding", "good", "requires_improvement", "inadequate"]
CONDITIONS = ["situation_made_safe", "concerns_discrete", "higher_judgement_without_concerns",
              "good_track_record", "rectifiable_quickly"]
SUBJECTS = ["registered_provider", "responsible_individual", "registered_manager", "manager", "other_person"]
EDGE_COMPLETIONS = ["2011-12-20", "2011-12-23", "2011-12-30", "2012-01-02", "2012-01-03",
                    "2027-12-21", "2027-12-22", "2027-12-23", "2028-01-04"]


def refused(e):
    """Why the ruleset must refuse the record: its edition, then the invalid
    checks of 2015-04.rules and definitions/monitoring_visits.rules."""
    v = e["visit"]
    if D(v["start"]) < EDITION:
        return ["edition"]
    why = []
    if v["end"] < v["start"]:
        why.append("visit_ends_before_it_starts")
    if v["feedback"] < v["end"]:
        why.append("feedback_before_visit_ends")
    if e["setting"] == "voluntary_adoption_agency" and D(v["start"]) < AGENCY_GUIDANCE:
        why.append("agency_visit_before_guidance")
    for n in e.get("compliance_notices") or []:
        if n.get("served") and n["completion"] < n["served"]:
            why.append("completion_before_service")
        if n.get("served") and n.get("followed_up") and n["followed_up"] < n["served"]:
            why.append("follow_up_before_service")
    r = e.get("report") or {}
    if r.get("draft_sent") and r["draft_sent"] < v["feedback"]:
        why.append("draft_sent_before_inspection_ended")
    if r.get("draft_sent") and r.get("provider_returned") and r["provider_returned"] < r["draft_sent"]:
        why.append("provider_returned_before_draft_sent")
    if r.get("provider_returned") and not r.get("draft_sent"):
        why.append("provider_returned_draft_not_sent")
    return why


def expect(model, e):
    return model.expect(e)


def record(R, i):
    tag = "ok"
    setting = R.choice(["childrens_home", "voluntary_adoption_agency"])
    r = R.random()
    if r < 0.03:
        start = rdate(R, "2015-03-01", "2015-07-10")
        tag = "edition-edge"
    elif r < 0.06:
        start = rdate(R, "2027-11-25", "2027-12-31")
        tag = "late-2027"
    else:
        start = rdate(R, "2015-04-01", "2027-11-24")
    end = start + R.choice([0, 0, 1, 2]) * DAY
    fb = end + R.choice([0, 0, 0, 1, 3]) * DAY
    if R.random() < 0.01:
        fb = end - DAY
        tag = "invalid-feedback"
    e = {"setting": setting, "visit": {"start": s(start), "end": s(end), "feedback": s(fb)}}
    if R.random() < 0.8:
        p = {}
        put(p, "overall", maybe(R, R.choice(GRADES), 0.15, 0.1))
        e["previous"] = p
    if R.random() < 0.8:
        p = {}
        put(p, "overall", maybe(R, R.choice(GRADES), 0.15, 0.1))
        e["proposed"] = p
    if R.random() < 0.7:
        e["requirements"] = [{"id": f"r{j}", "met": R.random() < 0.8} for j in range(R.randint(0, 3))]
    if R.random() < 0.85:
        c = {}
        held = R.random() < 0.5
        for k in CONDITIONS:
            if held:
                c[k] = True
            else:
                put(c, k, tri(R, 0.7))
        e["conditions"] = c
    if R.random() < 0.6:
        ns = []
        for j in range(R.randint(0, 3)):
            served = None
            if R.random() < 0.85:
                served = R.choice([start - R.randint(1, 60) * DAY, start, start + R.randint(0, 3) * DAY,
                                   fb + R.randint(1, 40) * DAY])
            if R.random() < 0.7:
                completion = rdate(R, served or start - 30 * DAY, (served or start) + 120 * DAY)
            else:
                completion = (served or start) + R.randint(0, 90) * DAY
            n = {"id": f"cn{j}", "completion": s(completion)}
            if served is not None:
                n["served"] = s(served)
            elif R.random() < 0.3:
                n["served"] = None
            waive = R.random() < 0.3
            for k in ["visit_waived", "written_confirmation", "documentary_evidence", "reason_recorded"]:
                put(n, k, tri(R, 0.85 if waive else 0.3))
            if R.random() < 0.7:
                last = add_wd(completion, 5)
                f = R.choice([completion, completion + DAY, last, last + DAY, near(R, last, 2), completion - DAY])
                if served and f < served:
                    f = served
                n["followed_up"] = s(f)
            ns.append(n)
        # audit 31 gen2.py: one notice completing about the calendar's first or last days
        if ns and tag == "ok" and R.random() < 0.1:
            n = R.choice(ns)
            n.pop("served", None)
            c = D(R.choice(EDGE_COMPLETIONS))
            n["completion"] = s(c)
            if n.get("followed_up"):
                n["followed_up"] = s(c + R.choice([0, 1, 7]) * DAY)
            tag = "edge-year"
        e["compliance_notices"] = ns
    if R.random() < 0.7:
        rep = {}
        put(rep, "not_published", tri(R, 0.2))
        if R.random() < 0.6:
            last = add_wd(fb, 5)
            sent = max(fb, R.choice([fb, near(R, last, 1), last, last + DAY]))
            rep["draft_sent"] = s(sent)
            if R.random() < 0.6:
                last = add_wd(sent, 5)
                rep["provider_returned"] = s(max(sent, R.choice([sent, last, last + DAY, near(R, last, 2)])))
        e["report"] = rep
    if R.random() < 0.4:
        c = {}
        put(c, "subject", maybe(R, R.choice(SUBJECTS), 0.1, 0.1))
        put(c, "advice_taken", tri(R, 0.5))
        e["caution"] = c
    if R.random() < 0.3:
        o = {}
        put(o, "suspected", tri(R, 0.5))
        e["offence"] = o
    if R.random() < 0.4:
        e["assessment"] = {"date": s(fb + R.randint(0, 30) * DAY)}
    if tag == "ok" and R.random() < 0.02:
        invalid(R, e)
        tag = "invalid"
    return {"id": f"mv{i}-{tag}", **e}


def invalid(R, e):
    """The record made to break one of the ruleset's invalid checks."""
    v = e["visit"]
    start, fb = D(v["start"]), D(v["feedback"])
    k = R.randrange(5)
    if k == 0:
        v["end"] = s(start - DAY)
    elif k == 1:
        e.setdefault("compliance_notices", []).append({"id": "bad", "served": s(start), "completion": s(start - DAY)})
    elif k == 2:
        e.setdefault("compliance_notices", []).append(
            {"id": "bad", "served": s(start), "completion": s(start + 30 * DAY), "followed_up": s(start - DAY)})
    elif k == 3:
        e["report"] = {"draft_sent": s(fb - DAY)}
    else:
        e["report"] = {"draft_sent": s(fb + 5 * DAY), "provider_returned": s(fb + 4 * DAY)}
