//! Predict mode's questions (issue #15): before step mode reveals a packet, one question
//! about it that the packets before it make answerable — its acknowledgement or sequence
//! number, its flags, the state its receiver enters, whether it is new data or a
//! retransmission, who resends, which side closed first, which side ends in TIME-WAIT.
//!
//! The rule of fairness, kept here once: the *answer* is computed only from the packets
//! before the one asked about (and the RFC 9293 state table); the packet itself only
//! decides *whether* a kind of question is asked, and then the question's text states
//! that premise ("the server's next segment acknowledges everything the client has sent
//! so far"), so a student who reads it and the ladder above can always work it out.
//! Where nothing can be asked fairly, [`question`] gives `None` and the packet is simply
//! revealed. Every number follows the ladder's relative/absolute mode.

use super::phases::who;
use crate::decode::Control;
use crate::flow::seq::{seq_ge, seq_gt};
use crate::flow::{Cause, Connection, Flag, Side, TcpState};
use crate::i18n::{Lang, PredictTexts, Sum};
use crate::session::{PacketRecord, Session};

/// The flag combinations offered when a question asks for a packet's flags.
pub const FLAG_CHOICES: [&str; 5] = ["SYN", "SYN, ACK", "ACK", "FIN, ACK", "RST"];

/// What a question asks about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The packet's acknowledgement number (it acknowledges everything its peer sent).
    AckNumber,
    /// The packet's sequence number (it continues right after what its sender sent).
    SeqNumber,
    /// Its flags, as [`crate::decode::TcpFlags::words`] writes them.
    Flags,
    /// The state its receiver enters when it arrives.
    StateOnArrival,
    /// New data, or a retransmission of bytes sent before.
    Retransmission,
    /// Who sends a retransmission of a given frame.
    Resender,
    /// At the second FIN: which side closed first.
    ActiveCloser,
    /// At the ACK of the last FIN: which side waits in TIME-WAIT.
    TimeWait,
}

/// Something a student can pick.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pick {
    /// One of [`FLAG_CHOICES`].
    Flags(&'static str),
    State(TcpState),
    Side(Side),
    /// Both sides.
    Both,
    NewData,
    Resent,
}

/// What counts as the answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// A number, as the ladder shows it (relative or raw).
    Number(u32),
    /// One of `choices`: `right` is its index.
    Choice { choices: Vec<Pick>, right: usize },
}

/// One question about the packet step mode reveals next.
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    /// Index into `Session::packets` of the packet asked about.
    pub packet: u32,
    /// Its frame number (as Wireshark counts).
    pub frame: u64,
    pub kind: Kind,
    /// The question, with every premise it needs.
    pub prompt: String,
    pub answer: Answer,
    /// Each choice's words (empty for a number).
    pub choice_labels: Vec<String>,
    /// How the answer follows: the arithmetic ("ISN 734888645 + SYN 1 + 10 bytes =
    /// 734888656") or the rule.
    pub why: String,
}

/// What a student gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Given {
    Number(u32),
    Choice(usize),
}

impl Question {
    /// Whether `given` is the answer.
    pub fn is_right(&self, given: &Given) -> bool {
        match (&self.answer, given) {
            (Answer::Number(n), Given::Number(g)) => n == g,
            (Answer::Choice { right, .. }, Given::Choice(g)) => right == g,
            _ => false,
        }
    }

    /// The answer in words: "734888656", "SYN, ACK", "ESTABLISHED".
    pub fn answer_text(&self) -> String {
        match &self.answer {
            Answer::Number(n) => n.to_string(),
            Answer::Choice { right, .. } => {
                self.choice_labels.get(*right).cloned().unwrap_or_default()
            }
        }
    }
}

/// The question to ask before packet `packet_index` (an index into `Session::packets`) is
/// revealed, or `None` when nothing about it can be fairly asked.
pub fn question(
    session: &Session,
    packet_index: u32,
    lang: Lang,
    absolute: bool,
) -> Option<Question> {
    let p = session.packets.get(packet_index as usize)?;
    let conn = session.connection(p.stream)?;
    let packets: Vec<&PacketRecord> = session.connection_packets(p.stream).collect();
    let before: Vec<&PacketRecord> = packets
        .iter()
        .copied()
        .take_while(|q| q.index < p.index)
        .collect();
    let asker = Asker {
        conn,
        before: &before,
        p,
        analysis: session.analysis(p),
        lang,
        absolute,
        packet: packet_index,
    };
    asker.pick()
}

/// What one side had sent before the packet asked about.
#[derive(Clone, Copy, Debug, Default)]
struct Sent {
    /// Its ISN (its first SYN's sequence number).
    isn: Option<u32>,
    /// The sequence number after the last byte, SYN or FIN it sent.
    next: Option<u32>,
    /// The sequence number of its FIN, and the index of the packet that carried it.
    fin: Option<(u32, u32)>,
    /// raw − relative in its sequence space, as the ladder numbers it.
    base: Option<u32>,
}

fn sent_by(before: &[&PacketRecord], side: Side) -> Sent {
    let mut sent = Sent::default();
    for q in before.iter().filter(|q| q.side() == side) {
        if q.flags.syn() && sent.isn.is_none() {
            sent.isn = Some(q.seq);
        }
        if q.flags.fin() && sent.fin.is_none() {
            sent.fin = Some((q.seq.wrapping_add(q.payload_len), q.index));
        }
        let end = q
            .seq
            .wrapping_add(q.payload_len)
            .wrapping_add(u32::from(q.flags.syn()))
            .wrapping_add(u32::from(q.flags.fin()));
        if sent.next.is_none_or(|n| seq_gt(end, n)) {
            sent.next = Some(end);
        }
        sent.base.get_or_insert(q.seq.wrapping_sub(q.rel_seq));
    }
    sent
}

/// RFC 9293's state table for one received segment: where an endpoint in `from` goes
/// when `event` reaches it (`None`: the RFC does not say one state for it here — a RST in
/// SYN-RECEIVED goes back to LISTEN or to CLOSED depending on how it opened).
pub fn rfc_state_after(from: TcpState, event: Cause) -> Option<TcpState> {
    use TcpState::*;
    match (from, event) {
        // 3.10.7.2: a SYN in LISTEN.
        (Listen, Cause::ReceivedSyn) => Some(SynReceived),
        // 3.10.7.3: a SYN alone in SYN-SENT (simultaneous open).
        (SynSent, Cause::ReceivedSyn) => Some(SynReceived),
        (SynSent, Cause::ReceivedSynAck) => Some(Established),
        (SynReceived, Cause::ReceivedAckOfSyn) => Some(Established),
        // 3.10.7.4, eighth step: a FIN.
        (Established, Cause::ReceivedFin) => Some(CloseWait),
        (FinWait1, Cause::ReceivedFin) => Some(Closing),
        (FinWait2, Cause::ReceivedFin) => Some(TimeWait),
        // Fifth step: the ACK of our FIN.
        (FinWait1, Cause::ReceivedAckOfFin) => Some(FinWait2),
        (Closing, Cause::ReceivedAckOfFin) => Some(TimeWait),
        (LastAck, Cause::ReceivedAckOfFin) => Some(Closed),
        (SynReceived, Cause::ReceivedRst) => None,
        (SynSent | Established | FinWait1 | FinWait2 | CloseWait, Cause::ReceivedRst) => {
            Some(Closed)
        }
        _ => None,
    }
}

struct Asker<'a> {
    conn: &'a Connection,
    before: &'a [&'a PacketRecord],
    p: &'a PacketRecord,
    /// The packet's whole analysis (the frame a retransmission resends).
    analysis: crate::flow::Analysis,
    lang: Lang,
    absolute: bool,
    packet: u32,
}

impl Asker<'_> {
    fn w(&self) -> &'static PredictTexts {
        self.lang.predict()
    }

    fn who(&self, side: Side) -> &'static str {
        who(self.conn, side, self.lang.texts())
    }

    /// One question: the rare teardown and resend questions when they can be asked,
    /// otherwise the kinds that can be asked in turn, packet by packet.
    fn pick(&self) -> Option<Question> {
        if let Some(q) = self
            .time_wait()
            .or_else(|| self.active_closer())
            .or_else(|| self.resender())
        {
            return Some(q);
        }
        let mut eligible: Vec<Question> = [
            self.ack_number(),
            self.seq_number(),
            self.flags(),
            self.state_on_arrival(),
            self.retransmission(),
        ]
        .into_iter()
        .flatten()
        .collect();
        if eligible.is_empty() {
            return None;
        }
        let at = self.p.index as usize % eligible.len();
        Some(eligible.swap_remove(at))
    }

    fn ask(&self, kind: Kind, prompt: String, answer: Answer, why: String) -> Question {
        let choice_labels = match &answer {
            Answer::Number(_) => Vec::new(),
            Answer::Choice { choices, .. } => choices.iter().map(|c| self.label(*c)).collect(),
        };
        let t = self.lang.texts();
        Question {
            packet: self.packet,
            frame: self.p.frame(),
            kind,
            prompt: t.finish(prompt),
            answer,
            choice_labels,
            why: t.finish(why),
        }
    }

    fn label(&self, pick: Pick) -> String {
        let w = self.w();
        match pick {
            Pick::Flags(words) => words.to_string(),
            Pick::State(state) => state.rfc_name().to_string(),
            Pick::Side(side) => crate::i18n::capitalised(self.who(side)),
            Pick::Both => w.both.to_string(),
            Pick::NewData => w.new_data.to_string(),
            Pick::Resent => w.retransmission.to_string(),
        }
    }

    /// A number in the ladder's mode, and the sum that gives it.
    fn sum(&self, sent: &Sent, next: u32) -> Option<(u32, String)> {
        let isn = sent.isn?;
        let base = sent.base?;
        let fin = sent.fin.is_some();
        let bytes = next
            .wrapping_sub(isn)
            .wrapping_sub(1)
            .wrapping_sub(u32::from(fin));
        let shown = |raw: u32| {
            if self.absolute {
                raw
            } else {
                raw.wrapping_sub(base)
            }
        };
        let sum = Sum {
            isn: shown(isn),
            relative: !self.absolute,
            bytes,
            fin,
            total: shown(next),
        };
        Some((shown(next), (self.w().sum)(&sum)))
    }

    /// "The server's next segment acknowledges everything the client has sent so far."
    fn ack_number(&self) -> Option<Question> {
        let p = self.p;
        let peer = sent_by(self.before, p.side().other());
        if !p.flags.ack() || peer.next != Some(p.ack) {
            return None;
        }
        let (answer, sum) = self.sum(&peer, peer.next?)?;
        let prompt = (self.w().ask_ack)(self.who(p.side()), self.who(p.side().other()));
        Some(self.ask(Kind::AckNumber, prompt, Answer::Number(answer), sum))
    }

    /// "The client's next segment continues right after everything it has sent."
    fn seq_number(&self) -> Option<Question> {
        let p = self.p;
        let own = sent_by(self.before, p.side());
        if p.flags.syn() || own.next != Some(p.seq) {
            return None;
        }
        let (answer, sum) = self.sum(&own, own.next?)?;
        let prompt = (self.w().ask_seq)(self.who(p.side()));
        Some(self.ask(Kind::SeqNumber, prompt, Answer::Number(answer), sum))
    }

    fn flags(&self) -> Option<Question> {
        let p = self.p;
        let w = self.w();
        let (me, peer) = (self.who(p.side()), self.who(p.side().other()));
        let mine = sent_by(self.before, p.side());
        let theirs = sent_by(self.before, p.side().other());
        let words = p.flags.words();
        let (prompt, answer, why) = if p.flags.control() == Control::SynAck {
            // The answer to a SYN: only before this side sent a SYN of its own.
            if theirs.isn.is_none() || mine.isn.is_some() || words != "SYN, ACK" {
                return None;
            }
            (
                (w.ask_flags_syn_ack)(me, peer),
                "SYN, ACK",
                w.why_flags_syn_ack,
            )
        } else if self.completes_handshake() {
            if words != "ACK" || p.payload_len > 0 {
                return None;
            }
            (
                (w.ask_flags_handshake_ack)(me, peer),
                "ACK",
                w.why_flags_ack,
            )
        } else if p.flags.fin() {
            if words != "FIN, ACK" || p.payload_len > 0 || mine.fin.is_some() {
                return None;
            }
            (
                (w.ask_flags_fin)(me, peer, theirs.fin.is_some()),
                "FIN, ACK",
                w.why_flags_fin,
            )
        } else {
            return None;
        };
        let choices: Vec<Pick> = FLAG_CHOICES.iter().map(|f| Pick::Flags(f)).collect();
        let right = FLAG_CHOICES.iter().position(|f| *f == answer)?;
        Some(self.ask(
            Kind::Flags,
            prompt,
            Answer::Choice { choices, right },
            why.to_string(),
        ))
    }

    /// This packet is the ACK that completes the handshake (it brings its receiver from
    /// SYN-RECEIVED to ESTABLISHED).
    fn completes_handshake(&self) -> bool {
        self.conn.transitions().iter().any(|t| {
            t.packet == self.p.index
                && t.side == self.p.side().other()
                && t.cause == Cause::ReceivedAckOfSyn
        })
    }

    /// The receiver's state just before this packet.
    fn state_before(&self, side: Side) -> TcpState {
        self.conn
            .transitions()
            .iter()
            .rev()
            .find(|t| t.side == side && t.packet < self.p.index)
            .map_or(self.conn.observer().initial(side), |t| t.to)
    }

    fn state_on_arrival(&self) -> Option<Question> {
        let p = self.p;
        let receiver = p.side().other();
        let changes: Vec<_> = self
            .conn
            .transitions()
            .iter()
            .filter(|t| t.packet == p.index && t.side == receiver)
            .collect();
        let [change] = changes.as_slice() else {
            return None;
        };
        // Only a state change on receipt is asked about.
        let event = change.cause;
        if !event.is_receipt() {
            return None;
        }
        // The state a student sees on the lane (never an assumed one).
        let from = self.state_before(receiver);
        let assumed = !self
            .conn
            .transitions()
            .iter()
            .any(|t| t.side == receiver && t.packet < p.index)
            && self.conn.observer().initial(receiver) != TcpState::Listen
            && self.conn.observer().initial(receiver) != TcpState::Closed;
        if assumed || change.from != from {
            return None;
        }
        let to = rfc_state_after(from, event)?;
        if to != change.to {
            return None;
        }
        // The right state, the state it is in, and the nearest others, in RFC order.
        let mut picks = vec![to, from];
        for s in [
            TcpState::Established,
            TcpState::TimeWait,
            TcpState::CloseWait,
            TcpState::FinWait2,
            TcpState::Closed,
            TcpState::SynReceived,
        ] {
            if picks.len() < 4 && !picks.contains(&s) {
                picks.push(s);
            }
        }
        // The RFC 9293 states in the order of its figure (`TcpState::ALL`).
        let choices: Vec<Pick> = TcpState::ALL
            .iter()
            .filter(|s| picks.contains(s))
            .map(|s| Pick::State(*s))
            .collect();
        let right = choices.iter().position(|c| *c == Pick::State(to))?;
        let w = self.w();
        let prompt = (w.ask_state)(
            self.who(receiver),
            self.who(p.side()),
            event,
            from.rfc_name(),
        );
        let why = (w.why_state)(from.rfc_name(), event, to.rfc_name());
        Some(self.ask(
            Kind::StateOnArrival,
            prompt,
            Answer::Choice { choices, right },
            why,
        ))
    }

    /// New data or a retransmission: asked when the segment either starts at its
    /// sender's next new byte or repeats an earlier segment exactly.
    fn retransmission(&self) -> Option<Question> {
        let p = self.p;
        if p.payload_len < 2 || p.flags.control() != Control::None {
            return None;
        }
        let own = sent_by(self.before, p.side());
        let next = own.next?;
        let earlier = self.before.iter().find(|q| {
            q.side() == p.side()
                && q.seq == p.seq
                && q.payload_len == p.payload_len
                && !q.flags.syn()
        });
        let w = self.w();
        let (right_pick, why) = match earlier {
            Some(q) => (Pick::Resent, (w.why_resent)(q.frame())),
            None if p.seq == next => {
                let shown = if self.absolute {
                    next
                } else {
                    next.wrapping_sub(own.base?)
                };
                (Pick::NewData, (w.why_new_data)(self.who(p.side()), shown))
            }
            None => return None,
        };
        let seq = if self.absolute { p.seq } else { p.rel_seq };
        let choices = vec![Pick::NewData, Pick::Resent];
        let right = choices.iter().position(|c| *c == right_pick)?;
        let prompt = (w.ask_resent)(self.who(p.side()), p.payload_len, seq);
        Some(self.ask(
            Kind::Retransmission,
            prompt,
            Answer::Choice { choices, right },
            why,
        ))
    }

    /// "The next packet is a retransmission of frame 14. Who sends it?"
    fn resender(&self) -> Option<Question> {
        let a = &self.analysis;
        let resent = [
            Flag::Retransmission,
            Flag::FastRetransmission,
            Flag::SpuriousRetransmission,
        ]
        .into_iter()
        .any(|f| a.flags.has(f));
        if !resent || a.retransmits_frame == 0 {
            return None;
        }
        let original = self
            .before
            .iter()
            .find(|q| q.frame() == a.retransmits_frame)?;
        let choices = self.sides();
        let right = choices
            .iter()
            .position(|c| *c == Pick::Side(original.side()))?;
        let w = self.w();
        Some(self.ask(
            Kind::Resender,
            (w.ask_resender)(original.frame()),
            Answer::Choice { choices, right },
            (w.why_resender)(self.who(original.side()), original.frame()),
        ))
    }

    /// Client first, then server.
    fn sides(&self) -> Vec<Pick> {
        vec![
            Pick::Side(self.conn.client()),
            Pick::Side(self.conn.server()),
        ]
    }

    fn reset_before(&self) -> bool {
        self.before.iter().any(|q| q.flags.rst())
    }

    /// At the second side's FIN, sent after the first FIN reached it.
    fn active_closer(&self) -> Option<Question> {
        let p = self.p;
        if !p.flags.fin() || !p.flags.ack() || self.reset_before() {
            return None;
        }
        let mine = sent_by(self.before, p.side());
        let (their_fin, fin_packet) = sent_by(self.before, p.side().other()).fin?;
        if mine.fin.is_some() || !seq_ge(p.ack, their_fin.wrapping_add(1)) {
            return None;
        }
        let closer = self.before.iter().find(|q| q.index == fin_packet)?.side();
        let choices = self.sides();
        let right = choices.iter().position(|c| *c == Pick::Side(closer))?;
        let w = self.w();
        let frame = self.before.iter().find(|q| q.index == fin_packet)?.frame();
        Some(self.ask(
            Kind::ActiveCloser,
            w.ask_active_closer.to_string(),
            Answer::Choice { choices, right },
            (w.why_active_closer)(self.who(closer), frame),
        ))
    }

    /// At the packet after which both FINs are acknowledged (both sent before it).
    fn time_wait(&self) -> Option<Question> {
        let p = self.p;
        if !p.flags.ack() || p.flags.fin() || p.flags.rst() || self.reset_before() {
            return None;
        }
        let mine = sent_by(self.before, p.side());
        let theirs = sent_by(self.before, p.side().other());
        let ((my_fin, my_fin_at), (their_fin, their_fin_at)) = (mine.fin?, theirs.fin?);
        // It acknowledges the peer's FIN for the first time, and its sender's own FIN
        // was acknowledged before: after it, both FINs are acknowledged.
        if !seq_ge(p.ack, their_fin.wrapping_add(1)) {
            return None;
        }
        let acked = |side: Side, fin: u32| {
            self.before
                .iter()
                .any(|q| q.side() == side && q.flags.ack() && seq_ge(q.ack, fin.wrapping_add(1)))
        };
        if acked(p.side(), their_fin) || !acked(p.side().other(), my_fin) {
            return None;
        }
        // The second FIN either acknowledged the first (a normal close: only the side that
        // closed first waits) or crossed it (a simultaneous close: both wait).
        let (first, second) = if my_fin_at < their_fin_at {
            (my_fin_at, their_fin_at)
        } else {
            (their_fin_at, my_fin_at)
        };
        let first = self.before.iter().find(|q| q.index == first)?;
        let second = self.before.iter().find(|q| q.index == second)?;
        let first_fin = first.seq.wrapping_add(first.payload_len);
        let crossed = !(second.flags.ack() && seq_ge(second.ack, first_fin.wrapping_add(1)));
        let waits = if crossed {
            Pick::Both
        } else {
            Pick::Side(first.side())
        };
        let mut choices = self.sides();
        choices.push(Pick::Both);
        let right = choices.iter().position(|c| *c == waits)?;
        let w = self.w();
        let why = if crossed {
            w.why_time_wait_both.to_string()
        } else {
            (w.why_time_wait)(self.who(first.side()), first.frame())
        };
        Some(self.ask(
            Kind::TimeWait,
            w.ask_time_wait.to_string(),
            Answer::Choice { choices, right },
            why,
        ))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::session::LoadControl;

    fn seed() -> Session {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples")
            .join("seed-handshake-client.pcapng");
        Session::load_path(&path, &LoadControl::default()).unwrap()
    }

    #[test]
    fn the_isn_of_a_syn_is_never_asked() {
        let session = seed();
        let q = question(&session, 0, Lang::En, false).unwrap();
        assert_eq!(q.kind, Kind::StateOnArrival, "{q:?}");
    }

    #[test]
    fn a_number_question_shows_its_sum() {
        let session = seed();
        let numbers: Vec<Question> = (0..session.packets.len() as u32)
            .filter_map(|i| question(&session, i, Lang::En, true))
            .filter(|q| matches!(q.answer, Answer::Number(_)))
            .collect();
        assert!(!numbers.is_empty());
        for q in numbers {
            assert!(q.why.starts_with("ISN "), "{}", q.why);
            assert!(
                q.why.ends_with(&format!("= {}", q.answer_text())),
                "{}",
                q.why
            );
        }
    }

    #[test]
    fn rst_in_syn_received_has_no_single_answer() {
        assert_eq!(
            rfc_state_after(TcpState::SynReceived, Cause::ReceivedRst),
            None
        );
        assert_eq!(
            rfc_state_after(TcpState::FinWait2, Cause::ReceivedFin),
            Some(TcpState::TimeWait)
        );
    }
}
