#!/bin/sh
# demo-views.sh - `slipway demo` in tmux at 80x24 and 120x40: every view
# shows its headings and rows, Enter drills down, help lists the view's
# keys, search finds with / and n, the containers' quick filter, a pin
# moves a host to another window occurrence and the totals change, the
# export dialog writes a file, a resize re-lays out, q leaves with exit 0
# and the terminal restored; --read-only hides the pin keys; NO_COLOR
# draws without colour.
set -eu
. "${SLIPWAY_SOURCE_ROOT:?}/tests/tui/lib.sh"

start 80 24 "$SLIPWAY" demo
wait_for "Next windows"
settled
shows " 1 overview  2 hosts  3 advisories  4 containers  5 plan"
shows "40 hosts, 91 containers"
shows "KEV           3 on 3 hosts (known exploited)"
shows "running containers will NOT come back by themselves"
shows "sunday-night   Sun 11-29 02:00 +01:00"

# hosts: the table, search with / and n
keys 2
wait_for "KERNEL -> TARGET"
shows "HOST        KERNEL -> TARGET  LR  RUNC    URGENCY  C/H/M/L  CTRS SLOT"
keys / web- Enter
wait_for "/web-: match 1 of 6"
keys n
wait_for "/web-: match 2 of 6"
keys Enter
wait_for "> web-02"
shows "Findings ("
shows "Bundle"
shows "Planned slot"
# web-02's one finding (runc CVE-2025-31133) has no fix: nothing to do
shows "no fix"
shows "no action needed"
shows "nothing to do on this host"
keys G
wait_for "Containers ("
keys q
wait_for "URGENCY"

# a host with a KEV finding, and the advisory from it
keys / ci-01 Enter Enter
wait_for "> ci-01"
shows "KEV high     CVE-2024-36971   kernel     6.6.30-ci -> 6.6.34"
keys j j j j j j j j Enter
wait_for "> CVE-2024-36971"
shows "due 2024-08-28: Android Kernel Remote Code"
keys G
wait_for "Hosts affected (3)"
shows "ci-01            kernel     6.6.30-ci -> 6.6.34"

# help lists the keys of the view under it
keys '?'
wait_for "Keys of the advisory view"
shows "/                search"
keys q q q

# advisories
keys 3
wait_for "FIXED IN"
shows "CVE-2024-36971     kernel     high      7.8 KEV"

# containers and the "won't come back" filter
keys 4
wait_for "EFFECT"
keys w
wait_for "won't come back by themselves:"
lacks "unaffected"
shows "stays-down"
keys w

# plan: pin ci-01 to the next occurrence; it moves, the totals change
# (28 of the 40 hosts are placed: the other 12 only have findings with
# no fix, so nothing to do)
keys 5
wait_for "placed"
shows "28 placed, 1 late, 0 unplaced"
keys / ci-01 Enter
wait_for "/ci-01: match 1 of 1"
keys '>'
wait_for "'ci-01' pinned to sunday-night on 2026-12-06"
settled
shows "28 placed, 2 late, 0 unplaced"
keys G
wait_for "Late (2)"
shows "  ci-01          no valid slot ends by the deadline"
keys / ci-01 Enter
wait_for "/ci-01: match"
keys c
wait_for "'ci-01': 1 pin cleared"
settled
wait_for "28 placed, 1 late, 0 unplaced"

# the export dialog writes the file
keys e
wait_for "export the plan"
keys j j j Enter
wait_for "export to: slipway-plan.md"
keys Enter
wait_for "plan written to 'slipway-plan.md' (md)"
grep -q "^# Maintenance plan" "$T/slipway-plan.md" || fail "slipway-plan.md is not the plan"

# filter, tags and ';': exclude two tagged hosts at once
keys 2
wait_for "KERNEL -> TARGET"
keys f ce- Enter
wait_for "filter 'ce-': 7 of 40 lines"
lacks "web-01"
keys g t t
keys '\;' X
wait_for "2 tagged hosts changed"
settled
keys 5
wait_for "26 placed, 1 late, 2 unplaced"
keys G
wait_for "Unplaced (2)"
shows "ce-02          excluded"
shows "ce-01          excluded"
keys 2 f BSpace BSpace BSpace Enter

# resize: the host table shows more columns at 120x40
keys 2
wait_for "KERNEL -> TARGET"
lacks "CONTAINE"
tmux -L "$SOCK" resize-window -x 120 -y 40
wait_for "CONTAINE"
shows "ENGINE"
[ "$(screen | wc -l)" -ge 40 ] || fail "the screen was not re-laid out to 40 lines"
keys q
ended 0
echo "demo views at 80x24 and 120x40: ok"

# 120x40 from the start; --read-only leaves the pin keys out
stop
start 120 40 "$SLIPWAY" demo --read-only
wait_for "Next windows"
shows "read-only slipway demo"
keys 5 '?'
wait_for "Keys of the plan view (read-only: pin keys are off)"
lacks "pin the host"
keys q '>'
settled
lacks "pinned"
keys Q
ended 0

# NO_COLOR: no colour escapes on screen (capture-pane -e shows them)
stop
start 80 24 NO_COLOR=1 "$SLIPWAY" demo
wait_for "Next windows"
settled
if tmux -L "$SOCK" capture-pane -p -e | grep -q "$(printf '\033')\[3[0-7]m\|$(printf '\033')\[[0-9;]*3[0-7]m"; then
	fail "colours drawn although NO_COLOR is set"
fi
keys Q
ended 0
echo "read-only and NO_COLOR: ok"
