//! The text on an arrow — Wireshark-style `Seq=0 Ack=1 Win=28960 Len=0 MSS=1412 ...` —
//! and the time in the left margin.

use super::TimeMode;
use crate::capture::Timestamp;
use crate::decode::tcp::OptionSummary;
use crate::flow::Connection;
use crate::session::PacketRecord;
use std::fmt::Write;

/// Numbers and key options for an arrow. The window is scaled as Wireshark shows it
/// (only when both SYNs carried a window scale; never on a SYN).
pub fn packet_label(
    conn: &Connection,
    p: &PacketRecord,
    options: &OptionSummary,
    absolute: bool,
) -> String {
    let mut s = String::with_capacity(80);
    let seq = if absolute { p.seq } else { p.rel_seq };
    let _ = write!(s, "Seq={seq}");
    if p.flags.ack() {
        let ack = if absolute {
            p.ack
        } else {
            p.rel_ack().unwrap_or(p.ack)
        };
        let _ = write!(s, " Ack={ack}");
    }
    let _ = write!(s, " Win={} Len={}", scaled_window(conn, p), p.payload_len);
    let o = options;
    if let Some(mss) = o.mss {
        let _ = write!(s, " MSS={mss}");
    }
    if o.sack_permitted {
        s.push_str(" SACK_PERM");
    }
    if let Some(ws) = o.window_scale {
        let _ = write!(s, " WS={}", 1u64 << ws.min(14));
    }
    if o.timestamp.is_some() {
        s.push_str(" TS");
    }
    if o.sack_count > 0 {
        let base = conn.dir(p.side().other()).base_seq.unwrap_or(0);
        for &(l, r) in o.sack_blocks() {
            let (l, r) = if absolute {
                (l, r)
            } else {
                (l.wrapping_sub(base), r.wrapping_sub(base))
            };
            let _ = write!(s, " SLE={l} SRE={r}");
        }
    }
    if o.fast_open {
        s.push_str(" TFO");
    }
    s
}

/// The window a packet advertises, scaled when window scaling is in effect.
pub fn scaled_window(conn: &Connection, p: &PacketRecord) -> u64 {
    conn.scaled_window(p.side(), p.flags, p.window)
}

/// The time in the margin.
pub fn time_label(
    mode: TimeMode,
    ts: Timestamp,
    capture_start: Timestamp,
    connection_start: Timestamp,
    previous: Option<Timestamp>,
) -> String {
    match mode {
        TimeMode::Relative => format!("{:.6}", ts.seconds_since(capture_start)),
        TimeMode::SinceConnection => format!("{:.6}", ts.seconds_since(connection_start)),
        TimeMode::Delta => format!(
            "+{:.6}",
            previous.map(|p| ts.seconds_since(p)).unwrap_or(0.0)
        ),
        TimeMode::Absolute => ts.time_of_day(),
    }
}
