"""Generated records for rulesets/inspection_process (adapted from audit 31's
gen.py). Drafts across the calendar's years, biased to their edges and to
September 2020; the challenge, final report, publication, complaint and
review placed on, before and after their working-day lines; "bool or
unknown" fields left out, null, true or false; texts that are blank in
eleven ways. About 3% fall before the edition, 3% in late December 2027
(refused when a working day leaves the calendar) and 1-2% break an invalid
check; each record's id ends with the branch that made it."""
from common import D, DAY, add_wd, maybe, near, put, rdate, s, text, tri

RULES = "rulesets/inspection_process/2020-09.rules"
EDITION = D("2012-01-01")


def refused(e):
    """Why the ruleset must refuse the record: its edition, then the invalid
    checks of 2020-09.rules."""
    r = e["report"]

    def g(o, k):
        return D(o[k]) if o and o.get(k) else None

    draft = D(r["draft_received"])
    if draft < EDITION:
        return ["edition"]
    end = g(e.get("inspection"), "end")
    fin, pub, ch = g(r, "final_received"), g(r, "published"), g(r, "challenge_submitted")
    ids = {m["id"] for m in e.get("minor_errors") or []}
    why = []
    for q in e.get("requirements") or []:
        if (q.get("sources") or 0) < 0:
            why.append("negative_sources")
        if q.get("minor_error") is not None and q["minor_error"] not in ids:
            why.append("requirement_names_unlisted_minor_error")
    for c in e.get("recommendations") or []:
        if c.get("minor_error") is not None and c["minor_error"] not in ids:
            why.append("recommendation_names_unlisted_minor_error")
    if end and draft < end:
        why.append("draft_before_inspection_ended")
    if fin and fin < draft:
        why.append("final_before_draft")
    if pub and pub < draft:
        why.append("published_before_draft")
    if ch and ch < draft:
        why.append("challenge_before_draft")
    if pub and fin and pub < fin:
        why.append("published_before_final")
    for st in e.get("staff") or []:
        if st.get("last_appraised") and st["last_appraised"] < st["started"]:
            why.append("appraised_before_starting")
    return why


def expect(model, e):
    return model.expect(e)


EXPECTATIONS = ["courtesy", "integrity", "normal_functioning", "children_first", "meeting_children_and_staff",
                "access_without_manager", "minimise_disruption", "inspector_safety", "communication",
                "concerns_raised_promptly", "cctv_and_private_room"]


def record(R, i):
    e = {"id": f"ip{i}"}
    tag = "ok"
    r = R.random()
    if r < 0.03:
        draft = rdate(R, "2011-12-01", "2011-12-31")
        tag = "pre-edition"
    elif r < 0.06:
        draft = rdate(R, "2027-12-15", "2027-12-31")
        tag = "late-2027"
    elif r < 0.12:
        draft = rdate(R, "2020-08-20", "2020-09-10")
    elif r < 0.16:
        draft = rdate(R, "2012-01-01", "2012-02-15")
    else:
        draft = rdate(R, "2012-01-01", "2027-12-14")
    fa_due = add_wd(draft, 5)
    rep = {"draft_received": s(draft)}
    e["report"] = rep
    # the end of the inspection: 18 working days or 30 days before the draft, or any
    r = R.random()
    end = None
    if r < 0.6:
        opts = [add_wd(draft, -18) if draft > D("2012-02-15") else draft, draft - R.randint(0, 40) * DAY,
                draft - 30 * DAY + R.randint(-3, 3) * DAY]
        end = min(near(R, R.choice(opts)), draft)
        if R.random() < 0.02:
            end = draft + DAY
            tag = "invalid-end-after-draft"
        e["inspection"] = {"end": s(end)}
    elif r < 0.7:
        e["inspection"] = R.choice([None, {}, {"end": None}])
    # the challenge
    if R.random() < 0.6:
        ch = max(draft, near(R, fa_due, 2)) if R.random() < 0.8 else draft + R.randint(0, 20) * DAY
        rep["challenge_submitted"] = s(ch)
    elif R.random() < 0.3:
        rep["challenge_submitted"] = None
    # the final report
    final = None
    if R.random() < 0.6:
        opts = [near(R, fa_due, 2), draft + R.randint(0, 40) * DAY]
        if end:
            opts.append(near(R, end + 30 * DAY, 1))
        final = max(draft, R.choice(opts))
        rep["final_received"] = s(final)
    elif R.random() < 0.3:
        rep["final_received"] = None
    # publication
    pub = None
    if R.random() < 0.5:
        b = final or draft
        pub = max(b, R.choice([near(R, add_wd(b, 5), 2), b + R.randint(0, 15) * DAY, near(R, fa_due, 1)]))
        rep["published"] = s(pub)
    # the complaint
    if R.random() < 0.5:
        b = final or pub or draft
        opts = [near(R, add_wd(b, 5), 2), b + R.randint(-10, 30) * DAY]
        if pub:
            opts.append(near(R, add_wd(pub, 5), 1))
        e["complaint"] = {"submitted": s(R.choice(opts))}
    elif R.random() < 0.2:
        e["complaint"] = R.choice([None, {}, {"submitted": None}])
    # the review
    if R.random() < 0.5:
        opts = [near(R, fa_due, 1), draft + R.randint(0, 400) * DAY]
        if end:
            opts.append(near(R, end + 30 * DAY, 1))
        e["review"] = {"date": s(R.choice(opts))}
    # conduct
    if R.random() < 0.4:
        ins = {}
        put(ins, "connection_with_provider", tri(R, 0.3))
        put(ins, "undeclared_conflict", tri(R, 0.3))
        e["inspector"] = ins
    if R.random() < 0.3:
        e["provider"] = {"expectations_not_met": R.choice(
            [None, [], R.sample(EXPECTATIONS, R.randint(1, 3)), [EXPECTATIONS[0], EXPECTATIONS[0]]])}
    # minor errors, requirements, recommendations
    if R.random() < 0.5:
        ms = []
        for j in range(R.randint(0, 3)):
            m = {"id": f"m{j}"}
            put(m, "put_right_during_inspection", tri(R, 0.6))
            put(m, "minimal_impact", tri(R, 0.7))
            ms.append(m)
        e["minor_errors"] = ms
    ids = [m["id"] for m in e.get("minor_errors") or []]

    def minor_error(obj):
        if ids and R.random() < 0.5:
            obj["minor_error"] = R.choice(ids)
        elif R.random() < 0.1:
            obj["minor_error"] = None
        elif R.random() < 0.02:
            obj["minor_error"] = "zz"
            return "invalid-unlisted-minor-error"
        return None

    if R.random() < 0.6:
        qs = []
        for j in range(R.randint(0, 3)):
            q = {"id": f"q{j}"}
            put(q, "sources", maybe(R, R.choice([0, 1, 2, 3, 1, 2]), 0.15, 0.1))
            if R.random() < 0.01:
                q["sources"] = -1
                tag = "invalid-negative-sources"
            put(q, "impact_on_children", tri(R, 0.7))
            put(q, "regulation", maybe(R, text(R, "Regulation 18"), 0.15, 0.1))
            put(q, "due", maybe(R, s(draft + R.randint(10, 90) * DAY), 0.15, 0.1))
            tag = minor_error(q) or tag
            qs.append(q)
        e["requirements"] = qs
    elif R.random() < 0.1:
        e["requirements"] = None
    if R.random() < 0.6:
        cs = []
        for j in range(R.randint(0, 3)):
            c = {"id": f"c{j}"}
            put(c, "guide_reference", maybe(R, text(R, "page 55"), 0.3, 0.1))
            put(c, "other_guidance", maybe(R, text(R, "Working together"), 0.5, 0.1))
            tag = minor_error(c) or tag
            cs.append(c)
        e["recommendations"] = cs
    # staff
    if R.random() < 0.4:
        st = []
        for j in range(R.randint(1, 3)):
            started = rdate(R, "2010-01-01", "2027-06-30")
            emp = {"id": f"s{j}", "started": s(started)}
            if R.random() < 0.6:
                emp["last_appraised"] = s(rdate(R, started, min(D("2027-12-31"), started + 800 * DAY)))
            elif R.random() < 0.3:
                emp["last_appraised"] = None
            st.append(emp)
        e["staff"] = st
    # keep most records in order (the ruleset's invalid checks)
    if tag == "ok" and final and pub and pub < final:
        rep["published"] = s(final)
    e["id"] = f"ip{i}-{tag}"
    return e
