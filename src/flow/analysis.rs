//! Wireshark's TCP sequence analysis (`tcp.analysis.*`, TCP-RULES.md §7), computed per
//! direction on raw sequence numbers, in the order Wireshark 4.0 applies its rules:
//! zero-window probe, zero window, lost segment, keep-alive, window update, window full,
//! keep-alive ACK, zero-window-probe ACK, duplicate ACK; then ACKed-unseen-segment; then,
//! for segments that carry data (or SYN/FIN) without advancing the sequence, spurious →
//! fast retransmission → out-of-order → retransmission.
//!
//! Like Wireshark, a sequence number of 0 in `next_seq`, `last_ack` and
//! `max_seq_to_be_acked` means "not seen yet".

use super::key::{PerSide, Side};
use super::seq::{seq_gt, seq_lt};
use super::table::Segment;
use crate::capture::Timestamp;
use crate::decode::Control;

/// Wireshark's analysis flags, as a small set.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct AnalysisFlags(pub u16);

/// One analysis flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Flag {
    Retransmission,
    FastRetransmission,
    SpuriousRetransmission,
    OutOfOrder,
    LostSegment,
    AckLostSegment,
    DuplicateAck,
    ZeroWindow,
    ZeroWindowProbe,
    ZeroWindowProbeAck,
    WindowFull,
    WindowUpdate,
    KeepAlive,
    KeepAliveAck,
    ReusedPorts,
}

impl Flag {
    pub const ALL: [Flag; 15] = [
        Flag::Retransmission,
        Flag::FastRetransmission,
        Flag::SpuriousRetransmission,
        Flag::OutOfOrder,
        Flag::LostSegment,
        Flag::AckLostSegment,
        Flag::DuplicateAck,
        Flag::ZeroWindow,
        Flag::ZeroWindowProbe,
        Flag::ZeroWindowProbeAck,
        Flag::WindowFull,
        Flag::WindowUpdate,
        Flag::KeepAlive,
        Flag::KeepAliveAck,
        Flag::ReusedPorts,
    ];

    /// Wireshark's field name without the `tcp.analysis.` prefix.
    pub fn field_name(self) -> &'static str {
        match self {
            Flag::Retransmission => "retransmission",
            Flag::FastRetransmission => "fast_retransmission",
            Flag::SpuriousRetransmission => "spurious_retransmission",
            Flag::OutOfOrder => "out_of_order",
            Flag::LostSegment => "lost_segment",
            Flag::AckLostSegment => "ack_lost_segment",
            Flag::DuplicateAck => "duplicate_ack",
            Flag::ZeroWindow => "zero_window",
            Flag::ZeroWindowProbe => "zero_window_probe",
            Flag::ZeroWindowProbeAck => "zero_window_probe_ack",
            Flag::WindowFull => "window_full",
            Flag::WindowUpdate => "window_update",
            Flag::KeepAlive => "keep_alive",
            Flag::KeepAliveAck => "keep_alive_ack",
            Flag::ReusedPorts => "reused_ports",
        }
    }
}

impl AnalysisFlags {
    pub fn set(&mut self, flag: Flag) {
        self.0 |= 1 << flag as u16;
    }
    pub fn has(self, flag: Flag) -> bool {
        self.0 & (1 << flag as u16) != 0
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub fn iter(self) -> impl Iterator<Item = Flag> {
        Flag::ALL.into_iter().filter(move |f| self.has(*f))
    }
    /// `retransmission,duplicate_ack`, in Wireshark's field order.
    pub fn field_names(self) -> Vec<&'static str> {
        self.iter().map(Flag::field_name).collect()
    }
}

/// The analysis of one segment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Analysis {
    pub flags: AnalysisFlags,
    /// For a duplicate ACK: its number (#1, #2...) and the frame it duplicates.
    pub dup_ack_num: u32,
    pub dup_ack_frame: u64,
    /// For a retransmission (plain, fast or spurious): the frame that first carried these
    /// bytes, when it was captured; otherwise Wireshark's "RTO based on delta from" frame
    /// (the one that last advanced the sequence). 0 when there is none.
    pub retransmits_frame: u64,
}

pub use crate::decode::tcp::WindowScale;

/// Per-direction state (Wireshark's `tcp_flow_t` and `tcp_analyze_seq_info`).
#[derive(Clone, Copy, Debug, Default, serde::Serialize, serde::Deserialize)]
struct DirState {
    next_seq: u32,
    next_seq_frame: u64,
    next_seq_time: Timestamp,
    max_seq_to_be_acked: u32,
    last_ack: u32,
    last_ack_time: Timestamp,
    last_non_dup_ack: u64,
    dup_ack_num: u32,
    /// The last window, scaled as Wireshark scales it.
    window: u64,
    scale: WindowScale,
    last_segment_flags: AnalysisFlags,
    /// This side sent a RST since its last SYN (a SYN after it starts over).
    sent_rst: bool,
}

/// First transmissions of one direction, in sequence order, to find what a retransmission
/// resends. Bounded: the oldest are forgotten.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
struct Sent {
    /// (first sequence number, end, frame), each starting at or after the previous end.
    segments: std::collections::VecDeque<(u32, u32, u64)>,
}

const REMEMBERED_SEGMENTS: usize = 4096;

/// tshark's duplicate-ACK counter value -1 (an unsigned 32-bit field), set on the side
/// whose unseen segment was acknowledged: no second ACKed-unseen flag until that side's
/// acknowledgement number changes. As tshark, it also counts as "at least 2 duplicate
/// ACKs" for the fast-retransmission test.
const ACK_UNSEEN_MARK: u32 = u32::MAX;

impl Sent {
    fn record(&mut self, start: u32, end: u32, frame: u64) {
        if self.segments.len() == REMEMBERED_SEGMENTS {
            self.segments.pop_front();
        }
        self.segments.push_back((start, end, frame));
    }

    /// The frame whose bytes include `seq`.
    fn frame_of(&self, seq: u32) -> Option<u64> {
        let (origin, _, _) = *self.segments.front()?;
        let offset = |s: u32| s.wrapping_sub(origin);
        let at = offset(seq);
        let i = self
            .segments
            .partition_point(|&(start, _, _)| offset(start) <= at);
        let &(start, end, frame) = self.segments.get(i.checked_sub(1)?)?;
        (offset(end) > at && offset(start) <= at).then_some(frame)
    }
}

/// The analysis state of one connection.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Analyzer {
    dirs: PerSide<DirState>,
    sent: PerSide<Sent>,
    most_recent_syn: Option<Timestamp>,
    /// Time from the SYN to the first ACK (Wireshark's `ts_first_rtt`).
    pub first_rtt: Option<f64>,
    /// Keep no first transmissions: the flags come out the same, only
    /// [`Analysis::retransmits_frame`] then names the frame that last advanced the
    /// sequence instead of the one that first carried the bytes (`flows`, which shows
    /// counts of flags, not frames).
    #[serde(skip)]
    forget_originals: bool,
}

impl Analyzer {
    /// Let go of the first transmissions remembered so far, and remember no more: once
    /// a connection is settled its packets' analysis is done, and these lists (up to
    /// 4096 segments per direction) would only take memory.
    pub(super) fn forget_originals(&mut self) {
        self.sent = PerSide::default();
        self.forget_originals = true;
    }

    /// An analyzer that keeps no first transmissions (see `forget_originals`).
    pub(super) fn forgetting_originals() -> Analyzer {
        Analyzer {
            forget_originals: true,
            ..Analyzer::default()
        }
    }

    /// The window-scale state of a direction.
    pub fn scale(&self, side: Side) -> WindowScale {
        self.dirs[side].scale
    }

    /// Analyse one segment sent by `from`.
    pub fn on_segment(&mut self, from: Side, s: &Segment) -> Analysis {
        let (f, r) = (from, from.other());
        let flags = s.flags;
        let syn_fin_rst = flags.syn() || flags.fin() || flags.rst();

        // Window scaling (Wireshark's verify_tcp_window_scaling): a SYN without the
        // option rules scaling out for both directions.
        if flags.syn() {
            if let Some(shift) = s.options.window_scale {
                self.dirs[f].scale = WindowScale::Shift(shift.min(14));
            }
            if self.dirs[f].scale == WindowScale::Unknown {
                self.dirs[f].scale = WindowScale::NotUsed;
                self.dirs[r].scale = WindowScale::NotUsed;
            } else if flags.ack() && self.dirs[r].scale == WindowScale::NotUsed {
                self.dirs[f].scale = WindowScale::NotUsed;
            }
            if !flags.ack() {
                self.most_recent_syn = Some(s.ts);
            }
        } else if flags.ack()
            && self.first_rtt.is_none()
            && let Some(syn) = self.most_recent_syn
        {
            self.first_rtt = Some(s.ts.seconds_since(syn));
        }
        let window = match (flags.syn(), self.dirs[f].scale) {
            (false, WindowScale::Shift(shift)) => u64::from(s.window) << shift,
            _ => u64::from(s.window),
        };

        let mut a = Analysis::default();
        let fwd = self.dirs[f];
        let rev = self.dirs[r];
        let (seq, ack, len) = (s.seq, s.ack, s.payload_len);

        'fwd: {
            // ZERO WINDOW PROBE: 1 byte at the next expected sequence into a zero window.
            if len == 1 && seq == fwd.next_seq && rev.window == 0 {
                a.flags.set(Flag::ZeroWindowProbe);
                break 'fwd;
            }
            // ZERO WINDOW: window 0 outside SYN/FIN/RST.
            if window == 0 && !syn_fin_rst {
                a.flags.set(Flag::ZeroWindow);
            }
            // LOST SEGMENT: beyond the next expected sequence number.
            if fwd.next_seq != 0 && seq_gt(seq, fwd.next_seq) && !flags.rst() {
                a.flags.set(Flag::LostSegment);
            }
            // KEEP-ALIVE: 0 or 1 byte, one before the next expected sequence number.
            if (len == 0 || len == 1) && seq == fwd.next_seq.wrapping_sub(1) && !syn_fin_rst {
                a.flags.set(Flag::KeepAlive);
            }
            // WINDOW UPDATE: nothing new but the window.
            if len == 0
                && window != 0
                && window != fwd.window
                && seq == fwd.next_seq
                && ack == fwd.last_ack
                && !syn_fin_rst
            {
                a.flags.set(Flag::WindowUpdate);
            }
            // WINDOW FULL: the data reaches the edge of the receiver's window.
            if len > 0 && rev.scale != WindowScale::Unknown && !syn_fin_rst {
                let edge = u64::from(rev.last_ack).wrapping_add(rev.window) & 0xffff_ffff;
                if u64::from(seq.wrapping_add(len)) == edge {
                    a.flags.set(Flag::WindowFull);
                }
            }
            let same_ack = len == 0 && seq == fwd.next_seq && !syn_fin_rst;
            // KEEP-ALIVE ACK: repeats the last ACK right after the peer's keep-alive.
            if same_ack
                && window != 0
                && window == fwd.window
                && ack == fwd.last_ack
                && rev.last_segment_flags.has(Flag::KeepAlive)
            {
                a.flags.set(Flag::KeepAliveAck);
                break 'fwd;
            }
            // ZERO WINDOW PROBE ACK: still zero after the peer's probe.
            if same_ack
                && window == 0
                && window == fwd.window
                && (ack == fwd.last_ack || ack == fwd.last_ack.wrapping_add(1))
                && rev.last_segment_flags.has(Flag::ZeroWindowProbe)
            {
                a.flags.set(Flag::ZeroWindowProbeAck);
                if ack == fwd.last_ack.wrapping_add(1) {
                    // The receiver took the probe's byte after all.
                    self.dirs[r].next_seq = ack;
                    self.dirs[r].max_seq_to_be_acked = ack;
                }
                break 'fwd;
            }
            // DUPLICATE ACK: same window, sequence and acknowledgement, no data.
            if same_ack && window != 0 && window == fwd.window && ack == fwd.last_ack {
                // The first duplicate after an ACKed-unseen mark counts as #1.
                let d = &mut self.dirs[f].dup_ack_num;
                *d = if *d == ACK_UNSEEN_MARK { 1 } else { *d + 1 };
                a.flags.set(Flag::DuplicateAck);
                a.dup_ack_num = self.dirs[f].dup_ack_num;
                a.dup_ack_frame = fwd.last_non_dup_ack;
            }
        }
        if !a.flags.has(Flag::DuplicateAck) {
            // The frame a duplicate ACK repeats is where this acknowledgement number first
            // appeared (tshark 4.0: data segments carrying the same ACK do not count).
            // Likewise the count of duplicates restarts only with a new acknowledgement.
            if ack != fwd.last_ack {
                self.dirs[f].last_non_dup_ack = s.frame;
                self.dirs[f].dup_ack_num = 0;
            }
        }

        // ACKED UNSEEN SEGMENT: acknowledges beyond what the other side was seen to send.
        // tshark 4.0 flags it when the other side has since sent beyond the last point
        // acknowledged ("max seq to be acked", which then jumps to its next sequence
        // number); otherwise only once per stall: the other side's duplicate-ACK counter
        // is set to -1 (as an unsigned 32-bit number) and the flag waits until that side
        // sends a new acknowledgement number, which resets the counter to 0.
        let rev = self.dirs[r];
        if rev.max_seq_to_be_acked != 0 && seq_gt(ack, rev.max_seq_to_be_acked) && flags.ack() {
            if seq_gt(rev.next_seq, rev.max_seq_to_be_acked) {
                self.dirs[r].max_seq_to_be_acked = rev.next_seq;
                a.flags.set(Flag::AckLostSegment);
            } else {
                if rev.dup_ack_num == 0 {
                    a.flags.set(Flag::AckLostSegment);
                }
                self.dirs[r].dup_ack_num = ACK_UNSEEN_MARK;
            }
        }

        // RETRANSMISSION / FAST RETRANSMISSION / SPURIOUS / OUT-OF-ORDER.
        let fwd = self.dirs[f];
        let rev = self.dirs[r];
        if (len > 0 || flags.syn() || flags.fin()) && !a.flags.has(Flag::KeepAlive) {
            let mut not_advanced = fwd.next_seq != 0 && seq_lt(seq, fwd.next_seq);
            // More than one byte right after a possible zero-window probe adds new data.
            if len > 1 && fwd.next_seq.wrapping_sub(1) == seq {
                not_advanced = false;
            }
            // tshark subtracts the times as unsigned 64-bit nanoseconds: a frame stamped
            // before the reference (two interfaces written one after the other) is
            // "very late", never within a threshold.
            let unsigned = |t: f64| if t < 0.0 { f64::INFINITY } else { t };
            let since_ack = unsigned(s.ts.seconds_since(rev.last_ack_time));
            let since_next = unsigned(s.ts.seconds_since(fwd.next_seq_time));
            let ooo_threshold = self.first_rtt.filter(|&t| t > 0.0).unwrap_or(0.003);
            let original = self.sent[f].frame_of(seq);
            if len > 0 && rev.last_ack != 0 && !seq_gt(seq.wrapping_add(len), rev.last_ack) {
                a.flags.set(Flag::SpuriousRetransmission);
                a.flags.set(Flag::Retransmission);
            } else if not_advanced
                && rev.dup_ack_num >= 2
                && rev.last_ack == seq
                && since_ack < 0.020
            {
                a.flags.set(Flag::FastRetransmission);
                a.flags.set(Flag::Retransmission);
            } else if not_advanced
                && since_next < ooo_threshold
                // Wireshark's out-of-order test (packet-tcp.c) counts a SYN and a FIN
                // together as one, unlike the sequence space (`sequence_space`); kept as
                // it is, to flag exactly what tshark flags.
                && fwd.next_seq
                    != seq
                        .wrapping_add(len)
                        .wrapping_add(u32::from(flags.syn() || flags.fin()))
            {
                a.flags.set(Flag::OutOfOrder);
            } else if not_advanced {
                a.flags.set(Flag::Retransmission);
                a.retransmits_frame = fwd.next_seq_frame;
            }
            if a.flags.has(Flag::Retransmission)
                && let Some(frame) = original
            {
                a.retransmits_frame = frame;
            }
        }

        // Remember the highest sequence seen, unless this was a zero-window probe.
        let mut next = seq.wrapping_add(len);
        if flags.syn() || flags.fin() {
            next = next.wrapping_add(1);
        }
        let probe = a.flags.has(Flag::ZeroWindowProbe);
        if len > 0 && !probe && (seq_gt(next, self.dirs[f].next_seq) || self.dirs[f].next_seq == 0)
        {
            // Only the bytes beyond what was sent before are this frame's first transmission.
            let previous = self.dirs[f].next_seq;
            let start = if previous != 0 && seq_lt(seq, previous) {
                previous
            } else {
                seq
            };
            if !self.forget_originals {
                self.sent[f].record(start, next, s.frame);
            }
        }
        let d = &mut self.dirs[f];
        if (seq_gt(next, d.next_seq) || d.next_seq == 0) && !probe {
            d.next_seq = next;
            d.next_seq_frame = s.frame;
            d.next_seq_time = s.ts;
        }
        // A bare SYN starts the sender's sequence space again, whatever came before it
        // (tshark 4.0: after a RST with a wild sequence number, the data behind a re-sent
        // SYN is not a retransmission). A SYN+ACK does not, nor does a SYN that is itself
        // a retransmission with no RST before it: a capture on two interfaces at once
        // holds every packet twice, and tshark marks every second copy — the SYN and the
        // data after it alike — as a retransmission.
        if flags.control() == Control::Syn && (!a.flags.has(Flag::Retransmission) || d.sent_rst) {
            d.next_seq = next;
            d.next_seq_frame = s.frame;
            d.next_seq_time = s.ts;
        }
        if (seq == d.max_seq_to_be_acked || d.max_seq_to_be_acked == 0) && !probe {
            d.max_seq_to_be_acked = d.next_seq;
        }
        if flags.rst() {
            d.sent_rst = true;
        } else if flags.syn() {
            d.sent_rst = false;
        }
        d.window = window;
        d.last_ack = ack;
        d.last_ack_time = s.ts;
        d.last_segment_flags = a.flags;
        a
    }
}
