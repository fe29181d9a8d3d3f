#!/bin/bash
# export-consumers.sh - the plan exports read by their real consumers.
#
# A database is prepared from fixtures (the feed fixtures imported with
# `slipway import`, host reports from tests/data/reports/ with `slipway
# inventory --import`) with a config of three windows in three zones
# (Europe/Berlin, America/New_York, UTC) and a freeze; then `slipway plan
# --start 2026-11-23 --weeks 3` writes json (the reference) and each export:
#   csv      read back with python3's csv module: header, one row per
#            slot, every field equal to the json
#   ics      re-read with libical (tests/ics-check.c): parses without
#            errors, one VEVENT per slot, unique UIDs, the same bytes on
#            a second run, TZID = the window's zone resolved through the
#            file's own VTIMEZONE to the json's instants
#   ansible  `ansible-inventory --list` gives one group per wave with the
#            json's hosts and the bundle's vars; `ansible-playbook
#            --syntax-check` accepts the playbook and `--list-hosts` shows
#            the plays in wave order
#   html     has the SVG; opened in headless Chromium and screenshotted:
#            the page is not blank, and the overview SVG alone renders its
#            window bands
# A second database holds the same reports with one host renamed
# `deb "north",<1>&`: the name survives csv and ics intact, is escaped in
# html, and the ansible export refuses it naming the host.
#
# Needs python3 (always), ansible-core and chromium: exit 77 (skipped)
# when those are missing, a failure under SLIPWAY_REQUIRE_REAL=1.
set -euo pipefail

src=${SLIPWAY_SOURCE_ROOT:?}
build=${SLIPWAY_BUILD_ROOT:?}
bin=$build/slipway
icscheck=${1:-$build/tests/ics-check}
feeds=$src/tests/data/feeds
reports=$src/tests/data/reports
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "export-consumers: $*" >&2; exit 1; }
skip() {
	if [ "${SLIPWAY_REQUIRE_REAL:-0}" = 1 ]; then
		fail "cannot run (SLIPWAY_REQUIRE_REAL=1): $*"
	fi
	echo "SKIP: $*"
	exit 77
}

command -v python3 > /dev/null || fail "python3 is missing"
for tool in ansible-inventory ansible-playbook; do
	command -v "$tool" > /dev/null || skip "$tool not installed (Debian package ansible-core)"
done
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || skip "chromium not installed (Debian package chromium)"
[ -x "$icscheck" ] || fail "no ics-check at '$icscheck'"

# ---- the fleet --------------------------------------------------------

# utc-maint takes ce-1 as well as pm-1: pm-1's only finding (runc
# CVE-2025-31133, open in bookworm) has no fix, so pm-1 has nothing to do
# and no slot (src/finding.h), and without ce-1 no slot would be in UTC.
cat > "$tmp/slipway.conf" <<'EOF'
[slipway]
max-down = 2

[policy]
soak = 15m

[window sunday-night]
rrule = FREQ=WEEKLY;BYDAY=SU
start = 02:00
duration = 4h
timezone = Europe/Berlin
hosts = deb*, web-*
max-down = 1

[window db-late]
rrule = FREQ=WEEKLY;BYDAY=WE
start = 22:00
duration = 3h
timezone = America/New_York
hosts = ubu-*

[window utc-maint]
rrule = FREQ=WEEKLY;BYDAY=TU
start = 12:00
duration = 2h
timezone = UTC
hosts = pm-*, ce-*

[freeze year-end]
from = 2026-12-13
to = 2026-12-13
EOF

# The same reports, one with a hostile name (the structure stays real).
python3 - "$reports/e2e/deb-web.json" "$tmp/deb-hostile.json" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["host"]["name"] = 'deb "north",<1>&'
json.dump(doc, open(sys.argv[2], "w"))
EOF

prepare() {   # DB deb-report
	SLIPWAY_DB=$1 "$bin" -q import osv-go "$feeds/osv/go" "$feeds/osv/ghsa" > /dev/null
	SLIPWAY_DB=$1 "$bin" -q import osv-ubuntu "$feeds/osv/ubuntu" > /dev/null
	SLIPWAY_DB=$1 "$bin" -q import osv-linux "$feeds/osv/linux" > /dev/null
	SLIPWAY_DB=$1 "$bin" -q import debian-tracker \
		"$feeds/debian-tracker/containers-assembled.json" > /dev/null
	SLIPWAY_DB=$1 "$bin" -q import kev \
		"$feeds/kev/known_exploited_vulnerabilities.slice.json" > /dev/null
	SLIPWAY_DB=$1 "$bin" -q inventory --import "$2" "$reports/e2e/ce-1.json" \
		"$reports/e2e/ubu-db.json" "$reports/docker-debian12.json" \
		"$reports/podman-debian12.json" > /dev/null
}

export SLIPWAY_CONFIG=$tmp/slipway.conf
prepare "$tmp/plan.db" "$reports/e2e/deb-web.json"
prepare "$tmp/hostile.db" "$tmp/deb-hostile.json"

plan() {   # DB FORMAT PATH
	SLIPWAY_DB=$1 "$bin" plan --start 2026-11-23 --weeks 3 --format "$2" -o "$3"
}

for db in plan hostile; do
	plan "$tmp/$db.db" json "$tmp/$db.json"
	for f in csv ics html md; do
		plan "$tmp/$db.db" "$f" "$tmp/$db.$f"
	done
done
plan "$tmp/plan.db" ics "$tmp/plan-again.ics"
cmp -s "$tmp/plan.ics" "$tmp/plan-again.ics" || fail "two runs gave different .ics files"
plan "$tmp/plan.db" ansible "$tmp/ansible"

# The reference: the json plan must have slots in every window's zone,
# late/unplaced hosts and a not-returning container, or the checks below
# would prove little.
python3 - "$tmp/plan.json" <<'EOF' || fail "the fixture plan does not cover the cases"
import json, sys
p = json.load(open(sys.argv[1]))
windows = {s["window"] for s in p["slots"]}
assert windows == {"sunday-night", "db-late", "utc-maint"}, windows
assert len(p["slots"]) >= 4, len(p["slots"])
# no fix, nothing to do: pm-1 is neither planned nor unplaced
assert "pm-1" not in {s["host"] for s in p["slots"]} | {u["host"] for u in p["unplaced"]}
assert any(c["effect"] in ("stays-down", "removed") and c["outage_seconds"] is None
           for s in p["slots"] for c in s["containers"]), "no container stays down"
EOF

# ---- csv: python's csv module ------------------------------------------

python3 - "$tmp/plan.json" "$tmp/plan.csv" "$tmp/hostile.csv" <<'EOF' || fail "csv check failed"
import csv, json, sys
from datetime import datetime
plan = json.load(open(sys.argv[1]))
rows = list(csv.reader(open(sys.argv[2], newline="")))
head = ["host", "window", "start", "end", "wave", "deadline", "actions", "urgency",
        "containers_down", "containers_not_returning"]
assert rows[0] == head, rows[0]
assert len(rows) - 1 == len(plan["slots"]), (len(rows) - 1, len(plan["slots"]))
for row, s in zip(rows[1:], plan["slots"]):
    assert len(row) == len(head), row
    r = dict(zip(head, row))
    assert r["host"] == s["host"] and r["window"] == s["window"], (r, s["host"])
    for k in ("start", "end"):
        assert datetime.fromisoformat(r[k]) == datetime.fromisoformat(s[k]), (k, r[k], s[k])
    assert int(r["wave"]) == s["wave"]
    assert r["actions"].split("+") == s["actions"], (r["actions"], s["actions"])
    assert r["urgency"] == s["urgency"]
    if s["deadline"] is None:
        assert r["deadline"] == ""
    else:
        assert datetime.fromisoformat(r["deadline"]) == datetime.fromisoformat(s["deadline"])
    nr = sorted(c["name"] for c in s["containers"]
                if c["effect"] in ("stays-down", "removed") and c["outage_seconds"] is None)
    assert sorted(r["containers_not_returning"].split()) == nr, (r, nr)
    down = set(r["containers_down"].split())
    assert set(nr) <= down, (nr, down)
hostile = list(csv.reader(open(sys.argv[3], newline="")))
assert len(hostile) == len(rows), "the hostile name changed the row count"
assert 'deb "north",<1>&' in [r[0] for r in hostile[1:]], [r[0] for r in hostile[1:]]
print("csv: %d rows match the json plan" % (len(rows) - 1))
EOF

# ---- ics: libical --------------------------------------------------------

"$icscheck" "$tmp/plan.ics" > "$tmp/ics.tsv" || fail "libical rejects plan.ics"
"$icscheck" "$tmp/hostile.ics" > "$tmp/hostile-ics.tsv" || fail "libical rejects hostile.ics"
python3 - "$tmp/plan.json" "$tmp/ics.tsv" "$tmp/hostile-ics.tsv" <<'EOF' || fail "ics check failed"
import json, sys
from datetime import datetime
plan = json.load(open(sys.argv[1]))
zones = {"sunday-night": "Europe/Berlin", "db-late": "America/New_York", "utc-maint": "UTC"}
events = [l.rstrip("\n").split("\t") for l in open(sys.argv[2])]
assert len(events) == len(plan["slots"]), (len(events), len(plan["slots"]))
for (uid, tzid, start, end, summary), s in zip(events, plan["slots"]):
    assert uid.endswith("@slipway"), uid
    assert tzid == zones[s["window"]], (tzid, s["window"])
    assert int(start) == int(datetime.fromisoformat(s["start"]).timestamp()), (summary, start, s["start"])
    assert int(end) == int(datetime.fromisoformat(s["end"]).timestamp()), (summary, end, s["end"])
    assert summary == "Patch %s: %s" % (s["host"], ", ".join(s["actions"])), summary
assert len({e[0] for e in events}) == len(events)
hostile = [l.split("\t")[4] for l in open(sys.argv[3])]
assert any(h.startswith('Patch deb "north",<1>&: ') for h in hostile), hostile
print("ics: %d events, zones %s" % (len(events), sorted({e[1] for e in events})))
EOF

# ---- ansible ----------------------------------------------------------

export HOME=$tmp/home ANSIBLE_LOCAL_TEMP=$tmp/home/.ansible/tmp
mkdir -p "$HOME"
ANSIBLE_INVENTORY_UNPARSED_FAILED=True \
	ansible-inventory -i "$tmp/ansible/inventory.ini" --list > "$tmp/inventory.json" \
	|| fail "ansible-inventory rejects inventory.ini"
ansible-playbook -i "$tmp/ansible/inventory.ini" "$tmp/ansible/maintenance.yml" \
	--syntax-check > "$tmp/syntax.log" 2>&1 || { cat "$tmp/syntax.log" >&2; fail "ansible-playbook --syntax-check rejects maintenance.yml"; }
ansible-playbook -i "$tmp/ansible/inventory.ini" "$tmp/ansible/maintenance.yml" \
	--list-hosts > "$tmp/list-hosts.txt" 2>&1 || { cat "$tmp/list-hosts.txt" >&2; fail "ansible-playbook --list-hosts failed"; }
python3 - "$tmp/plan.json" "$tmp/inventory.json" "$tmp/list-hosts.txt" <<'EOF' || fail "ansible check failed"
import json, re, sys
plan = json.load(open(sys.argv[1]))
inv = json.load(open(sys.argv[2]))
# waves in time order: (window, occurrence, wave) by first start
waves = []
for s in plan["slots"]:
    key = (s["window"], s["occurrence"], s["wave"])
    if key not in [w[0] for w in waves]:
        waves.append((key, []))
    [w for w in waves if w[0] == key][0][1].append(s)
groups = inv["slipway_plan"]["children"]
assert len(groups) == len(waves), (groups, len(waves))
hv = inv["_meta"]["hostvars"]
for g, (key, slots) in zip(groups, waves):
    day = key[1][:10].replace("-", "_")
    assert g.startswith("wave_%s_" % day) and g.endswith("_%d" % key[2]), (g, key)
    assert sorted(inv[g]["hosts"]) == sorted(s["host"] for s in slots), (g, inv[g], slots)
    for s in slots:
        v = hv[s["host"]]
        assert v["slipway_reboot"] is ("reboot" in s["actions"]), (s["host"], v)
        assert v["slipway_engine_restart"] is ("engine-restart" in s["actions"]), (s["host"], v)
        for k, val in v.items():
            if k.endswith("_target"):
                assert isinstance(val, str), (k, val)
# --list-hosts: "play #N (GROUP): NAME" in wave order, each with its hosts
plays = re.findall(r"play #\d+ \(([^)]*)\)", open(sys.argv[3]).read())
assert plays == groups, (plays, groups)
print("ansible: %d waves, %d hosts" % (len(groups), len(hv)))
EOF
if plan "$tmp/hostile.db" ansible "$tmp/hostile-ansible" 2> "$tmp/hostile-ansible.err"; then
	fail "the ansible export accepted a host named 'deb \"north\",<1>&'"
fi
grep -q "host 'deb \"north\",<1>&' is not a usable inventory name" "$tmp/hostile-ansible.err" \
	|| fail "unexpected error for the hostile host: $(cat "$tmp/hostile-ansible.err")"
[ ! -e "$tmp/hostile-ansible/inventory.ini" ] || fail "a refused ansible export wrote files"

# ---- html: headless Chromium --------------------------------------------

grep -q '<svg ' "$tmp/plan.html" || fail "plan.html has no <svg>"
! grep -qi '<script' "$tmp/plan.html" || fail "plan.html has a script"
grep -qF 'deb &quot;north&quot;,&lt;1&gt;&amp;' "$tmp/hostile.html" \
	|| fail "hostile.html does not carry the escaped name"
! grep -qF '<1>&' "$tmp/hostile.html" || fail "hostile.html carries the raw name"
# the overview SVG on its own, to see that it renders
python3 - "$tmp/plan.html" "$tmp/overview.svg" <<'EOF'
import sys
html = open(sys.argv[1], encoding="utf-8").read()
start = html.index("<svg ")
open(sys.argv[2], "w", encoding="utf-8").write(html[start:html.index("</svg>", start) + 6])
EOF

shot() {   # FILE PNG
	timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --user-data-dir="$(mktemp -d "$tmp/chromium.XXXXXX")" \
		--screenshot="$2" --window-size=1200,900 "file://$1" > "$tmp/chromium.log" 2>&1 \
		|| { tail -5 "$tmp/chromium.log" >&2; fail "chromium failed on '$1'"; }
	[ -s "$2" ] || fail "chromium wrote no screenshot of '$1'"
}
shot "$tmp/plan.html" "$tmp/plan.png"
shot "$tmp/overview.svg" "$tmp/overview.png"

python3 - "$tmp/plan.png" "$tmp/overview.png" <<'EOF' || fail "screenshot check failed"
import struct, sys, zlib
from collections import Counter

def pixels(path):
    """RGB(A) 8-bit non-interlaced PNG (what Chromium writes), PNG spec 9."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    assert depth == 8 and ctype in (2, 6) and interlace == 0, (depth, ctype, interlace)
    bpp = 3 if ctype == 2 else 4
    raw, stride = zlib.decompress(idat), w * bpp
    prev, out = bytearray(stride), []
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out.extend(tuple(line[i:i + 3]) for i in range(0, stride, bpp))
        prev = line
    return w, h, out

w, h, px = pixels(sys.argv[1])
counts = Counter(px)
white = counts.get((255, 255, 255), 0)
assert len(counts) >= 50, "only %d colours: blank page?" % len(counts)
assert white < 0.98 * len(px), "%.1f%% white: blank page?" % (100.0 * white / len(px))
# the overview alone: its window bands (#dbe9f6) and slot colours are drawn
w2, h2, px2 = pixels(sys.argv[2])
c2 = Counter(px2)
band = sum(n for (r, g, b), n in c2.items() if abs(r - 0xdb) < 6 and abs(g - 0xe9) < 6 and abs(b - 0xf6) < 6)
assert band > 100, "the overview SVG shows no window band (%d pixels)" % band
print("html: %dx%d screenshot, %d colours, %.1f%% white; overview band %d px"
      % (w, h, len(counts), 100.0 * white / len(px), band))
EOF

echo "export-consumers: csv, ics, ansible and html accepted by their consumers"
