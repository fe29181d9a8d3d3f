#!/bin/bash
# plan-e2e.sh - `slipway plan` and `slipway pin` end to end from fixtures
# (the feeds and e2e host reports findings-e2e.sh uses), no external
# component: the JSON plan has schema slipway.plan/1 and is the same byte
# for byte on a second run; every slot lies in the Sunday 02:00-06:00
# Europe/Berlin window with the right offset; the compose:shop/db group
# (three members on three hosts) never has more than one member down;
# hosts whose findings have no fix are not planned; pins move, postpone
# and exclude hosts and survive re-planning; bad input gets one line and
# the right exit code. Never skips.
set -euo pipefail

src=${SLIPWAY_SOURCE_ROOT:?}
bin=${SLIPWAY_BUILD_ROOT:?}/slipway
feeds=$src/tests/data/feeds
reports=$src/tests/data/reports
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

export SLIPWAY_DB=$tmp/slipway.db
export SLIPWAY_CONFIG=$tmp/slipway.conf
cat > "$SLIPWAY_CONFIG" <<'CONF'
[slipway]
max-down = 2

[policy]
soak = 15m

[window sunday-night]
rrule = FREQ=WEEKLY;BYDAY=SU
start = 02:00
duration = 4h
timezone = Europe/Berlin
hosts = *

[freeze year-end]
from = 2026-12-20
to = 2027-01-04
CONF

fail() { echo "plan-e2e: $*" >&2; exit 1; }

"$bin" -q import osv-go "$feeds/osv/go" "$feeds/osv/ghsa" > /dev/null
"$bin" -q import osv-ubuntu "$feeds/osv/ubuntu" > /dev/null
"$bin" -q import osv-linux "$feeds/osv/linux" > /dev/null
"$bin" -q import debian-tracker "$feeds/debian-tracker/containers-assembled.json" > /dev/null
"$bin" -q import kev "$feeds/kev/known_exploited_vulnerabilities.slice.json" > /dev/null
"$bin" -q inventory --import "$reports"/e2e/*.json "$reports"/*.json > /dev/null

plan() { "$bin" plan --start 2026-12-01 --weeks 8 "$@"; }

plan --format json -o "$tmp/a.json"
plan --format json > "$tmp/b.json"
cmp -s "$tmp/a.json" "$tmp/b.json" || fail "two runs of the same plan differ"
plan > "$tmp/a.txt"
plan > "$tmp/b.txt"
cmp -s "$tmp/a.txt" "$tmp/b.txt" || fail "two text plans differ"

check() {   # plan.json, then python assertions on d
	python3 - "$1" <<'PY' || fail "checks on $1 failed"
import json, sys, datetime as dt
d = json.load(open(sys.argv[1]))
assert d["schema"] == "slipway.plan/1", d["schema"]
assert d["generated_for"] == "2026-12-01T00:00:00+00:00"
assert d["horizon_end"] == "2027-01-26T00:00:00+00:00"
hosts = [s["host"] for s in d["slots"]]
assert len(hosts) == len(set(hosts)), "a host twice"
for s in d["slots"]:
    a = dt.datetime.fromisoformat(s["start"]); b = dt.datetime.fromisoformat(s["end"])
    assert s["start"].endswith("+01:00"), s["start"]     # CET in December
    assert a.weekday() == 6 and (a.hour, a.minute) >= (2, 0), s["start"]
    assert b - a.replace(hour=2, minute=0) <= dt.timedelta(hours=4), s
    assert not (dt.date(2026, 12, 20) <= a.date() <= dt.date(2027, 1, 4)), "in the freeze"
    assert s["window"] == "sunday-night"
    assert s["urgency"] in ("critical", "high", "medium", "low", "none")
    for c in s["containers"]:
        assert set(c) == {"id", "name", "effect", "outage_seconds", "confidence", "reason"}
# at most max-down hosts at once, and the group never below its minimum
ev = [(dt.datetime.fromisoformat(s["start"]), dt.datetime.fromisoformat(s["end"]), s)
      for s in d["slots"]]
for t, _, _ in ev:
    assert sum(1 for a, b, _ in ev if a <= t < b) <= 2, "max-down broken at %s" % t
for g in d["groups"]:
    members = {(m["host"], m["container"]) for m in g["members"]}
    for t, _, _ in ev:
        down = 0
        for a, b, s in ev:
            if a <= t < b:
                down += sum(1 for c in s["containers"]
                            if (s["host"], c["name"]) in members and c["effect"] != "unaffected"
                            and c["outage_seconds"] != 0)
        assert len(members) - down >= g["min_available"], (g["name"], t)
    assert g["min_up"] >= g["min_available"]
assert d["totals"]["hosts"] == len(d["slots"])
assert d["totals"]["service_minutes_down"] == 0
PY
}
check "$tmp/a.json"

python3 - "$tmp/a.json" <<'PY' || fail "expected the compose:shop/db group with three members and min 2"
import json, sys
d = json.load(open(sys.argv[1]))
g = [g for g in d["groups"] if g["name"] == "compose:shop/db"]
assert g and len(g[0]["members"]) == 3 and g[0]["min_available"] == 2, g
PY

# Nothing to install, nothing to plan (src/finding.h): the only finding
# of db-7, mgr-1 and pm-1 is runc CVE-2025-31133, with no fix for Ubuntu
# 22.04's runc source (db-7) nor in bookworm (mgr-1, pm-1), so they get
# no slot and are not unplaced either; deb-web has the same finding, but
# its report's reboot_required still calls for a reboot.
python3 - "$tmp/a.json" <<'PY' || fail "hosts whose findings have no fix must not be planned"
import json, sys
d = json.load(open(sys.argv[1]))
slot = {s["host"]: s for s in d["slots"]}
assert sorted(slot) == ["ce-1", "deb-web", "ubu-db", "web-1"], sorted(slot)
assert d["unplaced"] == [] and d["late"] == [], (d["unplaced"], d["late"])
assert slot["deb-web"]["actions"] == ["reboot"], slot["deb-web"]["actions"]
PY

# pins: web-1 to the second Sunday, deb-web after 2026-12-10, ubu-db out
[ "$("$bin" pin web-1 --window sunday-night --date 2026-12-13)" = \
  "pinned 'web-1' to window 'sunday-night' on 2026-12-13" ] || fail "pin --window output"
"$bin" pin deb-web --after 2026-12-10 > /dev/null
"$bin" pin ubu-db --exclude > /dev/null
plan --format json > "$tmp/p.json"
check "$tmp/p.json"
python3 - "$tmp/p.json" <<'PY' || fail "pins not kept"
import json, sys
d = json.load(open(sys.argv[1]))
slot = {s["host"]: s for s in d["slots"]}
assert slot["web-1"]["start"].startswith("2026-12-13T02:"), slot["web-1"]["start"]
assert slot["deb-web"]["start"] >= "2026-12-11", slot["deb-web"]["start"]
un = {u["host"]: u["reason"] for u in d["unplaced"]}
assert un.get("ubu-db") == "excluded by pin", un
assert "ubu-db" not in slot
PY
# a pinned occurrence that does not exist
"$bin" pin web-1 --window sunday-night --date 2026-12-14 > /dev/null
plan --format json > "$tmp/q.json"
python3 - "$tmp/q.json" <<'PY' || fail "pin to a missing occurrence"
import json, sys
d = json.load(open(sys.argv[1]))
un = {u["host"]: u["reason"] for u in d["unplaced"]}
assert un.get("web-1") == "pinned window 'sunday-night' has no occurrence on 2026-12-14 in the horizon", un
PY
[ "$("$bin" pin web-1 --clear)" = "removed 1 pin of 'web-1'" ] || fail "pin --clear output"
"$bin" pin ubu-db --clear > /dev/null
"$bin" pin deb-web --clear > /dev/null
plan --format json > "$tmp/c.json"
cmp -s "$tmp/a.json" "$tmp/c.json" || fail "clearing the pins does not give the first plan back"

# a [group] naming the same containers replaces the automatic group; with
# min-available 3 of 3 its budget can never be met: a warning, and the
# hosts that take a member down are unplaced with the reason
cat >> "$SLIPWAY_CONFIG" <<'CONF'

[group shop-db]
containers = compose:shop/db
min-available = 3
CONF
plan --format json > "$tmp/g.json"
python3 - "$tmp/g.json" <<'PY' || fail "configured group with an impossible budget"
import json, sys
d = json.load(open(sys.argv[1]))
names = [g["name"] for g in d["groups"]]
assert "shop-db" in names and "compose:shop/db" not in names, names
g = [g for g in d["groups"] if g["name"] == "shop-db"][0]
assert g["budget_impossible"] is True and len(g["members"]) == 3, g
why = "budget impossible: group 'shop-db' has 3 members and needs 3 available"
un = {u["host"]: u["reason"] for u in d["unplaced"]}
for m in g["members"]:
    assert un.get(m["host"]) == why, (m["host"], un)
assert d["warnings"] == ["group 'shop-db' has 3 members and needs 3 available: its hosts are not planned"], d["warnings"]
PY
plan > "$tmp/g.txt"
grep -q "shop-db .*budget impossible" "$tmp/g.txt" || fail "text plan lacks the impossible group"

# bad input: one line, exit 2 (usage) or 1 (unknown names)
expect() {   # exit-code message-substring command...
	local want=$1 msg=$2 rc=0; shift 2
	"$@" > /dev/null 2> "$tmp/err" || rc=$?
	[ "$rc" = "$want" ] || fail "$* exited $rc, want $want"
	[ "$(wc -l < "$tmp/err")" -ge 1 ] || fail "$*: no message"
	grep -q -- "$msg" "$tmp/err" || fail "$*: message '$(cat "$tmp/err")' lacks '$msg'"
}
expect 2 "bad --start '2026-13-01'" "$bin" plan --start 2026-13-01
expect 2 "bad --weeks '0'" "$bin" plan --weeks 0
expect 2 "unknown format 'pdf'" "$bin" plan --format pdf
expect 1 "unknown window 'nope'" "$bin" pin web-1 --window nope
expect 1 "unknown host 'ghost'" "$bin" pin ghost --exclude
expect 2 "bad date '2026-02-30'" "$bin" pin web-1 --after 2026-02-30
expect 2 "give one of" "$bin" pin web-1 --exclude --clear
echo "plan-e2e: ok"
