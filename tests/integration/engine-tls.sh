#!/usr/bin/env bash
# engine-tls.sh - dockerd also on tcp://127.0.0.1:PORT with mutual TLS
# (CA, server certificate for 127.0.0.1 and a client certificate made here
# with openssl): a [host] with the right certificates is inventoried; one
# whose CA is another fails alone, with one line, in the same run.
. "$(dirname "$0")/lib-engines.sh"

need openssl python3
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
C=$T/tls
mkdir -p "$C/other"
(
	cd "$C" &&
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=slipway-test-ca" -keyout ca-key.pem -out ca.pem &&
	openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server-key.pem -out server.csr &&
	printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > server.ext &&
	openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 -extfile server.ext -out server-cert.pem &&
	openssl req -newkey rsa:2048 -nodes -subj "/CN=slipway" -keyout key.pem -out client.csr &&
	printf 'extendedKeyUsage=clientAuth\n' > client.ext &&
	openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 -extfile client.ext -out cert.pem &&
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=another-ca" -keyout other/ca-key.pem -out other/ca.pem
) > "$T/openssl.log" 2>&1 || fail "openssl: $(tail -3 "$T/openssl.log")"
chmod 600 "$C"/*.pem

start_dockerd -H "tcp://127.0.0.1:$PORT" --tlsverify --tlscacert "$C/ca.pem" \
	--tlscert "$C/server-cert.pem" --tlskey "$C/server-key.pem"
dk run -d --network none --name tls-one --restart always "$DIMG" sleep 86400 >/dev/null

cat > "$SLIPWAY_CONFIG" <<CONF
[slipway]
host-timeout = 20s

[host tls-good]
engine = tcp://127.0.0.1:$PORT
tls-ca = $C/ca.pem
tls-cert = $C/cert.pem
tls-key = $C/key.pem

[host tls-wrong-ca]
engine = tcp://127.0.0.1:$PORT
tls-ca = $C/other/ca.pem
tls-cert = $C/cert.pem
tls-key = $C/key.pem
CONF

rc=0
"$SLIPWAY" -q inventory > "$T/out" 2> "$T/err" || rc=$?
[ "$rc" = 1 ] || fail "exit $rc, want 1 (one host failed): $(cat "$T/out" "$T/err")"
grep -q '^tls-good .*docker .* 1 container$' "$T/out" || fail "tls-good not inventoried: $(cat "$T/out" "$T/err")"
[ "$(wc -l < "$T/err")" = 1 ] || fail "want one error line: $(cat "$T/err")"
grep -q "^slipway: cannot inventory 'tls-wrong-ca' (tcp://127.0.0.1:$PORT): TLS: " "$T/err" \
	|| fail "error line: $(cat "$T/err")"
"$SLIPWAY" containers --host tls-good --json | grep -q '"name":"tls-one"' || fail "tls-one not listed"
log "wrong CA: $(cat "$T/err")"

# a key others can read is refused before any connection
chmod 644 "$C/key.pem"
rc=0
"$SLIPWAY" -q inventory tls-good > "$T/out" 2> "$T/err" || rc=$?
[ "$rc" = 1 ] || fail "readable key: exit $rc"
grep -q "refusing '$C/key.pem': readable by others; chmod 600" "$T/err" || fail "key message: $(cat "$T/err")"
log "ok: $(cat "$T/err")"
