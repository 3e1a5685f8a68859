#!/usr/bin/env bash
# capture-loopback.sh: records one REAL kernel TCP connection on the loopback
# interface into samples/loopback-real.pcap.
#
# A tiny python3 server listens on 127.0.0.1:50007; a python3 client
# connects, sends a short request, reads the reply, shuts down its sending
# side (shutdown(SHUT_WR): the FIN goes out while it can still read), reads
# until the server closes too, and closes. tcpdump records it all.
#
# Needs root (for tcpdump), tcpdump and python3. The result is not
# deterministic (ISNs, ports, times are the kernel's): it is committed as is.
#
# Usage (from anywhere): sudo samples/generator/capture-loopback.sh
set -euo pipefail

cd "$(dirname "$0")/../.."   # repository root
OUT=samples/loopback-real.pcap
PORT=50007

if [ "$(id -u)" != 0 ]; then
    echo "capture-loopback.sh: must run as root (tcpdump needs it)" >&2
    exit 1
fi
for tool in tcpdump python3; do
    command -v "$tool" >/dev/null || { echo "capture-loopback.sh: $tool not found" >&2; exit 1; }
done

work=$(mktemp -d)
cleanup() {
    [ -n "${TCPDUMP_PID:-}" ] && kill -INT "$TCPDUMP_PID" 2>/dev/null || true
    [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

tcpdump -i lo -w "$OUT" -s 0 "tcp port $PORT" 2>"$work/tcpdump.err" &
TCPDUMP_PID=$!
for _ in $(seq 100); do
    grep -q "listening on" "$work/tcpdump.err" 2>/dev/null && break
    sleep 0.1
done
grep -q "listening on" "$work/tcpdump.err" || { cat "$work/tcpdump.err" >&2; exit 1; }

# The server: one connection, answer one request, close after the client's FIN.
python3 - "$PORT" "$work/ready" <<'PY' &
import socket, sys
port, ready = int(sys.argv[1]), sys.argv[2]
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port))
srv.listen(1)
srv.settimeout(20)
open(ready, "w").close()
conn, _ = srv.accept()
conn.settimeout(20)
request = conn.recv(1024)
conn.sendall(b"HELLO student, I got %d bytes: %s" % (len(request), request))
while conn.recv(1024):      # read until the client's FIN (EOF)
    pass
conn.close()                # our own FIN
srv.close()
PY
SERVER_PID=$!
for _ in $(seq 100); do
    [ -e "$work/ready" ] && break
    sleep 0.1
done
[ -e "$work/ready" ] || { echo "capture-loopback.sh: server did not start" >&2; exit 1; }

# The client.
python3 - "$PORT" <<'PY'
import socket, sys, time
port = int(sys.argv[1])
c = socket.create_connection(("127.0.0.1", port), timeout=20)
c.sendall(b"HELLO tcp-ladder\n")
reply = c.recv(1024)
time.sleep(0.05)
c.shutdown(socket.SHUT_WR)  # half-close: our FIN, we can still read
while c.recv(1024):         # read until the server's FIN
    pass
c.close()
print("client got:", reply.decode().strip())
PY

wait "$SERVER_PID"
SERVER_PID=
sleep 1                     # let tcpdump see the last ACK
kill -INT "$TCPDUMP_PID"
wait "$TCPDUMP_PID" || true
TCPDUMP_PID=
cat "$work/tcpdump.err" >&2
echo "wrote $OUT"
