"""What the generators share: date arithmetic and the dates worth testing.
Standard library only; every draw comes from the random.Random passed in, so
a generator is deterministic given its seed."""
import bisect
import calendar
import datetime as dt
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "eval"))
from bank_holidays import FIRST, HOLIDAYS, LAST  # noqa: E402

D = dt.date.fromisoformat
DAY = dt.timedelta(days=1)


def days(n):
    return dt.timedelta(days=n)


def s(d):
    return None if d is None else str(d)


def working(d):
    return d.weekday() < 5 and d not in HOLIDAYS


def add_wd(d, n):
    """The n-th working day after d (before it, for a negative n), to place a
    date near a deadline; outside the calendar's years every weekday counts."""
    step = 1 if n > 0 else -1
    for _ in range(abs(n)):
        d += step * DAY
        while not working(d):
            d += step * DAY
    return d


def add_months(d, n):
    y, m = divmod(d.month - 1 + n, 12)
    y, m = d.year + y, m + 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def month_end(d):
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def easter_sundays():
    """Easter Sunday of each year of the calendar, from its Good Fridays."""
    return sorted(h + days(2) for h in HOLIDAYS if h.month in (3, 4) and h.weekday() == 4)


def interesting_dates():
    """Every bank holiday and the days around it, month ends and firsts,
    15-31 December, the days around 29 February: 2012-2027, sorted."""
    out = set()
    for h in HOLIDAYS:
        out |= {h + days(k) for k in range(-6, 4)}
    for y in range(FIRST.year, LAST.year + 1):
        for m in range(1, 13):
            e = month_end(dt.date(y, m, 1))
            out |= {e, e - DAY, e - 2 * DAY, dt.date(y, m, 1)}
        out |= {dt.date(y, 12, d) for d in range(15, 32)}
        if calendar.isleap(y):
            out |= {dt.date(y, 2, 27), dt.date(y, 2, 28), dt.date(y, 2, 29), dt.date(y, 3, 1)}
    return sorted(out)


INTERESTING = interesting_dates()


def rdate(R, lo, hi, p_interesting=0.6):
    """A day from lo to hi, both included: often one of INTERESTING."""
    lo = D(lo) if isinstance(lo, str) else lo
    hi = D(hi) if isinstance(hi, str) else hi
    if R.random() < p_interesting:
        i, j = bisect.bisect_left(INTERESTING, lo), bisect.bisect_right(INTERESTING, hi)
        if i < j:
            return INTERESTING[R.randrange(i, j)]
    return lo + R.randrange((hi - lo).days + 1) * DAY


def near(R, d, spread=1):
    """d, or up to spread days either side."""
    return d + R.randint(-spread, spread) * DAY


def put(obj, key, choice):
    """Set obj[key] by a choice of maybe() or tri(): left out, null, or a value."""
    kind, v = choice
    if kind == "null":
        obj[key] = None
    elif kind == "value":
        obj[key] = v


def maybe(R, v, p_absent=0.2, p_null=0.1):
    r = R.random()
    if r < p_absent:
        return ("absent", None)
    if r < p_absent + p_null:
        return ("null", None)
    return ("value", v)


def tri(R, p_true=0.5):
    """A "bool or unknown" field: left out, null, true or false."""
    r = R.random()
    if r < 0.15:
        return ("absent", None)
    if r < 0.25:
        return ("null", None)
    return ("value", R.random() < p_true)


# Blank texts: the models' blank() (tests/fixtures/eval/blank.py) and the
# engine's "is empty" (Unicode White_Space and the characters that show
# nothing, Default_Ignorable_Code_Point) agree on these; U+001C-U+001F,
# which Python takes for space and the engine does not, are left out (audit
# 31, M1).
BLANKS = ["", " ", "   ", "\t", "\n", "\u00a0", "\u2003", "\u3000", "\u200b", "\ufeff", " \t "]


def text(R, real):
    r = R.random()
    if r < 0.25:
        return R.choice(BLANKS)
    if r < 0.3:
        return " " + real + " "
    return real
