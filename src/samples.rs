//! The teaching captures in `samples/`, compiled into the binary so the app and its
//! Samples menu work anywhere (even after `cargo install`). `samples/README.md` says how
//! each was made.

/// One bundled capture.
#[derive(Clone, Copy, Debug)]
pub struct Sample {
    pub file_name: &'static str,
    /// Menu title.
    pub title: &'static str,
    /// One line: what it teaches.
    pub description: &'static str,
    pub bytes: &'static [u8],
}

macro_rules! sample {
    ($file:literal, $title:literal, $description:literal) => {
        Sample {
            file_name: $file,
            title: $title,
            description: $description,
            bytes: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/", $file)),
        }
    };
}

/// The sample the app opens when started without a file.
pub const DEFAULT_SAMPLE: &str = "seed-handshake-client.pcapng";

pub const SAMPLES: &[Sample] = &[
    sample!(
        "seed-handshake-client.pcapng",
        "Handshake, \"helloworld\" and a half-close (client side)",
        "The classic tutorial: three-way handshake, 10 bytes of data, then a FIN that leaves the client in FIN-WAIT-2 and the server in CLOSE-WAIT."
    ),
    sample!(
        "seed-handshake-server.pcapng",
        "The same conversation seen from the server (NAT)",
        "Identical segments captured at the server behind NAT: other addresses, other MSS, same sequence numbers."
    ),
    sample!(
        "seed-github.pcapng",
        "HTTP to github.com, server closes first",
        "A 361-byte GET, a 223-byte reply, then a four-way teardown started by the server."
    ),
    sample!(
        "three-segment-close.pcapng",
        "Three-segment close (FIN, FIN+ACK, ACK)",
        "The passive side acknowledges the FIN and sends its own in one segment."
    ),
    sample!(
        "half-close.pcapng",
        "Half-close: data after the first FIN",
        "The client shuts down its sending side; the server keeps sending until it closes too."
    ),
    sample!(
        "simultaneous-open.pcapng",
        "Simultaneous open",
        "Both sides send SYN at once: SYN-SENT → SYN-RECEIVED → ESTABLISHED on both."
    ),
    sample!(
        "simultaneous-close.pcapng",
        "Simultaneous close",
        "Both FINs cross on the wire: FIN-WAIT-1 → CLOSING → TIME-WAIT on both."
    ),
    sample!(
        "refused.pcapng",
        "Connection refused",
        "A SYN to a closed port is answered by RST, ACK; the client tries again and is refused again."
    ),
    sample!(
        "rst-abort.pcapng",
        "Reset in the middle of a connection",
        "An established connection is aborted by a RST: no teardown, both sides CLOSED at once."
    ),
    sample!(
        "syn-no-answer.pcapng",
        "SYN with no answer",
        "The SYN is retransmitted three times, after waits of 1, 2 and 4 s: exponential backoff, nobody answers."
    ),
    sample!(
        "port-reuse.pcapng",
        "Port reuse",
        "The same address/port pair is used by two connections one after the other, with different ISNs."
    ),
    sample!("ipv6.pcapng", "IPv6", "A complete connection over IPv6."),
    sample!(
        "vlan.pcap",
        "VLAN tags (802.1Q, QinQ)",
        "Ethernet frames with one and two VLAN tags."
    ),
    sample!(
        "linux-cooked.pcap",
        "Linux cooked capture (SLL)",
        "Captured on Linux's \"any\" interface: a pseudo link header instead of Ethernet."
    ),
    sample!(
        "linux-cooked-v2.pcap",
        "Linux cooked capture v2 (SLL2)",
        "The newer \"any\" interface header, with interface index and direction."
    ),
    sample!(
        "two-interfaces.pcapng",
        "pcapng with two interfaces",
        "Two interfaces with different link types and timestamp resolutions in one file."
    ),
    sample!(
        "snaplen-truncated.pcap",
        "Snapshot length cut the packets",
        "Only the first 96 bytes of each frame were saved; lengths still come from the IP header."
    ),
    sample!(
        "loopback-real.pcap",
        "Real kernel traffic on loopback",
        "A real Linux connection on 127.0.0.1, captured with tcpdump."
    ),
    sample!(
        "lost-segment-fast-retransmit.pcapng",
        "Lost segment, duplicate ACKs, fast retransmit",
        "A segment is lost; three duplicate ACKs ask for it again and the sender retransmits it at once."
    ),
    sample!(
        "timeout-retransmission.pcapng",
        "Retransmission after a timeout",
        "No acknowledgement comes back; after the retransmission timer (about 220 ms) the segment is sent again."
    ),
    sample!(
        "out-of-order.pcapng",
        "Out-of-order delivery",
        "Two segments arrive swapped: a gap, a duplicate ACK, then the late segment fills the hole."
    ),
    sample!(
        "zero-window.pcapng",
        "Zero window, probes and a window update",
        "The receiver's buffer fills: window 0, one-byte probes, then a window update lets data flow again."
    ),
    sample!(
        "keep-alive.pcapng",
        "Keep-alives on an idle connection",
        "Both sides check an idle connection with keep-alive probes, each answered by an ACK."
    ),
    sample!(
        "sack.pcapng",
        "Selective acknowledgements (SACK)",
        "Three holes; the ACKs carry up to three SACK blocks and only the missing bytes are resent."
    ),
    sample!(
        "spurious-retransmission.pcapng",
        "A spurious retransmission",
        "Data is sent again although it had already been acknowledged (the ACK was lost on the way)."
    ),
    sample!(
        "nanosecond.pcap",
        "Nanosecond timestamps",
        "A pcap file with nanosecond time resolution."
    ),
    sample!(
        "big-endian.pcap",
        "Big-endian pcap",
        "A pcap file written in big-endian byte order."
    ),
];

/// Find a bundled sample by file name.
pub fn find(file_name: &str) -> Option<&'static Sample> {
    SAMPLES.iter().find(|s| s.file_name == file_name)
}

/// Two captures of the same connections, one at each end: opened as one two-ended
/// ladder.
pub struct SamplePair {
    pub title: &'static str,
    pub description: &'static str,
    /// Opened first (the ladder's connection numbers are this file's).
    pub first: Sample,
    /// Opened as the other end.
    pub other: Sample,
}

pub const SAMPLE_PAIRS: &[SamplePair] = &[
    SamplePair {
        title: "The tutorial's connection from both ends: through the NAT",
        description: "The tutorial's client and server captures as one ladder: each arrow from when it left to when it arrived (18.8 ms one way, 13.9 ms back), the NAT's address change and the MSS clamped from 1414 and 1460 to 1412.",
        first: sample!(
            "seed-handshake-client.pcapng",
            "client side",
            "seed 000 at the client"
        ),
        other: sample!(
            "seed-handshake-server.pcapng",
            "server side",
            "seed 000 at the server"
        ),
    },
    SamplePair {
        title: "Real, through a NAT router: open, request, close",
        description: "Captured at both ends at once (network namespaces, 20 ms one way, 35 ms back): the NAT rewrites 10.0.1.2 to 198.51.100.1, the router clamps the MSS to 1400 and counts the TTL down.",
        first: sample!(
            "two-ends/nat-close-client.pcap",
            "client side",
            "nat-close at the client"
        ),
        other: sample!(
            "two-ends/nat-close-server.pcap",
            "server side",
            "nat-close at the server"
        ),
    },
    SamplePair {
        title: "Real, a lost segment each way and its retransmission",
        description: "One data segment from the client and one from the server never arrive: the arrow stops in the middle, the receiver's duplicate ACKs with SACK blocks follow, and the retransmission reaches the other end.",
        first: sample!(
            "two-ends/nat-loss-client.pcap",
            "client side",
            "nat-loss at the client"
        ),
        other: sample!(
            "two-ends/nat-loss-server.pcap",
            "server side",
            "nat-loss at the server"
        ),
    },
    SamplePair {
        title: "Real, the server resets the connection",
        description: "The server answers the request with RST (SO_LINGER 0): seen leaving the server and, 35 ms later, arriving at the client.",
        first: sample!(
            "two-ends/nat-rst-client.pcap",
            "client side",
            "nat-rst at the client"
        ),
        other: sample!(
            "two-ends/nat-rst-server.pcap",
            "server side",
            "nat-rst at the server"
        ),
    },
];
