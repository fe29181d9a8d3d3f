# lib.sh - drives the UI in a real terminal: a private tmux server (its
# own socket name, killed at the end; no other tmux is touched), keys sent
# with send-keys, the screen read with capture-pane. Sourced by
# tests/tui/*.sh.
SLIPWAY=${SLIPWAY_BUILD_ROOT:?}/slipway
SRC=${SLIPWAY_SOURCE_ROOT:?}
skip() { if [ "${SLIPWAY_REQUIRE_REAL:-0}" = 1 ]; then echo "FAIL (required): $*"; exit 1; fi; echo "SKIP: $*"; exit 77; }
command -v tmux >/dev/null || skip "no tmux"
SOCK=slipway-tui-test-$$
T=$(mktemp -d /tmp/slipway-tui-XXXXXX)
cleanup() { tmux -L "$SOCK" kill-server 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; echo "--- screen:"; screen; exit 1; }

# start W H COMMAND...: runs COMMAND in a W x H terminal; its exit status
# goes to $T/exit when it ends.
start() {
	w=$1 h=$2
	shift 2
	rm -f "$T/exit"
	printf '%s\n' "cd '$T' || exit 1" "$*" 'echo $? > '"'$T/exit'" 'exec sleep 600' > "$T/run.sh"
	tmux -L "$SOCK" -f /dev/null new-session -d -x "$w" -y "$h" "TERM=xterm-256color exec sh '$T/run.sh'"
}
# stop: ends this test's tmux server (and what runs in it)
stop() { tmux -L "$SOCK" kill-server 2>/dev/null || true; sleep 0.2; }
screen() { tmux -L "$SOCK" capture-pane -p; }
keys() { tmux -L "$SOCK" send-keys "$@"; }
# wait_for TEXT [SECONDS]: until the screen shows TEXT
wait_for() {
	n=$(( ${2:-10} * 10 ))
	while [ "$n" -gt 0 ]; do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	fail "screen never showed '$1'"
}
# wait_gone TEXT [SECONDS]: until the screen no longer shows TEXT
wait_gone() {
	n=$(( ${2:-10} * 10 ))
	while [ "$n" -gt 0 ]; do
		screen | grep -qF -- "$1" || return 0
		sleep 0.1
		n=$((n - 1))
	done
	fail "screen still shows '$1'"
}
shows() { screen | grep -qF -- "$1" || fail "screen does not show '$1'"; }
lacks() { ! screen | grep -qF -- "$1" || fail "screen shows '$1'"; }
# settled: the worker is done and the keys so far are drawn
settled() { sleep 0.2; wait_gone "working..."; sleep 0.2; }
# the program ended with status $1, and the terminal left the UI's screen
ended() {
	n=100
	while [ ! -s "$T/exit" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	[ -s "$T/exit" ] || fail "the UI did not exit"
	[ "$(cat "$T/exit")" = "$1" ] || fail "exit status $(cat "$T/exit"), want $1"
	[ "$(tmux -L "$SOCK" display-message -p '#{alternate_on}')" = 0 ] ||
		fail "the terminal was left in the UI's alternate screen"
}
