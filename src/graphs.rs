//! Stream graphs as data, for one connection and one direction (the data sender):
//! tcptrace's time–sequence graph, throughput, round-trip time, and window size. The UI
//! plots these with egui_plot; the tests read them directly. Every point keeps the index
//! of its packet in `Session::packets`, so a click on a point selects that packet.
//!
//! Times are seconds since the first packet of the capture; sequence numbers are relative
//! to the sender's base (Wireshark's definition), as on the ladder.

use crate::flow::{Flag, Side};
use crate::ladder::labels::scaled_window;
use crate::session::{PacketRecord, Session};
use std::collections::VecDeque;

/// A point of a series, with the packet it comes from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub t: f64,
    pub value: f64,
    pub packet: u32,
}

/// A data segment drawn as a vertical bar from `start` to `end` (tcptrace style).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bar {
    pub t: f64,
    pub start: f64,
    pub end: f64,
    pub packet: u32,
    pub retransmission: bool,
}

/// Everything the four graphs of one direction show.
#[derive(Clone, Debug, Default)]
pub struct StreamGraphs {
    /// Segments sent by the data sender.
    pub segments: Vec<Bar>,
    /// The receiver's acknowledgement number over time.
    pub acks: Vec<Point>,
    /// The receiver's window edge: acknowledgement + advertised (scaled) window.
    pub window_edge: Vec<Point>,
    /// SACK blocks the receiver reported.
    pub sacks: Vec<Bar>,
    /// Bytes per second, per segment (over the last few segments) …
    pub throughput: Vec<Point>,
    /// … and its moving average over one second.
    pub throughput_average: Vec<Point>,
    /// Round-trip time in milliseconds, per acknowledged segment (retransmitted ones are
    /// left out: their RTT is ambiguous — Karn's rule).
    pub rtt_ms: Vec<Point>,
    /// The receiver's advertised window in bytes.
    pub receive_window: Vec<Point>,
    /// Bytes sent but not yet acknowledged, after each segment.
    pub bytes_in_flight: Vec<Point>,
}

/// How many segments the per-segment throughput spans.
const THROUGHPUT_SEGMENTS: usize = 10;

/// Compute the graphs of connection `stream`, for data sent by `sender`.
pub fn stream_graphs(session: &Session, stream: u32, sender: Side) -> StreamGraphs {
    let mut g = StreamGraphs::default();
    let Some(conn) = session.connection(stream) else {
        return g;
    };
    let start = session.time_zero();
    let base = conn.dir(sender).base_seq.unwrap_or(0);
    let packets: Vec<(u32, &PacketRecord)> = session.indexed_packets(stream).collect();

    let mut recent: VecDeque<(f64, u64)> = VecDeque::new();
    let mut window_bytes: VecDeque<(f64, u64)> = VecDeque::new();
    let mut highest_end: Option<u64> = None;
    let mut last_ack: Option<u64> = None;
    // Segments awaiting an acknowledgement: (end, time, retransmitted).
    let mut unacked: VecDeque<(u64, f64, bool, u32)> = VecDeque::new();

    for &(index, p) in &packets {
        let t = p.ts().seconds_since(start);
        if p.side() == sender {
            let occupies = u64::from(p.flags.sequence_space(p.payload_len));
            if occupies == 0 {
                continue;
            }
            let s = u64::from(p.rel_seq);
            let end = s + occupies;
            let retransmission = p.analysis.flags.has(Flag::Retransmission);
            g.segments.push(Bar {
                t,
                start: s as f64,
                end: end as f64,
                packet: index,
                retransmission,
            });
            if retransmission {
                // Karn: whatever this resends no longer gives a clean RTT sample.
                for u in unacked.iter_mut().filter(|u| u.0 > s && u.0 <= end) {
                    u.2 = true;
                }
            } else {
                unacked.push_back((end, t, false, index));
            }
            highest_end = Some(highest_end.map_or(end, |h| h.max(end)));
            if p.payload_len > 0 {
                recent.push_back((t, u64::from(p.payload_len)));
                if recent.len() > THROUGHPUT_SEGMENTS {
                    recent.pop_front();
                }
                if let (Some(first), true) = (recent.front(), recent.len() > 1) {
                    let span = t - first.0;
                    if span > 0.0 {
                        let bytes: u64 = recent.iter().skip(1).map(|r| r.1).sum();
                        g.throughput.push(Point {
                            t,
                            value: bytes as f64 / span,
                            packet: index,
                        });
                    }
                }
                window_bytes.push_back((t, u64::from(p.payload_len)));
                while window_bytes.front().is_some_and(|w| t - w.0 > 1.0) {
                    window_bytes.pop_front();
                }
                let in_second: u64 = window_bytes.iter().map(|w| w.1).sum();
                g.throughput_average.push(Point {
                    t,
                    value: in_second as f64,
                    packet: index,
                });
            }
            if let (Some(h), Some(a)) = (highest_end, last_ack) {
                g.bytes_in_flight.push(Point {
                    t,
                    value: h.saturating_sub(a) as f64,
                    packet: index,
                });
            }
        } else if p.flags.ack() {
            let ack = u64::from(p.rel_ack().unwrap_or(0));
            let window = scaled_window(conn, p);
            g.acks.push(Point {
                t,
                value: ack as f64,
                packet: index,
            });
            g.window_edge.push(Point {
                t,
                value: (ack + window) as f64,
                packet: index,
            });
            g.receive_window.push(Point {
                t,
                value: window as f64,
                packet: index,
            });
            for &(l, r) in session.options(p).sack_blocks() {
                g.sacks.push(Bar {
                    t,
                    start: f64::from(l.wrapping_sub(base)),
                    end: f64::from(r.wrapping_sub(base)),
                    packet: index,
                    retransmission: false,
                });
            }
            while let Some(&(end, sent, tainted, _)) = unacked.front() {
                if end > ack {
                    break;
                }
                unacked.pop_front();
                if !tainted {
                    g.rtt_ms.push(Point {
                        t,
                        value: (t - sent) * 1000.0,
                        packet: index,
                    });
                }
            }
            last_ack = Some(last_ack.map_or(ack, |a| a.max(ack)));
        }
    }
    g
}

/// The packet whose point is nearest to (t, value) in a series, for clicks on a graph.
pub fn nearest(
    points: &[Point],
    t: f64,
    value: f64,
    t_scale: f64,
    value_scale: f64,
) -> Option<u32> {
    points
        .iter()
        .map(|p| {
            let dt = (p.t - t) / t_scale.max(f64::MIN_POSITIVE);
            let dv = (p.value - value) / value_scale.max(f64::MIN_POSITIVE);
            (dt * dt + dv * dv, p.packet)
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, packet)| packet)
}
