#!/usr/bin/env bash
# run-fuzzers.sh - builds Slipway's libFuzzer targets (tests/fuzz/, clang,
# ASan + UBSan) in a build directory of their own and runs each for a
# bounded time over its seed corpus; exits 1 when any of them finds a
# crash, a leak, a timeout or a broken invariant (STYLE.md 27, DESIGN.md
# §10). New inputs that add coverage go to a temporary directory, never
# into the repository; crashing inputs are kept (see FUZZ_ARTIFACTS) so
# they can be added to tests/fuzz/corpus/<target>/ as crash-<what> once
# fixed.
#
# Usage: tests/fuzz/run-fuzzers.sh [TARGET...]   (default: every target
# that has a corpus directory)
# Environment:
#   FUZZ_SECONDS    seconds per target (default 60)
#   FUZZ_BUILD      build directory (default build-fuzz in the source root)
#   FUZZ_ARTIFACTS  where crashing inputs and logs are kept
#                   (default FUZZ_BUILD/fuzz-artifacts)
#   FUZZ_KEEP       a directory to copy each target's new corpus entries
#                   into (FUZZ_KEEP/<target>/); unset: they are discarded
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD:-$root/build-fuzz}
secs=${FUZZ_SECONDS:-60}
artifacts=${FUZZ_ARTIFACTS:-$build/fuzz-artifacts}

case $secs in
''|*[!0-9]*) echo "run-fuzzers: FUZZ_SECONDS '$secs' is not a number of seconds" >&2; exit 2 ;;
esac
if ! command -v clang >/dev/null; then
	echo "run-fuzzers: clang is needed (apt-get install clang libclang-rt-14-dev)" >&2
	exit 1
fi

if [ $# -gt 0 ]; then
	targets=("$@")
else
	targets=()
	for d in "$root"/tests/fuzz/corpus/*/; do
		targets+=("$(basename "$d")")
	done
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/slipway-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$artifacts"

if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" "$root" -Dfuzzers=true \
		-Db_sanitize=address,undefined -Db_lundef=false >"$work/setup.log" ||
		{ cat "$work/setup.log" >&2; exit 1; }
fi
# Only the fuzzers: the rest of the tree is built and tested elsewhere.
if ! ninja -C "$build" "${targets[@]/#/tests/fuzz/fuzz-}" >"$work/build.log" 2>&1; then
	grep -E 'error|FAILED' "$work/build.log" >&2 || tail -n 30 "$work/build.log" >&2
	exit 1
fi

# Leaks are failures too; UBSan findings stop the run like ASan's.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=()
printf '%-16s %8s %12s %10s  %s\n' target seconds executions new-inputs result
for t in "${targets[@]}"; do
	bin=$build/tests/fuzz/fuzz-$t
	corpus=$root/tests/fuzz/corpus/$t
	if [ ! -x "$bin" ] || [ ! -d "$corpus" ]; then
		echo "run-fuzzers: no fuzz target '$t'" >&2
		failed+=("$t")
		continue
	fi
	mkdir -p "$work/$t/new" "$artifacts/$t"
	start=$(date +%s)
	rc=0
	# The first directory receives new inputs; the seeds are only read.
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len=1048576 -print_final_stats=1 \
		-artifact_prefix="$artifacts/$t/" \
		"$work/$t/new" "$corpus" >"$work/$t/log" 2>&1 || rc=$?
	took=$(( $(date +%s) - start ))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t/log" | tail -n 1)
	new=$(find "$work/$t/new" -type f | wc -l)
	if [ "$rc" -eq 0 ]; then
		result=ok
	else
		result="FAILED (exit $rc)"
		failed+=("$t")
		cp "$work/$t/log" "$artifacts/$t/log"
	fi
	printf '%-16s %8s %12s %10s  %s\n' "$t" "$took" "${execs:-?}" "$new" "$result"
	if [ "$rc" -ne 0 ]; then
		grep -E '^==[0-9]+==ERROR|SUMMARY|fuzz invariant broken|runtime error|Test unit written' \
			"$work/$t/log" | head -n 20 | sed 's/^/    /' >&2 || true
	fi
	if [ -n "${FUZZ_KEEP:-}" ] && [ "$new" -gt 0 ]; then
		mkdir -p "$FUZZ_KEEP/$t"
		cp "$work/$t/new"/* "$FUZZ_KEEP/$t/"
	fi
done

if [ ${#failed[@]} -gt 0 ]; then
	echo "run-fuzzers: failed: ${failed[*]} (inputs and logs in '$artifacts')" >&2
	exit 1
fi
