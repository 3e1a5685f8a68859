//! The ladder model as JSON: the machine-readable face of the ladder, for tests and for
//! other tools. One object per connection: its lanes, phase bands and notes, where the
//! capture was taken and the round trip, and one entry per arrow with its frame,
//! direction, flags, analysis flags, state changes, the explanation the details pane
//! shows (in the ladder's language), and its times: `time` (captured), `sent_at`,
//! `arrives_at` (null when lost), which of them are estimated, and `lost`.
//!
//! Times are seconds since the first frame of the capture. With both ends captured
//! (`--other-end`) the document also has `ends` (the matched stream of each file, the
//! address mapping, the clock offset applied and whether it was estimated, the one-way
//! delays each way and what the path rewrote), and each arrow `frames` (its frame in the
//! client's and in the server's capture, or null), `delay`, `only_at` and `changes`;
//! `sent_source` / `arrival_source` say which capture each time came from.

use crate::ladder::{Arrow, ArrowEnds, Band, Ladder, LadderEnds, Lane, LaneSide, Row};
use crate::session::Session;
use crate::timeline::{CapturePoint, Delays, LostEvidence, PointEvidence};

#[derive(serde::Serialize)]
struct LadderJson<'a> {
    stream: u32,
    title: &'a str,
    capture_point: CapturePoint,
    /// The round trip between the two endpoints, in seconds.
    rtt: Option<f64>,
    /// One-way delays from the capture point to each endpoint, in seconds.
    delays: Delays,
    capture_point_evidence: Option<PointEvidence>,
    lanes: &'a [Lane; 2],
    bands: &'a [Band],
    notes: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    ends: Option<&'a LadderEnds>,
    arrows: Vec<ArrowJson<'a>>,
}

#[derive(serde::Serialize)]
struct ArrowJson<'a> {
    /// `null` for a segment the capture never saw (known from the hole it left).
    frame: Option<u64>,
    /// `left_to_right` (client to server) or `right_to_left`.
    direction: &'static str,
    flags: &'a str,
    label: String,
    analysis: Vec<&'static str>,
    marks: Vec<&'a str>,
    states: Vec<StateJson>,
    explanation: String,
    time: f64,
    sent_at: f64,
    arrives_at: Option<f64>,
    sent_estimated: bool,
    arrival_estimated: bool,
    lost: Option<LostEvidence>,
    /// For a timeout retransmission: seconds since these bytes were last sent.
    waited: Option<f64>,
    /// Where `sent_at` and `arrives_at` come from: `captured` (this capture),
    /// `client_capture` / `server_capture` (both ends), `estimated`, or null (lost).
    sent_source: Option<&'static str>,
    arrival_source: Option<&'static str>,
    /// Its packet comments (pcapng `opt_comment`).
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
    /// Both ends captured: the frame in each capture, the delay, what changed.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    ends: Option<&'a ArrowEnds>,
}

#[derive(serde::Serialize)]
struct StateJson {
    lane: LaneSide,
    from: &'static str,
    to: &'static str,
}

/// The JSON document of `ladder`, pretty-printed. `files` are the captures it was laid
/// out from: one, or both ends (file 0, file 1).
pub fn render(files: &[&Session], ladder: &Ladder, lang: crate::i18n::Lang) -> String {
    let Some(&first) = files.first() else {
        return String::new();
    };
    let session_of = |a: &Arrow| {
        crate::ladder::two_ends::resolve(first, files.get(1).copied(), a.packet)
            .unwrap_or((first, a.packet))
    };
    let arrows = ladder
        .rows
        .iter()
        .filter_map(|row| match row {
            Row::Packet(a) => {
                let (session, packet) = session_of(a);
                Some(arrow_json(session, packet, a, lang))
            }
            Row::Unseen(u) => Some(unseen_json(first, ladder, u, lang)),
            Row::Collapsed { .. } => None,
        })
        .collect();
    let doc = LadderJson {
        stream: ladder.stream,
        title: &ladder.title,
        capture_point: ladder.time.capture_point,
        rtt: ladder.time.rtt,
        delays: ladder.time.delays,
        capture_point_evidence: ladder.time.evidence,
        lanes: &ladder.lanes,
        bands: &ladder.bands,
        notes: &ladder.notes,
        ends: ladder.time.ends.as_deref(),
        arrows,
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// `packet` is the arrow's own copy in `session` (with both ends, `a.packet` numbers
/// both files).
fn arrow_json<'a>(
    session: &Session,
    packet: u32,
    a: &'a Arrow,
    lang: crate::i18n::Lang,
) -> ArrowJson<'a> {
    // Which capture each end's time came from.
    let source = |estimated: bool, lane: LaneSide| -> &'static str {
        match (&a.ends, estimated) {
            (_, true) => "estimated",
            (None, false) => "captured",
            // The two-ended ladder has the client on the left.
            (Some(_), false) if lane == LaneSide::Left => "client_capture",
            (Some(_), false) => "server_capture",
        }
    };
    let receiver = match a.from {
        LaneSide::Left => LaneSide::Right,
        LaneSide::Right => LaneSide::Left,
    };
    let analysis = session
        .packets
        .get(packet as usize)
        .map(|p| p.analysis.flags.field_names())
        .unwrap_or_default();
    ArrowJson {
        frame: Some(a.frame),
        direction: match a.from {
            LaneSide::Left => "left_to_right",
            LaneSide::Right => "right_to_left",
        },
        flags: &a.flags,
        label: a.label(),
        analysis,
        marks: a.mark_words().collect(),
        states: a
            .states
            .iter()
            .flat_map(|b| {
                b.transitions.iter().map(|t| StateJson {
                    lane: b.lane,
                    from: t.from.rfc_name(),
                    to: t.to.rfc_name(),
                })
            })
            .collect(),
        explanation: {
            let mut text = crate::ladder::explain_in(session, packet, lang);
            for sentence in crate::ladder::two_ends::path_sentences(a, lang) {
                text.push(' ');
                text.push_str(&sentence);
            }
            text
        },
        time: a.timing.time,
        sent_at: a.timing.sent_at,
        arrives_at: a.timing.arrives_at,
        sent_estimated: a.timing.sent_estimated,
        arrival_estimated: a.timing.arrival_estimated,
        lost: a.timing.lost,
        waited: a.timing.waited,
        sent_source: Some(source(a.timing.sent_estimated, a.from)),
        arrival_source: a
            .timing
            .arrives_at
            .map(|_| source(a.timing.arrival_estimated, receiver)),
        ends: a.ends.as_deref(),
        notes: &a.notes,
    }
}

fn unseen_json<'a>(
    session: &Session,
    ladder: &Ladder,
    u: &'a crate::ladder::UnseenSegment,
    lang: crate::i18n::Lang,
) -> ArrowJson<'a> {
    let receiver = match u.from {
        LaneSide::Left => LaneSide::Right,
        LaneSide::Right => LaneSide::Left,
    };
    let who = session
        .connection(ladder.stream)
        .map(|c| crate::ladder::phases::who(c, ladder.lane(receiver).side, lang.texts()))
        .unwrap_or_default();
    ArrowJson {
        frame: None,
        direction: match u.from {
            LaneSide::Left => "left_to_right",
            LaneSide::Right => "right_to_left",
        },
        flags: "",
        label: u.label.clone(),
        analysis: Vec::new(),
        marks: Vec::new(),
        states: Vec::new(),
        explanation: u
            .timing
            .lost
            .as_ref()
            .map(|e| (lang.time().lost_because)(e, who))
            .unwrap_or_default(),
        time: u.timing.time,
        sent_at: u.timing.sent_at,
        arrives_at: None,
        sent_estimated: true,
        arrival_estimated: true,
        lost: u.timing.lost,
        waited: None,
        sent_source: Some("estimated"),
        arrival_source: None,
        ends: None,
        notes: &[],
    }
}
