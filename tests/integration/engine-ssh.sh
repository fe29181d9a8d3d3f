#!/usr/bin/env bash
# engine-ssh.sh - ssh:// inventory through a real sshd on 127.0.0.1:PORT
# with a throwaway host key, user keys and its own sshd_config: a host
# whose key is authorized is inventoried over the forwarded socket; one
# whose key is not fails alone, with one line, in the same run; no
# forward (ssh process, private socket) is left behind.
#
# The client side is an ssh config the test writes, handed to Slipway with
# SLIPWAY_SSH_CONFIG (ssh -F): known_hosts, identity, strict host key
# checking. The remote socket is the URL's path.
. "$(dirname "$0")/lib-engines.sh"

need ssh ssh-keygen python3
[ -x /usr/sbin/sshd ] || skip "openssh-server not installed"
unset SSH_AUTH_SOCK
S=$T/ssh
mkdir -p "$S" /run/sshd
chmod 700 "$S"
ssh-keygen -q -t ed25519 -N '' -f "$S/host_key" || fail "ssh-keygen"
ssh-keygen -q -t ed25519 -N '' -f "$S/id_good" || fail "ssh-keygen"
ssh-keygen -q -t ed25519 -N '' -f "$S/id_bad" || fail "ssh-keygen"
cp "$S/id_good.pub" "$S/authorized_keys"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$S/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $PORT
HostKey $S/host_key
PidFile $S/sshd.pid
AuthorizedKeysFile $S/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
AllowStreamLocalForwarding yes
CONF
printf 'slipway-test-sshd %s\n' "$(cut -d' ' -f1,2 "$S/host_key.pub")" > "$S/known_hosts"
cat > "$S/ssh_config" <<CONF
Host good bad
	HostName 127.0.0.1
	User root
	HostKeyAlias slipway-test-sshd
	UserKnownHostsFile $S/known_hosts
	GlobalKnownHostsFile /dev/null
	StrictHostKeyChecking yes
	IdentitiesOnly yes
Host good
	IdentityFile $S/id_good
Host bad
	IdentityFile $S/id_bad
CONF
export SLIPWAY_SSH_CONFIG=$S/ssh_config

start_dockerd
dk run -d --network none --name over-ssh --restart unless-stopped "$DIMG" sleep 86400 >/dev/null

/usr/sbin/sshd -D -e -f "$S/sshd_config" 2> "$S/sshd.log" &
PIDS+=($!)
for _ in $(seq 1 50); do
	ssh -F "$S/ssh_config" -o BatchMode=yes -p "$PORT" good true 2>/dev/null && break
	sleep 0.2
done
ssh -F "$S/ssh_config" -o BatchMode=yes -p "$PORT" good true 2>/dev/null \
	|| skip "sshd did not start: $(tail -3 "$S/sshd.log")"

cat > "$SLIPWAY_CONFIG" <<CONF
[host ssh-good]
engine = ssh://good:$PORT$DOCKER_SOCK

[host ssh-bad]
engine = ssh://bad:$PORT$DOCKER_SOCK
CONF

rc=0
"$SLIPWAY" -q inventory > "$T/out" 2> "$T/err" || rc=$?
[ "$rc" = 1 ] || fail "exit $rc, want 1: $(cat "$T/out" "$T/err")"
grep -q '^ssh-good .*docker .* 1 container$' "$T/out" || fail "ssh-good: $(cat "$T/out" "$T/err")"
[ "$(wc -l < "$T/err")" = 1 ] || fail "want one error line: $(cat "$T/err")"
grep -q "^slipway: cannot inventory 'ssh-bad' (ssh://bad:$PORT$DOCKER_SOCK): ssh: .*Permission denied" "$T/err" \
	|| fail "error line: $(cat "$T/err")"
"$SLIPWAY" containers --host ssh-good --json | grep -q '"name":"over-ssh"' || fail "over-ssh not listed"
log "bad key: $(cat "$T/err")"

# the forwards are gone: no ssh forwarding to this test's socket
pgrep -f -- "-L /tmp/slipway-ssh-.*:$DOCKER_SOCK" >/dev/null && fail "ssh forward still running"
log "ok"
