//! Zeek's connection history string: one letter per kind of event, upper case for the
//! originator (the client), lower case for the responder, each recorded the first time it
//! happens in that direction.
//!
//! `s` SYN · `h` SYN+ACK · `a` pure ACK · `d` data · `f` FIN · `r` RST · `q` SYN with FIN
//! or RST · `i` inconsistent flags (FIN+RST) · `t` retransmitted payload · `g` content gap
//! · `w` zero window · `^` the originator is not the first sender.

use super::key::{PerSide, Side};
use super::table::Segment;
use crate::decode::Control;

#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct History {
    /// Letters in order, with the side that sent them (case is applied at the end, when
    /// the originator is known).
    events: Vec<(Side, char)>,
    seen: PerSide<u32>,
}

impl History {
    pub(crate) fn record(&mut self, side: Side, seg: &Segment) {
        let f = seg.flags;
        if f.control() == Control::SynAck {
            self.add(side, 'h');
        } else if f.syn() {
            self.add(side, 's');
        }
        if f.syn() && (f.fin() || f.rst()) {
            self.add(side, 'q');
        }
        if f.fin() && f.rst() {
            self.add(side, 'i');
        }
        if seg.payload_len > 0 {
            self.add(side, 'd');
        } else if f.ack() && !f.syn() && !f.fin() && !f.rst() {
            self.add(side, 'a');
        }
        if f.fin() {
            self.add(side, 'f');
        }
        if f.rst() {
            self.add(side, 'r');
        }
    }

    /// Letters from the analysis: `t` retransmitted payload, `g` a gap (segment not
    /// captured), `w` a zero window.
    pub(crate) fn record_analysis(
        &mut self,
        side: Side,
        flags: super::analysis::AnalysisFlags,
        payload_len: u32,
    ) {
        use super::analysis::Flag;
        if payload_len > 0 && flags.has(Flag::Retransmission) {
            self.add(side, 't');
        }
        if flags.has(Flag::LostSegment) {
            self.add(side, 'g');
        }
        if flags.has(Flag::ZeroWindow) {
            self.add(side, 'w');
        }
    }

    fn add(&mut self, side: Side, letter: char) {
        let bit = 1u32 << (letter as u32 - 'a' as u32).min(31);
        let seen = &mut self.seen[side];
        if *seen & bit == 0 {
            *seen |= bit;
            self.events.push((side, letter));
        }
    }

    /// Whether `side` produced `letter`.
    pub fn has(&self, side: Side, letter: char) -> bool {
        self.events.iter().any(|&(s, l)| s == side && l == letter)
    }

    /// The history string with `originator` in upper case.
    pub fn render(&self, originator: Side) -> String {
        let mut out = String::new();
        if originator == Side::B {
            out.push('^');
        }
        for &(side, letter) in &self.events {
            out.push(if side == originator {
                letter.to_ascii_uppercase()
            } else {
                letter
            });
        }
        out
    }
}
