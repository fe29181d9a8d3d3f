#!/bin/sh
# collect-roundtrip.sh - `slipway collect` on this machine writes a report
# the importer accepts, and collect -> inventory --import -> the database
# and `hosts --json` keep every field of it (issue 4). Needs the sqlite3
# and python3 CLIs to read the report and the database independently.
set -eu
SLIPWAY=${SLIPWAY_BUILD_ROOT:?}/slipway
skip() { if [ "${SLIPWAY_REQUIRE_REAL:-0}" = 1 ]; then echo "FAIL (required): $*"; exit 1; fi; echo "SKIP: $*"; exit 77; }
command -v sqlite3 >/dev/null || skip "no sqlite3 CLI"
command -v python3 >/dev/null || skip "no python3"
T=$(mktemp -d /tmp/slipway-collect-XXXXXX)
trap 'rm -rf "$T"' EXIT
: > "$T/empty.conf"
export SLIPWAY_DB=$T/db.sqlite SLIPWAY_CONFIG=$T/empty.conf

"$SLIPWAY" -q collect -o "$T/report.json"
[ "$(stat -c %a "$T/report.json")" = 600 ] || { echo "FAIL: report mode $(stat -c %a "$T/report.json")"; exit 1; }
ls "$T" | grep -q 'report.json\.' && { echo "FAIL: temp file left"; exit 1; }

# the report against this machine's own files, read independently
python3 - "$T/report.json" <<'PY'
import json, os, platform, socket, sys
r = json.load(open(sys.argv[1]))
def check(what, got, want):
    if got != want:
        print("FAIL: %s: report says %r, machine says %r" % (what, got, want)); sys.exit(1)
check("schema", r["schema"], "slipway.host-report/1")
check("host.name", r["host"]["name"], socket.gethostname())
check("boot_id", r["host"]["boot_id"], open("/proc/sys/kernel/random/boot_id").read().strip())
if os.path.exists("/etc/machine-id"):
    check("machine_id", r["host"]["machine_id"], open("/etc/machine-id").read().strip())
check("kernel.release", r["kernel"]["release"], platform.release())
check("kernel.version", r["kernel"]["version"], platform.version())
osr = dict(l.rstrip("\n").split("=", 1) for l in open("/etc/os-release") if "=" in l)
check("os.id", r["os"]["id"], osr["ID"].strip('"'))
check("os.pretty_name", r["os"]["pretty_name"], osr["PRETTY_NAME"].strip('"'))
check("reboot_required", r["kernel"]["reboot_required"] is True,
      os.path.exists("/var/run/reboot-required"))
print("report matches this machine")
PY
# packages: exactly what dpkg-query lists as installed among those that matter
if [ -f /var/lib/dpkg/status ]; then
  want=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package} ${Version}\n' 'linux-image-*' runc containerd containerd.io docker.io docker-ce docker-ce-cli podman conmon crun 2>/dev/null | awk '$1=="ii"||$1=="hi"{print $2" "$3}' | sort)
  got=$(python3 -c 'import json,sys; [print(p["name"], p["version"]) for p in json.load(open(sys.argv[1]))["packages"]]' "$T/report.json" | sort)
  [ "$want" = "$got" ] || { echo "FAIL: packages differ:"; echo "want: $want"; echo "got: $got"; exit 1; }
fi

# import, twice: one host, one snapshot
"$SLIPWAY" -q inventory --import "$T/report.json" >/dev/null
"$SLIPWAY" -q inventory --import "$T/report.json" >/dev/null
python3 - "$T/report.json" "$SLIPWAY_DB" <<'PY'
import json, sqlite3, sys
r = json.load(open(sys.argv[1]))
db = sqlite3.connect(sys.argv[2])
row = db.execute("SELECT name, machine_id, boot_id, os_id, os_version_id, os_codename, os_pretty,"
                 " kernel_release, kernel_version, kernel_package, installed_kernels,"
                 " reboot_required, livepatch, engine_kind FROM host").fetchall()
def check(what, got, want):
    if got != want:
        print("FAIL: %s: stored %r, report has %r" % (what, got, want)); sys.exit(1)
check("hosts", len(row), 1)
h = row[0]
tri = {True: 1, False: 0, None: None}
check("name", h[0], r["host"]["name"]); check("machine_id", h[1], r["host"]["machine_id"])
check("boot_id", h[2], r["host"]["boot_id"]); check("os.id", h[3], r["os"]["id"])
check("os.version_id", h[4], r["os"]["version_id"]); check("os.codename", h[5], r["os"]["codename"])
check("os.pretty_name", h[6], r["os"]["pretty_name"]); check("kernel.release", h[7], r["kernel"]["release"])
check("kernel.version", h[8], r["kernel"]["version"])
check("kernel.package", h[9], (r["kernel"]["package"] or {}).get("name"))
check("kernel.installed", json.loads(h[10]), r["kernel"]["installed"] or [])
check("reboot_required", h[11], tri[r["kernel"]["reboot_required"]])
check("livepatch", json.loads(h[12]) if h[12] else None, r["kernel"]["livepatch"])
check("engine.kind", h[13], (r["engine"] or {}).get("kind"))
pk = sorted(db.execute("SELECT name, source, version, source_version FROM package").fetchall())
check("packages", pk, sorted((p["name"], p["source"], p["version"], p["source_version"]) for p in r["packages"] or []))
sn = db.execute("SELECT boot_id, uptime FROM host_snapshot").fetchall()
check("snapshots", sn, [(r["host"]["boot_id"], int(r["host"]["uptime_seconds"]))])
n = db.execute("SELECT count(*) FROM container").fetchone()[0]
check("containers", n, len((r["engine"] or {}).get("containers") or []))
print("database keeps every field")
PY
# and the listing shows them
"$SLIPWAY" hosts --json > "$T/hosts.json"
python3 - "$T/report.json" "$T/hosts.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); hs = json.load(open(sys.argv[2]))
assert len(hs) == 1, hs
h = hs[0]
text = json.dumps(h)
for want in (r["host"]["name"], r["kernel"]["release"]):
    if want not in text:
        print("FAIL: hosts --json lacks %r: %s" % (want, text)); sys.exit(1)
print("hosts --json lists", h.get("name"))
PY
echo "PASS"
