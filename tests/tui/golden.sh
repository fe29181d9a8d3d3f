#!/bin/sh
# golden.sh - every view of `slipway demo` at 80x24 compared exactly with
# its text dump in tests/tui/golden/ (the demo runs at a fixed time, so
# the screens are the same on every run). Regenerate on purpose only:
#   SLIPWAY_UPDATE_GOLDEN=1 meson test -C BUILD tui-golden
# then review the diff of tests/tui/golden/ before committing it.
set -eu
. "${SLIPWAY_SOURCE_ROOT:?}/tests/tui/lib.sh"
G=$SRC/tests/tui/golden
rc=0

check() {
	name=$1
	settled
	screen > "$T/$name.txt"
	if [ "${SLIPWAY_UPDATE_GOLDEN:-0}" = 1 ]; then
		cp "$T/$name.txt" "$G/$name.txt"
		echo "updated $name.txt"
	elif ! diff -u "$G/$name.txt" "$T/$name.txt"; then
		echo "FAIL: $name differs from tests/tui/golden/$name.txt"
		rc=1
	fi
}

start 80 24 "$SLIPWAY" demo
wait_for "Next windows"
check overview
keys 2; wait_for "URGENCY"; check hosts
keys / ci-01 Enter Enter; wait_for "> ci-01"; check host
keys q 3; wait_for "FIXED IN"; check advisories
keys / CVE-2024-36971 Enter Enter; wait_for "> CVE-2024-36971"; check advisory
keys q 4; wait_for "EFFECT"; check containers
keys 5; wait_for "placed,"; check plan
keys '?'; wait_for "Keys of the plan view"; check help
keys q Q
ended 0
[ "$rc" = 0 ] && echo "8 golden screens: ok"
exit "$rc"
