//! English.

use super::{CloseStep, Noticed, Number, Resent, Role, Texts};
use crate::flow::{Cause, ConnState, Flag, TcpState};

pub struct English;

impl Texts for English {
    fn role(&self, role: Role) -> &'static str {
        match role {
            Role::Client => "client",
            Role::Server => "server",
            Role::A => "A",
            Role::B => "B",
        }
    }
    fn finish(&self, text: String) -> String {
        no_article_before_letter_roles(text)
    }
    fn lane_role(&self, role: Role) -> &'static str {
        match role {
            Role::Client => "CLIENT",
            Role::Server => "SERVER",
            Role::A => "A",
            Role::B => "B",
        }
    }
    fn state(&self, state: TcpState) -> String {
        state.rfc_name().to_string()
    }
    fn assumed(&self) -> &'static str {
        "(assumed)"
    }
    fn cause(&self, cause: Cause) -> &'static str {
        match cause {
            Cause::SentSyn => "sent SYN",
            Cause::ReceivedSyn => "received SYN",
            Cause::SentSynAck => "sent SYN, ACK",
            Cause::ReceivedSynAck => "received SYN, ACK",
            Cause::ReceivedAckOfSyn => "its SYN was acknowledged",
            Cause::SentFin => "sent FIN",
            Cause::ReceivedFin => "received FIN",
            Cause::ReceivedAckOfFin => "its FIN was acknowledged",
            Cause::SentRst => "sent RST",
            Cause::ReceivedRst => "received RST",
        }
    }

    fn conn_state(&self, state: ConnState) -> &'static str {
        match state {
            ConnState::S0 => "connection attempt seen, no reply",
            ConnState::S1 => "established, not terminated",
            ConnState::SF => "opened and closed normally",
            ConnState::REJ => "connection attempt rejected (RST)",
            ConnState::S2 => "established; the originator closed, the responder did not",
            ConnState::S3 => "established; the responder closed, the originator did not",
            ConnState::RSTO => "established, then the originator aborted (sent a RST)",
            ConnState::RSTR => "the responder sent a RST",
            ConnState::RSTOS0 => "originator sent a SYN then a RST; no SYN+ACK seen",
            ConnState::RSTRH => "responder sent a SYN+ACK then a RST; no SYN seen",
            ConnState::SH => "originator sent a SYN then a FIN; no SYN+ACK seen (half-open)",
            ConnState::SHR => "responder sent a SYN+ACK then a FIN; no SYN seen",
            ConnState::OTH => "no SYN seen: midstream traffic",
        }
    }

    fn connection_title(&self, stream: u32, left: &str, right: &str) -> String {
        format!("Connection {stream}: {left} ⇄ {right}")
    }
    fn no_connection(&self, stream: u32) -> String {
        format!("No connection {stream}")
    }
    fn states_note(&self) -> &'static str {
        "States are inferred from the segments seen at the capture point, assuming each was sent and received at the moment it was captured: an endpoint far from the capture point changes state a little earlier or later than drawn."
    }
    fn note_roles_unknown(&self) -> &'static str {
        "No SYN or SYN+ACK captured: who is client and who is server is unknown (A sent the first captured packet)."
    }
    fn note_mid_connection(&self) -> &'static str {
        "The capture starts mid-connection: both sides are assumed ESTABLISHED at the top."
    }
    fn collapsed(
        &self,
        data: &str,
        acks: &str,
        bytes: &str,
        duration: &str,
        first_frame: u64,
        last_frame: u64,
    ) -> String {
        let acks = match acks {
            "0" => String::new(),
            "1" => " and 1 ACK".to_string(),
            n => format!(" and {n} ACKs"),
        };
        let segments = if data == "1" { "segment" } else { "segments" };
        format!(
            "… {data} data {segments}{acks}, {bytes} in {duration} (frames {first_frame}–{last_frame}) …"
        )
    }

    fn band_three_way(&self) -> String {
        "Three-way handshake".into()
    }
    fn band_simultaneous_open(&self) -> String {
        "Simultaneous open — both sides sent SYN".into()
    }
    fn band_refused(&self) -> String {
        "Connection refused (RST)".into()
    }
    fn band_no_answer(&self, syns: u32) -> String {
        match syns {
            1 => "No answer — SYN sent once".to_string(),
            _ => format!("No answer — SYN sent {syns} times"),
        }
    }
    fn band_incomplete(&self) -> String {
        "Incomplete handshake".into()
    }
    fn band_already_open(&self) -> String {
        "Already open".into()
    }
    fn band_data(
        &self,
        client: &str,
        server: &str,
        client_bytes: &str,
        server_bytes: &str,
    ) -> String {
        format!(
            "Data transfer — {client} → {server}: {client_bytes}, {server} → {client}: {server_bytes}"
        )
    }
    fn band_four_way(&self, active: &str) -> String {
        format!("Four-way teardown — {active} closed first")
    }
    fn band_three_segment(&self, active: &str) -> String {
        format!("Three-segment close (FIN, FIN+ACK, ACK) — {active} closed first")
    }
    fn band_simultaneous_close(&self) -> String {
        "Simultaneous close — both FINs crossed".into()
    }
    fn band_half_close(&self, active: &str, passive: &str) -> String {
        format!("Half-close — {active} closed first, {passive} kept sending")
    }
    fn band_reset(&self, by: &str) -> String {
        format!("Reset — {by} aborted the connection (RST)")
    }
    fn band_half_closed_at_end(&self, passive: &str, state: &str) -> String {
        format!("Half-closed: {passive} still in {state} at end of capture")
    }
    fn band_still_open(&self) -> String {
        "Still open at end of capture".into()
    }

    fn flag_title(&self, flag: Flag) -> &'static str {
        match flag {
            Flag::Retransmission => "Retransmission",
            Flag::FastRetransmission => "Fast retransmission",
            Flag::SpuriousRetransmission => "Spurious retransmission",
            Flag::OutOfOrder => "Out-of-order",
            Flag::LostSegment => "Previous segment not captured",
            Flag::AckLostSegment => "ACKed unseen segment",
            Flag::DuplicateAck => "Duplicate ACK",
            Flag::ZeroWindow => "Zero window",
            Flag::ZeroWindowProbe => "Zero window probe",
            Flag::ZeroWindowProbeAck => "Zero window probe ACK",
            Flag::WindowFull => "Window full",
            Flag::WindowUpdate => "Window update",
            Flag::KeepAlive => "Keep-alive",
            Flag::KeepAliveAck => "Keep-alive ACK",
            Flag::ReusedPorts => "Ports reused",
        }
    }
    fn flag_meaning(&self, flag: Flag) -> &'static str {
        match flag {
            Flag::Retransmission => {
                "This segment repeats sequence numbers already sent (data, a SYN or a FIN): no acknowledgement came in time, so the sender sent them again."
            }
            Flag::FastRetransmission => {
                "Sent again right after duplicate ACKs asked for exactly these bytes, without waiting for the retransmission timer (fast retransmit, RFC 5681)."
            }
            Flag::SpuriousRetransmission => {
                "Sent again although the receiver had already acknowledged these bytes: the retransmission was unnecessary."
            }
            Flag::OutOfOrder => {
                "Arrived after segments with higher sequence numbers, too soon after them to be a retransmission: the network reordered them."
            }
            Flag::LostSegment => {
                "There is a gap before this segment: some bytes were sent but never seen at the capture point (lost, or not captured)."
            }
            Flag::AckLostSegment => {
                "This acknowledges bytes the capture never saw being sent: they passed the capture point unseen."
            }
            Flag::DuplicateAck => {
                "The same acknowledgement again, with nothing new: the receiver is still waiting for the same byte, usually because a segment is missing."
            }
            Flag::ZeroWindow => {
                "The receiver advertises a window of 0: its buffer is full and the sender must stop."
            }
            Flag::ZeroWindowProbe => {
                "A probe sent into a zero window to ask whether it has opened again: one new byte (Windows, RFC 9293). Linux probes with SND.NXT − 1 and no data, which Wireshark labels a keep-alive."
            }
            Flag::ZeroWindowProbeAck => {
                "The receiver answers a zero-window probe: the window is still closed."
            }
            Flag::WindowFull => {
                "This segment fills the receiver's advertised window exactly: the sender must now wait for an acknowledgement."
            }
            Flag::WindowUpdate => {
                "Nothing new acknowledged, only a different window: the receiver tells the sender how much it may send now (Wireshark flags any change of a non-zero window, not only a larger one)."
            }
            Flag::KeepAlive => {
                "A keep-alive: sequence number one below the next byte (SND.NXT − 1) with 0 or 1 byte, so the peer must answer with an ACK; sent on an idle connection to check the peer is still there."
            }
            Flag::KeepAliveAck => "The answer to a keep-alive: the peer is still there.",
            Flag::ReusedPorts => {
                "A new connection on an address/port pair that an earlier connection used."
            }
        }
    }
    fn mark_duplicate_ack(&self, number: u32, frame: u64) -> String {
        format!("Duplicate ACK #{number} of frame {frame}")
    }
    fn mark_retransmission(&self, kind: &str, frame: u64) -> String {
        format!("{kind} of frame {frame}")
    }

    fn explain_refused(&self, me: &str, peer: &str, port: u16, with_ack: bool) -> String {
        format!(
            "The {me} refuses the connection: nothing accepts connections on port {port}, so its TCP answers the SYN with a reset (RST{}). The {peer}'s connect() fails with \"connection refused\".",
            if with_ack { ", ACK" } else { "" }
        )
    }
    fn explain_reset(&self, me: &str, peer: &str) -> String {
        format!(
            "The {me} resets the connection (RST): it is aborted at once, without a teardown, and data not yet delivered is lost. The {me} is shown CLOSED as it sends the RST (an ABORT, RFC 9293 §3.10.5; Linux does the same), the {peer} as it receives it (§3.10.7.4)."
        )
    }
    fn explain_syn_again(&self, me: &str, isn: u32) -> String {
        format!(
            "The {me} sends its SYN again with the same ISN ({isn}): no SYN+ACK came back in time, so TCP retransmits it, waiting about twice as long each time (exponential backoff)."
        )
    }
    fn explain_syn(&self, me: &str, isn: u32, simultaneous: bool) -> String {
        let step = if simultaneous {
            "Simultaneous open: the"
        } else {
            "Step 1 of the three-way handshake: the"
        };
        format!(
            "{step} {me} asks to open a connection (SYN) and announces its initial sequence number (ISN), {isn}. Relative numbers count from this ISN, so this SYN is seq 0 and the first data byte will be seq 1."
        )
    }
    fn explain_syn_ack_unseen(&self, me: &str, ack: Number, isn: u32) -> String {
        format!(
            "The {me} answers a SYN that was not captured (SYN, ACK): ack {}, the next sequence number it expects, and its own ISN, {isn}.",
            raw_with_relative(ack)
        )
    }
    fn explain_syn_ack_simultaneous(
        &self,
        me: &str,
        peer: &str,
        acked: Number,
        isn: u32,
    ) -> String {
        format!(
            "Simultaneous open: the {me} acknowledges the {peer}'s SYN (ack = ISN + 1 = {}, the next sequence number it expects) and repeats its own SYN with the same ISN, {isn}.",
            raw_with_relative(acked)
        )
    }
    fn explain_syn_ack(&self, me: &str, peer: &str, acked: Number, isn: u32) -> String {
        format!(
            "Step 2 of the three-way handshake: the {me} acknowledges the {peer}'s SYN (ack = ISN + 1 = {}, the next sequence number it expects) and sends its own ISN, {isn}.",
            raw_with_relative(acked)
        )
    }
    fn explain_handshake_ack(&self, me: &str, peer: &str, acked: Number) -> String {
        format!(
            "Step 3 of the three-way handshake: the {me} acknowledges the {peer}'s SYN (ack = ISN + 1 = {}, the next sequence number it expects). The connection is now open in both directions.",
            raw_with_relative(acked)
        )
    }
    fn explain_data(
        &self,
        me: &str,
        len: u32,
        (first, last): (u32, u32),
        seq: Number,
        next: Option<Number>,
    ) -> String {
        let next = match next {
            Some(next) => format!("; its next new byte is seq {next}"),
            None => String::new(),
        };
        let which = if first == last {
            format!("byte {first}")
        } else {
            format!("bytes {first} to {last}")
        };
        format!(
            "The {me} sends {len} byte{} of data: {which} of its stream (seq {seq}{next}).",
            if len == 1 { "" } else { "s" }
        )
    }
    fn explain_acks_fin(
        &self,
        (me, peer): (&str, &str),
        ack: Number,
        step: Option<(CloseStep, u8)>,
        with_fin: bool,
    ) -> String {
        let what = match step {
            Some((CloseStep::FourWay, n)) => format!("Step {n} of the four-way teardown: the {me}"),
            Some((CloseStep::ThreeSegment, n)) => {
                format!("Step {n} of a three-segment close: the {me}")
            }
            Some((CloseStep::Simultaneous, _)) => format!("Simultaneous close: the {me}"),
            Some((CloseStep::Other, _)) | None if with_fin => "It".to_string(),
            Some((CloseStep::Other, _)) | None => format!("The {me}"),
        };
        format!(
            "{what} acknowledges the {peer}'s FIN: ack {ack} is the FIN's sequence number + 1 (a FIN takes one sequence number but carries no data)."
        )
    }
    fn explain_acks_data(&self, me: &str, ack: Number) -> String {
        let n = ack.relative;
        format!(
            "The {me} acknowledges new data: ack {} means \"I have everything before byte {n}; send byte {n} next\".",
            shown_with_relative(ack)
        )
    }
    fn explain_also_acks(&self, peer: &str, ack: Number) -> String {
        format!(
            "It also acknowledges everything the {peer} sent before byte {}{}.",
            ack.relative,
            if ack.absolute {
                format!(" (ack {})", ack.raw)
            } else {
                String::new()
            }
        )
    }
    fn explain_other(&self, me: &str, flags: &str) -> String {
        format!("A segment from the {me} with flags {flags}.")
    }
    fn explain_fin_again(&self, me: &str) -> String {
        format!("The {me} sends its FIN again: it was not acknowledged in time (a retransmission).")
    }
    fn explain_first_fin(&self, me: &str, peer: &str, kind: CloseStep, fin_seq: Number) -> String {
        let what = match kind {
            CloseStep::ThreeSegment => "Step 1 of a three-segment close",
            CloseStep::Simultaneous => "Simultaneous close",
            CloseStep::FourWay => "Step 1 of the four-way teardown",
            CloseStep::Other => "Closing",
        };
        format!(
            "{what}: the {me} has no more data to send and closes its sending direction (FIN); it can still receive. The FIN takes one sequence number ({fin_seq}) but carries no data, so the {peer} will acknowledge it with {}.",
            fin_seq.plus(1)
        )
    }
    fn explain_second_fin(&self, me: &str, kind: CloseStep, fin_seq: Number) -> String {
        let what = match kind {
            CloseStep::ThreeSegment => "Step 2 of a three-segment close: the",
            CloseStep::FourWay => "Step 3 of the four-way teardown: the",
            CloseStep::Simultaneous => "Simultaneous close: the",
            CloseStep::Other => "The",
        };
        format!(
            "{what} {me} closes its own sending direction too (FIN, seq {fin_seq}), now that its application has called close()."
        )
    }
    fn explain_options(&self, parts: &[String]) -> String {
        format!("It offers {}.", parts.join(", "))
    }
    fn option_mss(&self, mss: u16) -> String {
        format!("an MSS of {mss} bytes (the largest payload it can receive in one segment)")
    }
    fn option_window_scale(&self, factor: u64) -> String {
        format!(
            "window scaling ×{factor} (used only if both sides offer it, and never applied to the window of a SYN itself)"
        )
    }
    fn option_sack(&self) -> String {
        "selective acknowledgements (SACK)".into()
    }
    fn option_timestamps(&self) -> String {
        "timestamps".into()
    }
    fn explain_state_change(&self, who: &str, chain: &str, why: &str) -> String {
        format!("{}: {chain} ({why}).", super::capitalised(who))
    }
    fn explain_then(&self) -> &'static str {
        ", then "
    }
    fn explain_end_half_closed(
        &self,
        active: &str,
        active_state: &str,
        passive: &str,
        passive_state: &str,
    ) -> String {
        format!(
            "This is the last packet captured: the {active} stays in {active_state} (it closed and waits for the peer's FIN) and the {passive} stays in {passive_state} (it has received the FIN but its application has not closed yet). This is a half-closed connection: netstat -tn (or ss -tn) run on each host now would list it in these two states."
        )
    }
    fn explain_end_still_open(&self) -> String {
        "This is the last packet captured: the connection is still open.".into()
    }
    fn explain_end_time_wait(&self, waiter: &str, other: Option<&str>) -> String {
        let who = match other {
            Some(other) => format!("Both the {waiter} and the {other} now wait"),
            None => format!("The {waiter} now waits"),
        };
        format!(
            "{who} in TIME-WAIT for twice the maximum segment lifetime (RFC 9293 sets the MSL to 2 minutes, so 4 minutes; Linux waits a fixed 60 s). TIME-WAIT has two jobs: if the last ACK was lost, the FIN comes again and can still be answered; and old duplicate segments of this connection die out before the same address/port pair is used again."
        )
    }

    fn band_never_opened(&self) -> String {
        "Never opened — no SYN was answered".into()
    }
    fn explain_end_never_opened(&self, me: &str) -> String {
        format!(
            "This is the last packet captured: no SYN was answered, so the connection never opened and is not left open at the end of the capture. The {me}'s connect() fails in the end with a timeout (Linux sends the SYN 6 more times by default and gives up after about 127 s)."
        )
    }
    fn explain_reset_stray(&self, me: &str, peer: &str) -> String {
        format!(
            "The {me} answers with a reset (RST), but it aborts nothing: the {me} no longer has this connection, and a TCP answers any segment for a connection it does not have with a RST (RFC 9293 §3.10.7.1). The {peer}'s segment was a stray."
        )
    }
    fn explain_sent_before_rst(&self, me: &str, peer: &str) -> String {
        format!(
            "The {me} sent this before the {peer}'s RST reached it: the two crossed on the way. The states are drawn as if the RST arrived when it was captured; to the {peer}, which no longer has the connection, this segment is a stray."
        )
    }
    fn explain_missed_packet(&self, me: &str, state: &str) -> String {
        format!(
            "The {me} sends a FIN although, from the packets captured, it is still in {state}, where it cannot send one (RFC 9293: a CLOSE in SYN-SENT just deletes the connection). A packet that moved it on was not captured, so its state is left as it was."
        )
    }
    fn explain_acks_nothing_new(&self, me: &str, ack: Number) -> String {
        format!(
            "The {me}'s ACK acknowledges nothing new: ack {} was acknowledged before; it still expects byte {} next.",
            shown_with_relative(ack),
            ack.relative
        )
    }
    fn explain_sack(&self, blocks: &[(Number, Number)], dsack: bool) -> String {
        let list: Vec<String> = blocks.iter().map(|(l, r)| format!("{l}–{r}")).collect();
        let mut out = format!(
            "It carries SACK block{} {}: each is a range of bytes the receiver already holds beyond the ACK (the left edge is its first byte, the right edge the byte after its last), so the sender need resend only the holes.",
            if blocks.len() == 1 { "" } else { "s" },
            list.join(", ")
        );
        if dsack {
            out.push_str(" The first block lies below the ACK: a D-SACK (RFC 2883), reporting bytes that arrived twice.");
        }
        out
    }
    fn explain_noticed(&self, me: &str, peer: &str, noticed: Noticed) -> String {
        let of = |frame: Option<u64>| frame.map(|f| format!(" of frame {f}")).unwrap_or_default();
        match noticed {
            Noticed::Retransmission { kind, of: frame, resent } => match resent {
                Resent::Data => {
                    let why = match kind {
                        Flag::FastRetransmission => format!(
                            "duplicate ACKs asked for exactly these bytes, so the {me} sends them again without waiting for its retransmission timer (fast retransmit, RFC 5681)"
                        ),
                        Flag::SpuriousRetransmission => format!(
                            "the {peer} had already acknowledged them, so this copy was not needed"
                        ),
                        _ => format!(
                            "no acknowledgement came in time, so the {me}'s retransmission timer sent them again (RFC 6298)"
                        ),
                    };
                    format!(
                        "{}{}: these sequence numbers were sent before; {why}.",
                        self.flag_title(kind),
                        of(frame)
                    )
                }
                Resent::Syn => format!(
                    "Wireshark marks this SYN a retransmission{} because it repeats the SYN's sequence number; a repeated SYN carries no data bytes.",
                    of(frame)
                ),
                Resent::SimultaneousSynAck => format!(
                    "Wireshark marks this SYN, ACK a retransmission{} because it repeats the sequence number of the {me}'s SYN. It is not a timeout: in a simultaneous open each side answers the other's SYN with a SYN, ACK that repeats its own ISN.",
                    of(frame)
                ),
                Resent::SynAck => format!(
                    "{}{}: the {me} sends its SYN, ACK again with the same sequence number (its ISN); it carries no data bytes.",
                    self.flag_title(kind),
                    of(frame)
                ),
                Resent::Fin => format!(
                    "{}{}: the {me} repeats its FIN's sequence number; a FIN carries no data.",
                    self.flag_title(kind),
                    of(frame)
                ),
            },
            Noticed::OutOfOrder => "Out of order: it arrives after segments with higher sequence numbers, too soon after them to be a retransmission; the network delivered them in a different order.".into(),
            Noticed::LostSegment => format!(
                "Previous segment not captured: there is a gap in the {me}'s sequence numbers before this segment; those bytes were lost, or passed the capture point unseen."
            ),
            Noticed::AckLostSegment => format!(
                "ACKed unseen segment: it acknowledges bytes the capture never saw the {peer} send; they passed the capture point unseen."
            ),
            Noticed::DuplicateAck { number, of, ack } => format!(
                "Duplicate ACK #{number} of frame {of}: the same ack {} again with nothing new; the {me} still waits for byte {}, usually because a segment is missing. Three duplicate ACKs make the {peer} retransmit at once (fast retransmit).",
                shown_with_relative(ack),
                ack.relative
            ),
            Noticed::ZeroWindow => format!(
                "Zero window: the {me} advertises a window of 0; its receive buffer is full, so the {peer} must stop sending new data until the window opens again."
            ),
            Noticed::ZeroWindowProbe { linux: false } => format!(
                "Zero-window probe: the {me} sends one new byte into the {peer}'s zero window to ask whether it has opened again (the one-byte form of the probe, as Windows and RFC 9293 §3.8.6.1 send it)."
            ),
            Noticed::ZeroWindowProbe { linux: true } => format!(
                "Zero-window probe: the {peer}'s window is 0, so the {me} asks whether it has opened again. It probes the way Linux does, with sequence number one below its next byte (SND.NXT − 1) and no new data; that is the shape of a keep-alive, so Wireshark calls it a keep-alive. The other form (Windows, the RFC) sends one new byte."
            ),
            Noticed::ZeroWindowProbeAck { linux } => format!(
                "The {me} answers the zero-window probe: its window is still 0.{}",
                if linux {
                    " (Wireshark took the probe for a keep-alive, so it does not call this a probe ACK.)"
                } else {
                    ""
                }
            ),
            Noticed::WindowFull => format!(
                "Window full: this segment fills the {peer}'s advertised window exactly; the {me} must now wait for an acknowledgement before it sends more."
            ),
            Noticed::WindowUpdate => format!(
                "Window update: nothing new is acknowledged, only the window changes; the {me} tells the {peer} how much it may send now (Wireshark flags any change of a non-zero window, not only a larger one)."
            ),
            Noticed::KeepAlive { seq } => format!(
                "Keep-alive: the {me} sends seq {seq}, one below its next byte (SND.NXT − 1), with 0 or 1 byte of old data, so the {peer} must answer with an ACK; on an idle connection this checks that the {peer} is still there."
            ),
            Noticed::KeepAliveAck => format!(
                "Keep-alive ACK: the {me} answers the keep-alive by acknowledging the byte it expects next: it is still there."
            ),
            Noticed::ReusedPorts => "Ports reused: an earlier connection in this capture used the same addresses and ports; this SYN, with a new ISN, starts a new connection.".into(),
        }
    }
}

/// "734888646 (relative ack 1)" in relative mode, "734888646" in absolute mode: the
/// handshake's numbers are about the raw ISN, so the raw one always shows.
fn raw_with_relative(n: Number) -> String {
    if n.absolute {
        n.raw.to_string()
    } else {
        format!("{} (relative ack {})", n.raw, n.relative)
    }
}

/// "11" in relative mode, "1632166157 (relative 11)" in absolute mode.
fn shown_with_relative(n: Number) -> String {
    if n.absolute {
        format!("{} (relative {})", n.raw, n.relative)
    } else {
        n.relative.to_string()
    }
}

/// The interface in English.
pub static UI: super::ui::UiTexts = super::ui::UiTexts {
    menu_file: "File",
    menu_view: "View",
    menu_samples: "Samples",
    menu_help: "Help",
    menu_language: "Language",
    open: "Open…",
    open_recent: "Open recent",
    no_recent: "No recent files",
    clear_recent: "Clear recent files",
    quit: "Quit",
    relative_seq: "Relative sequence numbers",
    absolute_seq: "Absolute (raw) sequence numbers",
    time_prefix: "Time: ",
    connections_panel: "Connections panel",
    details_panel: "Details panel",
    light_theme: "Light theme",
    dark_theme: "Dark theme",
    zoom_in: "Zoom in",
    zoom_out: "Zoom out",
    actual_size: "Actual size",
    samples_intro: "Teaching captures built into the app",
    opens_first: "(opens first)",
    keys: "Keys",
    key_help: super::ui::KeyHelp {
        select_previous: "previous packet",
        select_next: "next packet",
        select_first: "first packet",
        select_last: "last packet",
        toggle_absolute: "relative ⇄ absolute numbers",
        zoom_in: "zoom in",
        zoom_out: "zoom out",
        actual_size: "actual size",
        wheel_zoom: "zoom",
        open: "open a capture",
        step_mode: "step mode on / off",
        step_forward: "step mode: next packet (Space also starts it)",
        step_back: "step mode: previous packet",
        step_to_start: "step mode: back to the start",
        step_to_end: "step mode: every packet",
        presentation: "presentation mode",
        leave_presentation: "leave presentation mode",
        full_screen: "full screen",
        export: "export the ladder",
        space: "Space",
        ctrl_wheel: "Ctrl + mouse wheel",
        with_key: "{} ({})",
    },
    status_counts: |frames, packets, connections, took| {
        let plural = |n: usize, one: &str, many: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {many}")
            }
        };
        format!(
            "· {} · {} · {} · loaded in {took}",
            plural(frames as usize, "frame", "frames"),
            plural(packets, "TCP packet", "TCP packets"),
            plural(connections, "connection", "connections"),
        )
    },
    warnings: |n| {
        if n == 1 {
            "1 warning".to_string()
        } else {
            format!("{n} warnings")
        }
    },
    drop_hint: "Drop a pcap or pcapng file (optionally .gz) anywhere on the window to open it.",
    open_hint: "Open a pcap or pcapng capture",
    numbers: "Numbers:",
    relative: "Relative",
    relative_hint: "Sequence numbers counted from each side's first (ISN = 0), like Wireshark. Key A toggles.",
    absolute: "Absolute",
    absolute_hint: "The raw 32-bit numbers on the wire, like tcpdump -S. Key A toggles.",
    time: "Time:",
    time_relative: "Relative",
    time_absolute: "Time of day",
    time_delta: "Delta",
    time_relative_hint: "seconds since the first packet of the capture",
    time_absolute_hint: "wall-clock time of day",
    time_delta_hint: "seconds since the previous packet of this connection",
    collapse_runs: "Collapse runs",
    collapse_runs_hint: "Fold long runs of data segments back into one row",
    overview_name: "Overview of the whole connection: phases, marks (ticks) and the part in view. Click or drag to jump; PgUp/PgDn or Shift+wheel move a screenful",
    zoom: "Zoom:",
    connections: "Connections",
    details: "Details",
    what_this_packet_does: "What this packet does",
    note: "Note",
    header_fields: "Header fields",
    bytes: "Bytes",
    analysis_noticed: "What the TCP analysis noticed",
    marks: "Marks:",
    marks_hint: "What Wireshark's TCP analysis noticed, as coloured arrows and badges. Click a marked arrow: the details pane explains it.",
    hide_legend_hint: "Hide the legend (View > Marks legend brings it back)",
    select_in_ladder: "Select that packet in the ladder",
    step: "Step",
    first: "First",
    previous: "Previous packet",
    next: "Next packet",
    last: "Last",
    first_hint: "Back to the start (Home)",
    previous_hint: "Hide the newest packet again (←)",
    next_hint: "Reveal the next packet (→ or Space)",
    last_hint: "Reveal every packet (End)",
    nothing_yet: "Nothing sent yet.",
    starts_in: "starts in",
    press_next: "Press → or Space to send the first packet.",
    collapsed_step: "A run of data segments, shown as one row.",
    details_hint: "Click an arrow (or press ↓) to see what that packet does, its header fields and its bytes.",
    bytes_unreadable: "The frame's bytes could not be read again from the file.",
    packet_number: "Packet #",
    filter: "Filter",
    filter_hint: "Show only connections whose addresses, ports, state (SF, REJ…) or open/close kind contain every word typed here",
    clear_filter: "Clear the filter",
    sort_packets: "Pkts",
    sort_bytes: "Bytes",
    sort_time: "Time",
    sort_state: "State",
    sort_by: "Sort by ",
    no_capture_open: "No capture open.",
    no_tcp_connections: "No TCP connections in this capture.",
    no_filter_match: "No connection matches the filter.",
    nothing_to_draw: "This capture has no TCP connection to draw.",
    open_or_pick: "Open a capture (File > Open, or drop it here), or pick one from the Samples menu.",
    open_dialog_title: "Open a capture",
    captures_filter: "Captures (pcap, pcapng, cap, gz)",
    all_files: "All files",
    dismiss: "Dismiss",
    dismiss_hint: "Hide this message",
    cancelling: "Cancelling",
    loading: "Loading",
    cancel: "Cancel",
    cancel_hint: "Stop loading; the capture that is open stays open",
    status_no_capture: "No capture open. Use File > Open, drop a file here, or pick one from Samples.",
    cls_step: "Step",
    cls_step_hint: "Step mode: reveal the connection one packet at a time",
    cls_previous: "Previous packet",
    cls_next: "Next packet",
    cls_present: "Present",
    cls_present_hint: "Presentation mode for a projector: large type, high contrast, full screen",
    cls_export: "Export…",
    cls_export_hint: "Save this ladder as SVG, PNG or text",
    cls_copy_text: "Copy ladder as text",
    cls_copy_lines: "Copy tcpdump lines",
    cls_step_mode: "Step mode",
    cls_presentation: "Presentation mode",
    cls_full_screen: "Full screen",
    cls_diagram: "State diagram (RFC 9293)",
    cls_animate: "Animate arrows in step mode",
    cls_diagram_window: "TCP states (RFC 9293)",
    cls_diagram_heading: "Each endpoint's state after the selected packet",
    cls_leave_presentation: "Leave presentation",
    graphs_window: "Stream graphs",
    follow_window: "Follow stream",
    window_connection: "connection",
    legend_hover: "What the coloured arrows and badges of this connection mean",
    legend_hover_none: "Shown when the connection has analysis marks (this one has none)",
    graphs_menu_hint: "Time–sequence, throughput, round-trip time and window size of this connection",
    follow_menu_hint: "The bytes each side sent, put back together",
    marks_legend: "Marks legend",
    graphs: "Graphs",
    graphs_hint: "Stream graphs of this connection: time–sequence, throughput, round-trip time, window size",
    follow_hint: "The bytes each side sent, put back together (like Wireshark's Follow TCP Stream)",
    graph_time_sequence: "Time–sequence",
    graph_throughput: "Throughput",
    graph_round_trip: "Round-trip time",
    graph_window: "Window size",
    sd_title: "TCP states\nRFC 9293",
    sd_state: "State",
    sd_current_for: ", current for {}",
    sd_and: " and ",
    sd_after_close: "(after the connection)",
    sd_before_open: "(before the connection)",
    sd_leaves_by: "Leaves by:",
    sd_steps_at_once: " (step {} of {}, in one segment)",
    sd_end: "the end",
    role_first_carried: "the frame that first carried these bytes",
    role_repeats: "the ACK this one repeats",
    go_to_frame: "→ Go to frame",
    frame: "Frame",
    not_in_connection: "is not part of this connection.",
    hide_legend: "Hide the marks legend",
    frame_time: "frame / time",
    now: "now",
    initial_assumed: "Initial state assumed: the capture does not show how this endpoint got here.",
    initial_state_hint: "The state before the first captured packet.",
    expand_run_hint: "Click to show every segment of this run",
    filter_placeholder: "address, port, state…",
    detail_time: "time",
    pkts: "pkts",
    under_1_ms: "under 1 ms",
    not_shown: "not shown:",
    summary_heading: "Connection {} summary",
    conn_state_hint: "Zeek's conn_state: how the connection began and ended.",
    opened: "Opened:",
    closed: "Closed:",
    rtt_not_measured: "not measured (no complete handshake)",
    handshake_rtt: "Handshake RTT:",
    duration: "Duration:",
    handshake_rtt_hint: "Handshake RTT: from the client's SYN to the ACK that completes the handshake, as seen at the capture point.",
    packets_of_data: "{} packets, {} of data",
    payload_bytes: "{} bytes of TCP payload",
    first_at: "first: #",
    go_to_first: "Go to the first of the {}, frame {}",
    fast: "fast",
    spurious: "spurious",
    two_interfaces: "every packet was captured twice (on two interfaces at once): the second copies count as retransmissions",
    after_frame: "{}, after frame {}:",
    follow_client: "Client",
    follow_server: "Server",
    follow_to_server: "server",
    follow_to_client: "client",
    follow_heading: "{} {} → {}: {} bytes",
    follow_heading_missing: " ({} missing in capture)",
    follow_gap: "[{} bytes missing in capture]",
    follow_pick: "Open a capture and pick a connection to follow.",
    follow_show_as: "Show as:",
    follow_text: "Text",
    follow_text_hint: "The bytes as text; bytes that are not printable show as '.'",
    follow_hex: "Hex",
    follow_hex_hint: "Offset in the stream, bytes in hex, and the same bytes as text",
    follow_click_hint: "Click a piece to select the packet that carried it.",
    follow_no_payload: "Neither side sent any data in this connection (no payload).",
    follow_frame_one: "Frame {}",
    follow_frames: "Frames {}–{}",
    follow_piece_hint: "{}, from relative sequence number {}: click to select frame {}",
    follow_cut: "… {} more bytes not shown here (use `tcp-ladder follow` to save them all).",
    drop_to_open: "Drop to open {}",
    drop_to_open_first: "Drop to open {} (only the first file is opened)",
    other_udp: "{} UDP",
    other_icmp: "{} ICMP",
    other_other: "{} other",
    other_damaged: "{} damaged TCP",
    other_unsupported_link: "{} frames of unsupported link type {}",
    list_sep: ", ",
    progress_of: "{} of {}",
    progress_read: "{} read",
    still_open: "{} is still open.",
    none_open: "No capture is open.",
    load_cancelled: "Loading {} was cancelled.",
    could_not_open: "Could not open {}",
    no_packet_read: "The file is a capture, but not one packet in it could be read.",
    nothing_to_show: "Nothing to show in {}",
    damaged_kept: "{} is damaged: kept the {} good frames ({} TCP packets) that could be read",
    cut_short_kept: "{} was cut short by another program while it was read: kept the {} frames ({} TCP packets) read before",
    no_tcp_title: "{} has no TCP packets",
    not_decoded_title: "{}: some frames were kept but could not be decoded",
    settings_unreadable: "Your saved settings could not be read, so the defaults are used",
    about: env!("CARGO_PKG_DESCRIPTION"),
    settings_unsaved: "Your settings could not be saved; the next start will use the earlier ones",
    no_tcp_line: "{} frames, none of them TCP{}.",
    paren: " ({})",
    and_more: "… and {} more",
    the_file: "the file",
    graph_how_time_sequence: "Each vertical bar is one segment, from its first byte to its last: the steeper the staircase, the faster the data flows. Red bars are retransmissions. The ACK line follows the bars from below; the window line above it is how far the receiver lets the sender go.",
    graph_how_throughput: "How fast the data went, in bytes per second: dots over the last 10 segments, the line averaged over a sliding window.",
    graph_how_round_trip: "Time from sending a segment to the ACK that covers it, as seen where the capture was taken (captured next to the receiver, it is only the receiver's delay). Retransmitted segments are left out (Karn's rule): nobody knows which copy was acknowledged.",
    graph_how_window: "Receive window: how many more bytes the receiver can take (it says so in every ACK). Bytes in flight: sent but not yet acknowledged. When they meet, the sender has to wait.",
    graph_pick: "Open a capture and pick a connection to see its graphs.",
    graph_not_in_capture: "This connection is not in the capture.",
    graph_data_sent_by: "Data sent by:",
    graph_plot_data_hint: "Plot the data {}: {} bytes in {} packets",
    graph_average_spans: " (The moving average here spans {}.)",
    graph_zoom_hint: "{}{} Scroll to zoom around the pointer, drag to pan; double-click to see it all again.",
    graph_no_data: "No data {} in this connection: choose the other direction.",
    graph_segments: "Segments",
    graph_retransmissions: "Retransmissions",
    graph_sacks: "SACK blocks",
    graph_ack_number: "ACK number",
    graph_window_edge: "Window edge (ACK + window)",
    graph_per_segment: "Per segment (last 10)",
    graph_average: "Moving average",
    graph_rtt_point: "RTT of an ACKed segment",
    graph_receive_window: "Receive window",
    graph_in_flight: "Bytes in flight",
    graph_selected: "Selected packet",
    graph_handshake_rtt: "Handshake RTT ({})",
    graph_y_sequence: "Relative sequence number (bytes)",
    graph_y_throughput: "Throughput (bytes per second)",
    graph_y_round_trip: "Round-trip time (ms)",
    graph_y_bytes: "Bytes",
    graph_x_time: "Time since the first frame of the capture (s)",
    graph_hover_bytes: "bytes {}–{} ({} bytes)",
    graph_hover_point: "{}\nFrame {} at {} s\n{}\nClick to select it",
    graph_value_byte: "byte {}",
    graph_value_bytes: "{} bytes",
    dir_client_server: "client → server",
    dir_server_client: "server → client",
    export_dialog_title: "Export the ladder",
    export_text_filter: "Text",
    export_saved: "Saved {}",
    export_could_not_save: "Could not save {}",
    export_unknown_kind: "Say .svg, .png or .txt at the end of the file name.",
    export_too_tall: "The ladder is too long for a PNG image; export it as SVG, or collapse the long runs.",
    export_copied_ladder: "Copied the ladder as text",
    export_copied_lines: "Copied tcpdump lines",
    export_drawing: "Drawing {}…",
    export_worker_stopped: "the drawing stopped unexpectedly",
    conn_tooltip: "Connection {}\n{} {}\n{} {}\nState {}: {}\nOpened: {}\nClosed: {}",
    conn_shown: "{} of {} shown",
    window_title: "{} — tcp-ladder",
    sort_hints: [
        "Sort by stream number (order of appearance)",
        "Sort by packet count",
        "Sort by payload bytes",
        "Sort by duration",
        "Sort by connection state",
    ],
    badges: [
        "RETX",
        "FAST RETX",
        "SPURIOUS RETX",
        "OUT OF ORDER",
        "GAP BEFORE",
        "ACKS UNSEEN",
        "DUP",
        "ZERO WIN",
        "ZW PROBE",
        "ZW PROBE ACK",
        "WIN FULL",
        "WIN UPDATE",
        "KEEP-ALIVE",
        "KEEP-ALIVE ACK",
        "PORTS REUSED",
    ],
    badge_duplicate: "DUP #{}",
    first_run_hint: "To begin: drop a capture on this window, choose File › Open…, or pick one from Samples. Press Space to step through it packet by packet, F5 to present it.",
    first_run_dismiss: "Got it",
    first_run_dismiss_hint: "Hide this hint for good",
    graph_no_segments: "No data segments in this connection: there is nothing to plot.",
    more_below: "▼ more below",
    conn_final_states: "Last states: {} {} · {} {}",
};

/// The sentences are written for a client and a server ("The {me} sends …", "the {peer}'s
/// SYN"); when the roles are unknown the sides are "A" and "B", which take no article in
/// English: "A sends …", "B's SYN". Turns "The A" / "the B" (A or B a word of its own)
/// into "A" / "B".
fn no_article_before_letter_roles(text: String) -> String {
    if !text.contains("he A") && !text.contains("he B") {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("he ") {
        let article_start = at.saturating_sub(1);
        let (before, from_article) = rest.split_at(article_start);
        let starts_word = before
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let is_article = from_article.starts_with("The ") || from_article.starts_with("the ");
        let after = from_article.get(4..).unwrap_or("");
        let mut letters = after.chars();
        let role = letters.next();
        let role_is_word = letters.next().is_none_or(|c| !c.is_alphanumeric());
        if starts_word && is_article && matches!(role, Some('A' | 'B')) && role_is_word {
            out.push_str(before);
            rest = after;
        } else {
            let keep = at + 3;
            out.push_str(rest.get(..keep).unwrap_or(rest));
            rest = rest.get(keep..).unwrap_or("");
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::no_article_before_letter_roles as fix;

    #[test]
    fn letter_roles_lose_their_article_and_nothing_else_does() {
        assert_eq!(fix("The A sends 648 bytes.".into()), "A sends 648 bytes.");
        assert_eq!(
            fix("It acks the B's SYN; the A waits.".into()),
            "It acks B's SYN; A waits."
        );
        assert_eq!(fix("(the B)".into()), "(B)");
        assert_eq!(
            fix("The client acks the server.".into()),
            "The client acks the server."
        );
        assert_eq!(
            fix("the ACK, the Bytes, bathe A".into()),
            "the ACK, the Bytes, bathe A"
        );
        assert_eq!(fix("The A".into()), "A");
        assert_eq!(fix("".into()), "");
    }
}
