//! Every small sample file, and the helpers the scenarios share.
//!
//! [`ALL`] lists the files `make-samples` writes, in order. Each entry's
//! function builds the whole capture in memory (they are all tiny) and
//! writes it to the given path.

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::time::Duration;

use crate::rng::Rng;
use crate::time::Date;

mod formats;
mod lifecycle;
mod links;
mod notes;
pub mod seeds;
mod trouble;

/// One sample file.
pub struct Sample {
    /// File name inside `samples/`.
    pub file: &'static str,
    /// Writes the file to the given path.
    pub write: fn(&Path) -> io::Result<()>,
}

/// All samples, in the order of `samples/README.md`.
pub const ALL: &[Sample] = &[
    Sample {
        file: "seed-handshake-client.pcapng",
        write: seeds::seed_handshake_client,
    },
    Sample {
        file: "seed-handshake-server.pcapng",
        write: seeds::seed_handshake_server,
    },
    Sample {
        file: "seed-github.pcapng",
        write: seeds::seed_github,
    },
    Sample {
        file: "simultaneous-open.pcapng",
        write: lifecycle::simultaneous_open,
    },
    Sample {
        file: "simultaneous-close.pcapng",
        write: lifecycle::simultaneous_close,
    },
    Sample {
        file: "three-segment-close.pcapng",
        write: lifecycle::three_segment_close,
    },
    Sample {
        file: "half-close.pcapng",
        write: lifecycle::half_close,
    },
    Sample {
        file: "refused.pcapng",
        write: lifecycle::refused,
    },
    Sample {
        file: "rst-abort.pcapng",
        write: lifecycle::rst_abort,
    },
    Sample {
        file: "syn-no-answer.pcapng",
        write: lifecycle::syn_no_answer,
    },
    Sample {
        file: "port-reuse.pcapng",
        write: lifecycle::port_reuse,
    },
    Sample {
        file: "ipv6.pcapng",
        write: formats::ipv6,
    },
    Sample {
        file: "vlan.pcap",
        write: formats::vlan,
    },
    Sample {
        file: "linux-cooked.pcap",
        write: formats::linux_cooked,
    },
    Sample {
        file: "linux-cooked-v2.pcap",
        write: formats::linux_cooked_v2,
    },
    Sample {
        file: "two-interfaces.pcapng",
        write: formats::two_interfaces,
    },
    Sample {
        file: "snaplen-truncated.pcap",
        write: formats::snaplen_truncated,
    },
    Sample {
        file: "nanosecond.pcap",
        write: formats::nanosecond,
    },
    Sample {
        file: "big-endian.pcap",
        write: formats::big_endian,
    },
    Sample {
        file: "lost-segment-fast-retransmit.pcapng",
        write: trouble::lost_segment_fast_retransmit,
    },
    Sample {
        file: "timeout-retransmission.pcapng",
        write: trouble::timeout_retransmission,
    },
    Sample {
        file: "out-of-order.pcapng",
        write: trouble::out_of_order,
    },
    Sample {
        file: "zero-window.pcapng",
        write: trouble::zero_window,
    },
    Sample {
        file: "keep-alive.pcapng",
        write: trouble::keep_alive,
    },
    Sample {
        file: "sack.pcapng",
        write: trouble::sack,
    },
    Sample {
        file: "spurious-retransmission.pcapng",
        write: trouble::spurious_retransmission,
    },
    Sample {
        file: "links/pppoe.pcap",
        write: links::pppoe,
    },
    Sample {
        file: "links/ppp.pcap",
        write: links::ppp,
    },
    Sample {
        file: "links/ppp-hdlc.pcap",
        write: links::ppp_hdlc,
    },
    Sample {
        file: "links/cisco-hdlc.pcap",
        write: links::cisco_hdlc,
    },
    Sample {
        file: "links/mpls.pcap",
        write: links::mpls,
    },
    Sample {
        file: "links/wifi-radiotap.pcap",
        write: links::wifi_radiotap,
    },
    Sample {
        file: "links/wifi.pcap",
        write: links::wifi_plain,
    },
    Sample {
        file: "links/wifi-ppi.pcap",
        write: links::wifi_ppi,
    },
    Sample {
        file: "links/nflog.pcap",
        write: links::nflog,
    },
    Sample {
        file: "links/tunnels.pcap",
        write: links::tunnels,
    },
    Sample {
        file: "links/ip-oddities.pcap",
        write: links::ip_oddities,
    },
];

/// The day of every generated teaching sample.
const TEACHING_DAY: Date = Date::new(2024, 3, 1);

/// 2024-03-01 at `10:mm:ss.micros` UTC.
fn at(minute: u32, second: u32, micros: u32) -> Duration {
    TEACHING_DAY.at(10, minute, second, micros)
}

/// An IPv4 socket address.
fn v4(a: u8, b: u8, c: u8, d: u8, port: u16) -> SocketAddr {
    SocketAddr::new(IpAddr::V4(Ipv4Addr::new(a, b, c, d)), port)
}

/// A minimal HTTP/1.1 GET request.
fn http_get(host: &str, path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n")
        .into_bytes()
}

/// An HTTP/1.1 200 answer carrying `body` as plain text.
fn http_ok(body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 200 OK\r\nServer: nginx/1.24.0\r\nDate: Fri, 01 Mar 2024 10:00:00 GMT\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// `len` bytes of readable, numbered text lines (deterministic).
fn text(len: usize, seed: u64) -> Vec<u8> {
    const WORDS: &[&str] = &[
        "segment",
        "window",
        "ack",
        "sequence",
        "handshake",
        "teardown",
        "timer",
        "retransmit",
        "socket",
        "stream",
        "byte",
        "buffer",
        "congestion",
        "flow",
        "port",
        "packet",
    ];
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(len + 64);
    let mut line = 1;
    while out.len() < len {
        out.extend_from_slice(format!("{line:05}").as_bytes());
        for _ in 0..8 {
            out.push(b' ');
            let w = WORDS
                .get(rng.range(0, WORDS.len() as u64 - 1) as usize)
                .copied()
                .unwrap_or("tcp");
            out.extend_from_slice(w.as_bytes());
        }
        out.push(b'\n');
        line += 1;
    }
    out.truncate(len);
    out
}
