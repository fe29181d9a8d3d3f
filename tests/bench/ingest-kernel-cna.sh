#!/bin/sh
# ingest-kernel-cna.sh - the kernel CNA ingest benchmark (issue 3, DESIGN.md
# §10): a corpus the size of the real kernel CNA corpus (14 626 records,
# about 133 MB), made by tests/bench/gen-kernel-cna.py from the 300 real
# records in tests/data/feeds/kernel-cna-subset/, is loaded by Slipway and
# by ../shared/tools/baseline_ingest.py (a plain Python json + sqlite3
# script doing the same inserts), side by side in this one run. Prints
# both times and the ratio; fails when Slipway is less than
# SLIPWAY_BENCH_MIN_RATIO (default 5) times faster.
#
# Slipway's side is `slipway import kernel-cna DIR` when the executable
# has the kernel-cna feed, else the driver given as $1 (the same adapter
# through the same runner, feeds/run.c, in one transaction).
#
# Usage: ingest-kernel-cna.sh DRIVER   (env: SLIPWAY_SOURCE_ROOT,
#        SLIPWAY_BUILD_ROOT, SLIPWAY_SAMPLES, SLIPWAY_BENCH_RECORDS)
set -eu
# meson test fills freed and new memory with a pattern (MALLOC_PERTURB_);
# a benchmark measures the programs as users run them.
unset MALLOC_PERTURB_

driver=$1
root=${SLIPWAY_SOURCE_ROOT:?}
build=${SLIPWAY_BUILD_ROOT:?}
samples=${SLIPWAY_SAMPLES:-$root/../shared/samples}
baseline=$samples/../tools/baseline_ingest.py
records=${SLIPWAY_BENCH_RECORDS:-14626}
min_ratio=${SLIPWAY_BENCH_MIN_RATIO:-5}

skip() {
	echo "ingest-kernel-cna: skipped: $1" >&2
	if [ "${SLIPWAY_REQUIRE_REAL:-0}" = 1 ]; then
		exit 1
	fi
	exit 77
}

[ -f "$baseline" ] || skip "no baseline script at '$baseline'"
command -v python3 >/dev/null || skip "no python3"

tmp=$(mktemp -d /tmp/slipway-bench-kcna.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

python3 "$root/tests/bench/gen-kernel-cna.py" \
	"$root/tests/data/feeds/kernel-cna-subset" "$tmp/vulns" "$records"
echo "corpus: $(du -sh "$tmp/vulns" | cut -f1) in $tmp/vulns"

# Which Slipway command: the real one once it knows the feed.
mkdir "$tmp/probe"
cp "$root/tests/data/feeds/kernel-cna/cve/published/2019/CVE-2019-25160.json" "$tmp/probe/"
if "$build/slipway" -d "$tmp/probe.db" import kernel-cna "$tmp/probe" >/dev/null 2>&1; then
	slipway_run() { "$build/slipway" -d "$tmp/slipway.db" import kernel-cna "$tmp/vulns"; }
	how="slipway import kernel-cna"
else
	slipway_run() { "$driver" "$tmp/slipway.db" "$tmp/vulns"; }
	how="$(basename "$driver") (slipway has no kernel-cna feed row yet)"
fi

now() { date +%s.%N; }

# Both read the same files from the page cache: read them once first.
find "$tmp/vulns" -name '*.json' -exec cat {} + >/dev/null

best_py=
best_sw=
for round in 1 2 3; do
	rm -f "$tmp/slipway.db" "$tmp/slipway.db-wal" "$tmp/slipway.db-shm"
	t0=$(now)
	python3 "$baseline" "$tmp/vulns" "$tmp/baseline.db" >"$tmp/py.out"
	t1=$(now)
	slipway_run >"$tmp/sw.out"
	t2=$(now)
	py=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
	sw=$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.2f", b - a }')
	echo "round $round: baseline_ingest.py $py s ($(cat "$tmp/py.out")), $how $sw s ($(cat "$tmp/sw.out"))"
	best_py=$(awk -v a="$py" -v b="${best_py:-$py}" 'BEGIN { print (a < b ? a : b) }')
	best_sw=$(awk -v a="$sw" -v b="${best_sw:-$sw}" 'BEGIN { print (a < b ? a : b) }')
done

# Both loaded every record.
n=$(sqlite3 "$tmp/slipway.db" "SELECT count(*) FROM advisory WHERE feed = 'kernel-cna'")
[ "$n" = "$records" ] || { echo "ingest-kernel-cna: slipway stored $n of $records records" >&2; exit 1; }
n=$(sqlite3 "$tmp/baseline.db" "SELECT count(*) FROM advisory")
[ "$n" = "$records" ] || { echo "ingest-kernel-cna: the baseline stored $n of $records records" >&2; exit 1; }

ratio=$(awk -v a="$best_py" -v b="$best_sw" 'BEGIN { printf "%.2f", a / b }')
echo "kernel-cna ingest, $records records: baseline_ingest.py ${best_py} s, slipway ${best_sw} s, ${ratio}x faster (goal ${min_ratio}x)"
if awk -v r="$ratio" -v m="$min_ratio" 'BEGIN { exit !(r < m) }'; then
	echo "ingest-kernel-cna: ${ratio}x is below the goal of ${min_ratio}x" >&2
	exit 1
fi
