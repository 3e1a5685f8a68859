//! Every user-facing sentence of the library, one table per language. A language is one
//! file implementing [`Texts`]; [`Lang::texts`] picks it. Protocol words (flag names
//! like "SYN, ACK", RFC state names like FIN-WAIT-2, option names) stay as the RFCs
//! spell them in every language, as students meet them in Wireshark and tcpdump.

mod en;
pub mod ends;
mod fields;
pub mod note_editing;
mod notes;
pub mod predict;
mod time;
mod ui;
mod zh_cn;

pub use notes::notes_in;
pub use predict::{PredictTexts, Sum};
pub use time::TimeTexts;
pub use ui::{KeyHelp, LiveTexts, UiTexts, live_texts};

use crate::flow::{Cause, ConnState, Flag, TcpState};

/// A language of the interface.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    clap::ValueEnum,
)]
pub enum Lang {
    #[default]
    #[value(name = "en")]
    En,
    #[value(name = "zh-CN")]
    ZhCn,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    /// The table of sentences for this language.
    pub fn texts(self) -> &'static dyn Texts {
        match self {
            Lang::En => &en::English,
            Lang::ZhCn => &zh_cn::SimplifiedChinese,
        }
    }

    /// The words of the two-ended ladder.
    pub fn ends(self) -> &'static ends::EndsTexts {
        match self {
            Lang::En => &ends::EN,
            Lang::ZhCn => &ends::ZH_CN,
        }
    }

    /// The words of writing packet notes (editor, Save with notes, unsaved notes).
    pub fn note_editing(self) -> &'static note_editing::NoteEditingTexts {
        match self {
            Lang::En => &note_editing::EN,
            Lang::ZhCn => &note_editing::ZH_CN,
        }
    }

    /// The words of predict mode.
    pub fn predict(self) -> &'static PredictTexts {
        match self {
            Lang::En => &predict::EN,
            Lang::ZhCn => &predict::ZH_CN,
        }
    }

    /// The words of time on the ladder.
    pub fn time(self) -> &'static TimeTexts {
        match self {
            Lang::En => &time::EN,
            Lang::ZhCn => &time::ZH_CN,
        }
    }

    /// The interface's own words (menus, toolbar, headings) in this language.
    pub fn ui(self) -> &'static UiTexts {
        match self {
            Lang::En => &en::UI,
            Lang::ZhCn => &zh_cn::UI,
        }
    }

    /// BCP 47 code: `en`, `zh-CN`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// The language's own name, for the menu: "English", "简体中文".
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhCn => "简体中文",
        }
    }
}

/// Which part an endpoint plays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Client,
    Server,
    /// Roles unknown: A sent the first captured packet.
    A,
    B,
}

/// Every sentence the library shows, in one language.
pub trait Texts: Sync {
    // --- people and states ---
    /// "client", "server", "A", "B" inside a sentence.
    fn role(&self, role: Role) -> &'static str;
    /// "CLIENT", "SERVER", "A", "B" over a lifeline.
    fn lane_role(&self, role: Role) -> &'static str;
    /// A state in a sentence: "TIME-WAIT" or "TIME-WAIT（时间等待）".
    fn state(&self, state: TcpState) -> String;
    fn assumed(&self) -> &'static str;
    fn cause(&self, cause: Cause) -> &'static str;
    /// Zeek's conn_state in plain words: "opened and closed normally".
    fn conn_state(&self, state: ConnState) -> &'static str;

    /// A bundled sample's menu title and one-line description in this language, by file
    /// name (`None`: use the English text kept beside the sample in `samples.rs`).
    fn sample(&self, _file_name: &str) -> Option<(&'static str, &'static str)> {
        None
    }
    /// The last touch on a finished text that names the sides (an explanation, a question,
    /// a timing sentence): English drops the article before a one-letter side name
    /// ("A sends", not "The A sends"), Chinese puts a space between it and a character
    /// ("A 没有", not "A没有").
    fn finish(&self, text: String) -> String {
        text
    }
    /// The same for a bundled pair of captures (one at each end), by the file name of the
    /// pair's first capture.
    fn sample_pair(&self, _first_file_name: &str) -> Option<(&'static str, &'static str)> {
        None
    }

    // --- the ladder ---
    fn connection_title(&self, stream: u32, left: &str, right: &str) -> String;
    fn no_connection(&self, stream: u32) -> String;
    fn states_note(&self) -> &'static str;
    fn note_roles_unknown(&self) -> &'static str;
    fn note_mid_connection(&self) -> &'static str;
    /// "… 617 data segments and 617 ACKs, 1.6 MB in 812 ms (frames 4–1237) …" (`acks` is
    /// "0" when the run has no ACK of its own).
    fn collapsed(
        &self,
        data: &str,
        acks: &str,
        bytes: &str,
        duration: &str,
        first_frame: u64,
        last_frame: u64,
    ) -> String;

    // --- phase bands ---
    fn band_three_way(&self) -> String;
    fn band_simultaneous_open(&self) -> String;
    fn band_refused(&self) -> String;
    fn band_no_answer(&self, syns: u32) -> String;
    fn band_incomplete(&self) -> String;
    fn band_already_open(&self) -> String;
    fn band_data(
        &self,
        client: &str,
        server: &str,
        client_bytes: &str,
        server_bytes: &str,
    ) -> String;
    fn band_four_way(&self, active: &str) -> String;
    fn band_three_segment(&self, active: &str) -> String;
    fn band_simultaneous_close(&self) -> String;
    fn band_half_close(&self, active: &str, passive: &str) -> String;
    fn band_reset(&self, by: &str) -> String;
    fn band_half_closed_at_end(&self, passive: &str, state: &str) -> String;
    fn band_still_open(&self) -> String;

    // --- analysis marks ---
    fn flag_title(&self, flag: Flag) -> &'static str;
    fn flag_meaning(&self, flag: Flag) -> &'static str;
    fn mark_duplicate_ack(&self, number: u32, frame: u64) -> String;
    /// "Fast retransmission of frame 14": `kind` is the flag's title.
    fn mark_retransmission(&self, kind: &str, frame: u64) -> String;

    // --- explanations (one sentence each; `me`/`peer` are role words) ---
    fn explain_refused(&self, me: &str, peer: &str, port: u16, with_ack: bool) -> String;
    fn explain_reset(&self, me: &str, peer: &str) -> String;
    fn explain_syn_again(&self, me: &str, isn: u32) -> String;
    fn explain_syn(&self, me: &str, isn: u32, simultaneous: bool) -> String;
    /// `ack`: the SYN, ACK's acknowledgement number; `isn`: its own (raw) ISN.
    fn explain_syn_ack_unseen(&self, me: &str, ack: Number, isn: u32) -> String;
    fn explain_syn_ack_simultaneous(&self, me: &str, peer: &str, acked: Number, isn: u32)
    -> String;
    fn explain_syn_ack(&self, me: &str, peer: &str, acked: Number, isn: u32) -> String;
    fn explain_handshake_ack(&self, me: &str, peer: &str, acked: Number) -> String;
    /// `first`..=`last`: byte positions in the sender's stream; `seq` the segment's
    /// sequence number; `next` the next new byte (None when these bytes are not new).
    fn explain_data(
        &self,
        me: &str,
        len: u32,
        bytes: (u32, u32),
        seq: Number,
        next: Option<Number>,
    ) -> String;
    /// `step`: which step of a teardown this ACK is, when it is one; `with_fin`: the
    /// segment carries its sender's own FIN too (said in the sentence before).
    fn explain_acks_fin(
        &self,
        who: (&str, &str),
        ack: Number,
        step: Option<(CloseStep, u8)>,
        with_fin: bool,
    ) -> String;
    fn explain_acks_data(&self, me: &str, ack: Number) -> String;
    fn explain_also_acks(&self, peer: &str, ack: Number) -> String;
    fn explain_other(&self, me: &str, flags: &str) -> String;
    fn explain_fin_again(&self, me: &str) -> String;
    /// `step`: which close it opens ("four-way", "three-segment", "simultaneous", other).
    fn explain_first_fin(&self, me: &str, peer: &str, kind: CloseStep, fin_seq: Number) -> String;
    fn explain_second_fin(&self, me: &str, kind: CloseStep, fin_seq: Number) -> String;
    fn explain_options(&self, parts: &[String]) -> String;
    fn option_mss(&self, mss: u16) -> String;
    fn option_window_scale(&self, factor: u64) -> String;
    fn option_sack(&self) -> String;
    fn option_timestamps(&self) -> String;
    /// "Client: CLOSED → SYN-SENT (sent SYN)."
    fn explain_state_change(&self, who: &str, chain: &str, why: &str) -> String;
    fn explain_then(&self) -> &'static str;
    fn explain_end_half_closed(
        &self,
        active: &str,
        active_state: &str,
        passive: &str,
        passive_state: &str,
    ) -> String;
    fn explain_end_still_open(&self) -> String;
    /// `other`: after a simultaneous close the other end waits in TIME-WAIT too.
    fn explain_end_time_wait(&self, waiter: &str, other: Option<&str>) -> String;

    // --- what the student must not be told wrong (issue 16): each situation its own
    // sentence, each analysis flag its own explanation ---
    /// The close band and the list's words for a connection whose SYNs were never answered.
    fn band_never_opened(&self) -> String;
    fn explain_end_never_opened(&self, me: &str) -> String;
    /// A RST from an endpoint that no longer has the connection, answering a stray segment.
    fn explain_reset_stray(&self, me: &str, peer: &str) -> String;
    /// A segment its sender sent before the peer's RST reached it (they crossed).
    fn explain_sent_before_rst(&self, me: &str, peer: &str) -> String;
    /// A segment its sender could not have sent in the state it was believed to be in.
    fn explain_missed_packet(&self, me: &str, state: &str) -> String;
    /// A pure ACK that acknowledges nothing new and carries no analysis flag saying why.
    fn explain_acks_nothing_new(&self, me: &str, ack: Number) -> String;
    /// The SACK blocks of an ACK; `dsack`: the first block lies below the ACK (RFC 2883).
    fn explain_sack(&self, blocks: &[(Number, Number)], dsack: bool) -> String;
    /// What one analysis flag says about this packet.
    fn explain_noticed(&self, me: &str, peer: &str, noticed: Noticed) -> String;
}

/// A sequence or acknowledgement number as an explanation states it: the one the ladder
/// shows (relative or raw, as the number toggle says), the other one at hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Number {
    pub relative: u32,
    pub raw: u32,
    /// The ladder shows raw numbers.
    pub absolute: bool,
}

impl Number {
    /// The number the ladder shows.
    pub fn shown(self) -> u32 {
        if self.absolute {
            self.raw
        } else {
            self.relative
        }
    }

    /// `n` sequence numbers further.
    pub fn plus(self, n: u32) -> Number {
        Number {
            relative: self.relative.wrapping_add(n),
            raw: self.raw.wrapping_add(n),
            ..self
        }
    }
}

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.shown())
    }
}

/// What a packet's analysis flag means for it, with the facts its sentence needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Noticed {
    /// `kind`: retransmission, fast or spurious; `of`: the frame first carrying it.
    Retransmission {
        kind: Flag,
        of: Option<u64>,
        resent: Resent,
    },
    OutOfOrder,
    LostSegment,
    AckLostSegment,
    DuplicateAck {
        number: u32,
        of: u64,
        ack: Number,
    },
    ZeroWindow,
    /// `linux`: the probe has the keep-alive shape (SND.NXT − 1, no new byte) that Linux
    /// sends and Wireshark flags as a keep-alive.
    ZeroWindowProbe {
        linux: bool,
    },
    ZeroWindowProbeAck {
        linux: bool,
    },
    WindowFull,
    WindowUpdate,
    KeepAlive {
        seq: Number,
    },
    KeepAliveAck,
    ReusedPorts,
}

/// What a retransmission repeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resent {
    Data,
    Syn,
    /// A SYN, ACK of a simultaneous open: it repeats the SYN's sequence number.
    SimultaneousSynAck,
    SynAck,
    Fin,
}

/// Which close a FIN belongs to, for the explanation's step number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CloseStep {
    FourWay,
    ThreeSegment,
    Simultaneous,
    Other,
}

/// Capitalise the first letter (for role words starting a sentence).
pub fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
