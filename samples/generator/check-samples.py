#!/usr/bin/env python3
"""check-samples.py: reads every capture in samples/ with tcpdump and tshark
and compares the seed reproductions with the seeds' own tcpdump lines.

Usage: python3 samples/generator/check-samples.py   (needs tcpdump, tshark)

Known, accepted exceptions (both are reader limitations, not file faults):
* tcpdump 4.99 prints "Warning: interface names might be incorrect" for
  every LINUX_SLL2 file (it looks interface indexes up on the local host);
* libpcap 1.10 refuses pcapng files whose interfaces have different link
  types, so tcpdump cannot read two-interfaces.pcapng; tshark can.
"""

import os
import re
import subprocess
import sys

SAMPLES = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
ENV = dict(os.environ, TZ="UTC")

# Seed 000, lines copied verbatim, host name "VM_0_9_centos.ddi-tcp-1"
# written as the address it stands for.
SEED0_CLIENT = """\
17:38:17.797373 IP 10.23.185.135.48096 > 106.53.211.6.8888: Flags [S], seq 734888645, win 65044, options [mss 1414,sackOK,TS val 1928888411 ecr 0,nop,wscale 7], length 0
17:38:17.830081 IP 106.53.211.6.8888 > 10.23.185.135.48096: Flags [S.], seq 1632166146, ack 734888646, win 28960, options [mss 1412,sackOK,TS val 588838281 ecr 1928888411,nop,wscale 7], length 0
17:38:17.830139 IP 10.23.185.135.48096 > 106.53.211.6.8888: Flags [.], ack 1, win 509, options [nop,nop,TS val 1928888444 ecr 588838281], length 0
17:38:46.885233 IP 10.23.185.135.48096 > 106.53.211.6.8888: Flags [P.], seq 1:11, ack 1, win 509, options [nop,nop,TS val 1928917499 ecr 588838281], length 10
17:38:46.918039 IP 106.53.211.6.8888 > 10.23.185.135.48096: Flags [.], ack 11, win 227, options [nop,nop,TS val 588867369 ecr 1928917499], length 0
18:08:10.116986 IP 10.23.185.135.48206 > 106.53.211.6.8888: Flags [F.], seq 1, ack 1, win 509, options [nop,nop,TS val 1930680740 ecr 590615825], length 0
18:08:10.147985 IP 106.53.211.6.8888 > 10.23.185.135.48206: Flags [.], ack 2, win 227, options [nop,nop,TS val 590630604 ecr 1930680740], length 0
"""
SEED0_SERVER = """\
17:38:17.816221 IP 120.132.11.203.48096 > 172.16.0.9.8888: Flags [S], seq 734888645, win 65044, options [mss 1412,sackOK,TS val 1928888411 ecr 0,nop,wscale 7], length 0
17:38:17.816395 IP 172.16.0.9.8888 > 120.132.11.203.48096: Flags [S.], seq 1632166146, ack 734888646, win 28960, options [mss 1460,sackOK,TS val 588838281 ecr 1928888411,nop,wscale 7], length 0
17:38:17.848272 IP 120.132.11.203.48096 > 172.16.0.9.8888: Flags [.], ack 1, win 509, options [nop,nop,TS val 1928888444 ecr 588838281], length 0
17:38:46.904117 IP 120.132.11.203.48096 > 172.16.0.9.8888: Flags [P.], seq 1:11, ack 1, win 509, options [nop,nop,TS val 1928917499 ecr 588838281], length 10
17:38:46.904182 IP 172.16.0.9.8888 > 120.132.11.203.48096: Flags [.], ack 11, win 227, options [nop,nop,TS val 588867369 ecr 1928917499], length 0
18:08:10.138686 IP 120.132.11.203.48206 > 172.16.0.9.8888: Flags [F.], seq 1, ack 1, win 509, options [nop,nop,TS val 1930680740 ecr 590615825], length 0
18:08:10.139077 IP 172.16.0.9.8888 > 120.132.11.203.48206: Flags [.], ack 2, win 227, options [nop,nop,TS val 590630604 ecr 1930680740], length 0
"""
# Seed 001, windump -S lines verbatim (166.111.X.X is 166.111.8.28 here).
SEED1 = """\
16:17:58.813323 IP 166.111.X.X.57245 > 192.30.252.153.80: S 1337949936:1337949936(0) win 65535
16:17:59.103384 IP 192.30.252.153.80 > 166.111.X.X.57245: S 3859825850:3859825850(0) ack 1337949937 win 14360
16:17:59.103465 IP 166.111.X.X.57245 > 192.30.252.153.80: . ack 3859825851 win 1024
16:17:59.103634 IP 166.111.X.X.57245 > 192.30.252.153.80: P 1337949937:1337950298(361) ack 3859825851 win 1024
16:17:59.393901 IP 192.30.252.153.80 > 166.111.X.X.57245: P 3859825851:3859826074(223) ack 1337950298 win 16
16:17:59.444259 IP 166.111.X.X.57245 > 192.30.252.153.80: . ack 3859826074 win 1023
16:18:09.393241 IP 192.30.252.153.80 > 166.111.X.X.57245: F 3859826074:3859826074(0) ack 1337950298 win 16
16:18:09.393290 IP 166.111.X.X.57245 > 192.30.252.153.80: . ack 3859826075 win 1023
16:18:32.768012 IP 166.111.X.X.57245 > 192.30.252.153.80: F 1337950298:1337950298(0) ack 3859826075 win 1023
16:18:33.057948 IP 192.30.252.153.80 > 166.111.X.X.57245: . ack 1337950299 win 16
"""

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(("ok      " if ok else "FAILED  ") + name + (f": {detail}" if detail and not ok else ""))


def run(args):
    p = subprocess.run(args, capture_output=True, text=True, env=ENV)
    return p.returncode, p.stdout, p.stderr


def tcpdump_lines(path, *flags):
    rc, out, err = run(["tcpdump", "-n", *flags, "-r", path])
    return rc, out.splitlines(), [l for l in err.splitlines() if not l.startswith("reading from file")]


def up_to_length(line):
    """A tcpdump line cut after `length N` (drops protocol decodes)."""
    m = re.match(r"(.*?, length \d+)", line)
    return m.group(1) if m else line


def windump_numbers(line):
    """(time, src, dst, flag letter, seq, ack, win, len) of a windump line."""
    m = re.match(r"(\S+) IP (\S+) > (\S+): (\S) (?:(\d+):(\d+)\((\d+)\) )?(?:ack (\d+) )?win (\d+)", line)
    t, src, dst, flag, s1, _s2, ln, ack, win = m.groups()
    return (t, src.replace("X.X", "8.28"), dst.replace("X.X", "8.28"), flag, s1, ack, win, ln or "0")


def tcpdump_numbers(line):
    m = re.match(r"(\S+) IP (\S+) > (\S+): Flags \[([^\]]*)\], (?:seq (\d+)(?::\d+)?, )?(?:ack (\d+), )?win (\d+).*length (\d+)", line)
    t, src, dst, flags, seq, ack, win, ln = m.groups()
    letter = next((c for c in "SFRP" if c in flags), ".")
    return (t, src, dst, letter, seq, ack, win, ln)


def main():
    files = sorted(f for f in os.listdir(SAMPLES) if f.endswith((".pcap", ".pcapng")))
    for f in files:
        path = os.path.join(SAMPLES, f)
        rc, lines, err = tcpdump_lines(path)
        if f == "two-interfaces.pcapng":
            check(f"tcpdump {f} (expected libpcap refusal)", rc != 0 and "different from the type" in " ".join(err))
        else:
            if f == "linux-cooked-v2.pcap":
                err = [l for l in err if l != "Warning: interface names might be incorrect"]
            check(f"tcpdump {f}", rc == 0 and not err and len(lines) > 0, " | ".join(err))
        # The real loopback capture holds the kernel's partial checksums
        # (checksum offload: the packets were captured before the checksum
        # would have been finished), so only generated files are validated.
        validate = [] if f == "loopback-real.pcap" else [
            "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE"]
        rc, out, terr = run(["tshark", "-r", path, *validate, "-z", "expert,error", "-q"])
        terr = [l for l in terr.splitlines() if not l.startswith("Running as user")]
        check(f"tshark {f}", rc == 0 and not terr and "Errors" not in out, " | ".join(terr) + out)

    for f, expected in (("seed-handshake-client.pcapng", SEED0_CLIENT), ("seed-handshake-server.pcapng", SEED0_SERVER)):
        _, lines, _ = tcpdump_lines(os.path.join(SAMPLES, f))
        got = {up_to_length(l) for l in lines}
        missing = [l for l in expected.splitlines() if l not in got]
        check(f"seed 000 lines in {f}", not missing, "missing: " + " || ".join(missing))

    _, lines, _ = tcpdump_lines(os.path.join(SAMPLES, "seed-github.pcapng"), "-S")
    want = [windump_numbers(l) for l in SEED1.splitlines()]
    got = [tcpdump_numbers(l) for l in lines]
    # windump shows no seq for pure ACKs; tcpdump shows none either.
    check("seed 001 numbers in seed-github.pcapng (-S)", want == got,
          "\n".join(f"want {w}\n got {g}" for w, g in zip(want, got) if w != g))

    passed = sum(results)
    failed = len(results) - passed
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
