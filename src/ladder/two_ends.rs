//! The ladder of one connection seen from both ends: the client's capture and the
//! server's, matched by [`crate::timeline::TwoEnds`]. One row per packet in the order the
//! packets left their senders; every arrow runs from its measured send time to its
//! measured arrival; a packet seen at one end only stops in the middle; each lane's state
//! boxes come from that end's own capture.

use super::{
    Arrow, ArrowTiming, Band, Ladder, LadderOptions, LadderTime, Lane, LaneSide, Row, StateBox,
    TimeMode, packet_label, phase_ranges, phases, state_boxes, timeout_wait,
};
use crate::flow::Side;
use crate::session::{PacketRecord, Session};
use crate::timeline::pair::{Both, Clock, ConnectionPair, DelayStats, File, Files, Sender};
use crate::timeline::rewrites::{Change, Rewrites};
use crate::timeline::{CapturePoint, Delays, LostEvidence, TwoEnds};
use std::collections::HashMap;

/// What an arrow of a two-ended ladder adds: both copies.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ArrowEnds {
    /// The frame number in the client's capture and in the server's (`None`: not seen
    /// there).
    pub frames: Both<Option<u64>>,
    /// The packet (index into that file's `Session::packets`) in each file.
    #[serde(skip)]
    pub packets: Both<Option<u32>>,
    /// The file of the copy the arrow shows (the first when it has one). `Arrow::packet`
    /// numbers the packets of both files as one list: the other end's follow the first's.
    #[serde(skip)]
    pub file: File,
    /// Seconds on the way, when both copies were seen.
    pub delay: Option<f64>,
    /// Seen at one end only: which.
    pub only_at: Option<Sender>,
    /// What the path changed in this packet.
    pub changes: Vec<Change>,
}

/// The connection-level facts of a two-ended ladder.
#[derive(Clone, Debug, serde::Serialize)]
pub struct LadderEnds {
    /// The connection's stream number in each file (the first, the other end's).
    pub streams: Both<u32>,
    /// Which file was captured at the client.
    pub client_file: File,
    /// The client's and the server's address as each end saw it: [client's capture,
    /// server's capture].
    pub client_seen_as: [String; 2],
    pub server_seen_as: [String; 2],
    pub clock: Clock,
    pub to_server: Option<DelayStats>,
    pub to_client: Option<DelayStats>,
    pub lost_to_server: usize,
    pub lost_to_client: usize,
    pub rewrites: Rewrites,
}

/// Lay out the two-ended ladder of `pair` (one of `ends.connections`).
pub fn layout_two(
    ends: &TwoEnds,
    files: Files<'_>,
    pair: &ConnectionPair,
    options: &LadderOptions,
) -> Ladder {
    let t = options.lang.texts();
    let words = options.lang.ends();
    let cf = pair.client_file;
    let sf = pair.server_file();
    let client_side = pair.client_side;
    let (Some(conn_c), Some(conn_s)) = (
        files[cf].connection(pair.streams[cf]),
        files[sf].connection(pair.streams[sf]),
    ) else {
        return super::empty(pair.streams[File::First], t);
    };
    let lane_of_at = |file: File| {
        move |side: Side| {
            if side == client_side[file] {
                LaneSide::Left
            } else {
                LaneSide::Right
            }
        }
    };
    // Each file's connection packets, for the timeout waits.
    let listed = |file: File| -> Vec<(u32, &PacketRecord)> {
        files[file].indexed_packets(pair.streams[file]).collect()
    };
    let lists = Both(File::BOTH.map(listed));
    let typical = |from: Sender| {
        let s = if from == Sender::Client {
            pair.to_server
        } else {
            pair.to_client
        };
        s.map_or(0.0, |s| s.median)
    };
    let mut rows: Vec<Row> = Vec::with_capacity(pair.packets.len());
    // Row of each packet, by file and packet index.
    let mut row_of: Both<HashMap<u32, usize>> = Both::default();
    let first_sent = pair.packets.first().map_or(0.0, |p| p.sent);
    let mut previous_sent: Option<f64> = None;
    for pp in &pair.packets {
        let file = if pp.copies[File::First].is_some() {
            File::First
        } else {
            File::Other
        };
        let Some(index) = pp.copies[file] else {
            continue;
        };
        let Some(p) = files[file].packets.get(index as usize) else {
            continue;
        };
        let conn = if file == cf { conn_c } else { conn_s };
        let row = rows.len();
        for f in File::BOTH {
            if let Some(i) = pp.copies[f] {
                row_of[f].insert(i, row);
            }
        }
        // The client's lane changes with the client's capture, the server's with the
        // server's.
        let mut states: Vec<StateBox> = Vec::new();
        for (f, lane) in [(cf, LaneSide::Left), (sf, LaneSide::Right)] {
            let Some(q) = pp.copies[f].and_then(|i| files[f].packets.get(i as usize)) else {
                continue;
            };
            let owner = if f == cf { conn_c } else { conn_s };
            states.extend(
                state_boxes(owner, q.index, &lane_of_at(f))
                    .into_iter()
                    .filter(|b| b.lane == lane),
            );
        }
        // The marks are those of the copy shown, so that the frames they name ("duplicate
        // ACK of frame 13") are numbered as the margin numbers them.
        let sender_file = pair.file_at(pp.from);
        let marked = p;
        let first_len = files[File::First].packets.len() as u32;
        let mut arrow_marks =
            super::marks::marks_of(&files[file].analysis(marked), options.lang, |frame| {
                let q = super::packet_of_frame(files[file], pair.streams[file], frame)?;
                Some(if file == File::First {
                    q
                } else {
                    first_len + q
                })
            });
        if let Some(at) = pp.only_at {
            arrow_marks.push(super::Mark::words_only((words.only_at)(at)));
        }
        let lost = (pp.only_at == Some(pp.from)).then_some(LostEvidence::SeenOnlyAtSender {
            frame: marked.frame(),
        });
        let sent_estimated = pp.only_at.is_some() && pp.only_at != Some(pp.from);
        let sent_at = if sent_estimated {
            pp.sent - typical(pp.from)
        } else {
            pp.sent
        };
        let arrives_at = if sent_estimated {
            Some(pp.sent)
        } else {
            pp.arrived
        };
        let waited = pp.copies[sender_file].and_then(|i| {
            let list = &lists[sender_file];
            let at = list.iter().position(|(j, _)| *j == i)?;
            let (_, q) = list.get(at)?;
            timeout_wait(list, at, q)
        });
        let time = match options.time_mode {
            TimeMode::Relative => format!("{sent_at:.6}"),
            TimeMode::SinceConnection => format!("{:.6}", sent_at - first_sent),
            TimeMode::Delta => format!("+{:.6}", previous_sent.map_or(0.0, |x| sent_at - x)),
            TimeMode::Absolute => marked.ts().time_of_day(),
        };
        previous_sent = Some(sent_at);
        let frame_at = |end: Sender| {
            let f = pair.file_at(end);
            pp.copies[f]
                .and_then(|i| files[f].packets.get(i as usize))
                .map(|q| q.frame())
        };
        rows.push(Row::Packet(Arrow {
            frame: p.frame(),
            // One numbering over both files: the other end's packets follow the first's.
            packet: if file == File::First {
                index
            } else {
                files[File::First].packets.len() as u32 + index
            },
            index: p.index,
            from: if pp.from == Sender::Client {
                LaneSide::Left
            } else {
                LaneSide::Right
            },
            time,
            flags: p.flags.words(),
            detail: packet_label(conn, p, &files[file].options(p), options.absolute),
            states,
            marks: arrow_marks,
            timing: ArrowTiming {
                time: sent_at,
                sent_at,
                arrives_at: if lost.is_some() { None } else { arrives_at },
                sent_estimated,
                arrival_estimated: false,
                expected_at: arrives_at.unwrap_or(pp.sent + typical(pp.from)),
                lost,
                waited,
            },
            ends: Some(Box::new(ArrowEnds {
                frames: Both(Sender::BOTH.map(frame_at)),
                packets: pp.copies,
                file,
                delay: pp
                    .arrived
                    .filter(|_| pp.only_at.is_none())
                    .map(|a| a - pp.sent),
                only_at: pp.only_at,
                changes: pp.changes.clone(),
            })),
            notes: files[file].comments_of(p.frame()).to_vec(),
        }));
    }

    // Phases as the client's capture saw them, placed on the rows of those packets.
    let row_in_client_file = |conn_index: u32| {
        let session_index = files[cf]
            .packet_indices(conn_c.stream())
            .get(conn_index as usize)?;
        row_of[cf].get(session_index).copied()
    };
    let bands = phase_ranges(conn_c)
        .iter()
        .filter_map(|(phase, first, last)| {
            Some(Band {
                phase: *phase,
                title: phases::band_title(conn_c, *phase, t),
                first_row: row_in_client_file(*first)?,
                last_row: row_in_client_file(*last)?,
            })
        })
        .collect();

    let lane = |conn: &crate::flow::Connection, side: Side, seen_by: Sender, seen: &str| {
        let own = conn.endpoint(side).to_string();
        Lane {
            seen_as: (seen != own).then(|| {
                (words.seen_as)(
                    seen_by,
                    &if seen_by == Sender::Server {
                        pair.client_seen_as[1]
                    } else {
                        pair.server_seen_as[0]
                    },
                )
            }),
            ..Lane::of(conn, side, t)
        }
    };
    let client_outside = pair.client_seen_as[1].to_string();
    let server_outside = pair.server_seen_as[0].to_string();
    let lanes = [
        lane(conn_c, client_side[cf], Sender::Server, &client_outside),
        lane(
            conn_s,
            client_side[sf].other(),
            Sender::Client,
            &server_outside,
        ),
    ];
    let rtt = match (pair.to_server, pair.to_client) {
        (Some(a), Some(b)) => Some(a.min + b.min),
        _ => None,
    };
    let rtt_bracket = handshake_rows(conn_c, client_side[cf], &lists[cf], &row_of[cf]);
    let mut notes = Vec::new();
    if !conn_c.roles_known() {
        notes.push(t.note_roles_unknown().to_string());
    }
    let rewrites = &pair.rewrites;
    Ladder {
        stream: pair.streams[File::First],
        title: format!(
            "{} — {}",
            t.connection_title(
                pair.streams[cf],
                &pair.client_seen_as[0].to_string(),
                &pair.server_seen_as[1].to_string(),
            ),
            words.both_ends
        ),
        lanes,
        rows,
        bands,
        states_note: words.states_note.to_string(),
        notes,
        time: LadderTime {
            capture_point: CapturePoint::BothEnds,
            evidence: None,
            delays: Delays::default(),
            rtt,
            rtt_bracket,
            ends: Some(Box::new(LadderEnds {
                streams: pair.streams,
                client_file: cf,
                client_seen_as: pair.client_seen_as.map(|e| e.to_string()),
                server_seen_as: pair.server_seen_as.map(|e| e.to_string()),
                clock: ends.clock,
                to_server: pair.to_server,
                to_client: pair.to_client,
                lost_to_server: pair.lost_to_server,
                lost_to_client: pair.lost_to_client,
                rewrites: rewrites.clone(),
            })),
        },
        time_mode: options.time_mode,
        lang: options.lang,
    }
}

/// The SYN → SYN-ACK rows at the client: the round trip as the client measured it.
fn handshake_rows(
    conn: &crate::flow::Connection,
    client: Side,
    packets: &[(u32, &PacketRecord)],
    row_of: &HashMap<u32, usize>,
) -> Option<(usize, usize, LaneSide)> {
    if !conn.roles_known() {
        return None;
    }
    let h = crate::timeline::handshake_at(packets.iter().map(|(_, p)| *p), client)?;
    let row = |i: usize| packets.get(i).and_then(|(j, _)| row_of.get(j).copied());
    Some((row(h.syn?)?, row(h.syn_ack)?, LaneSide::Left))
}

/// The capture and the packet (index into its `Session::packets`) behind a packet
/// number of a two-ended ladder, where file 1's packets follow file 0's.
pub fn resolve<'a>(
    first: &'a Session,
    other: Option<&'a Session>,
    packet: u32,
) -> Option<(&'a Session, u32)> {
    let n = first.packets.len() as u32;
    match (packet.checked_sub(n), other) {
        (None, _) => Some((first, packet)),
        (Some(local), Some(other)) => Some((other, local)),
        (Some(_), None) => None,
    }
}

/// The connection's two-ended facts in sentences: the one-way delays, the clocks, what
/// was seen at one end only, and what the path changed (one line each).
pub fn summary_lines(ends: &LadderEnds, lang: crate::i18n::Lang) -> Vec<String> {
    let w = lang.ends();
    let mut out = vec![
        (w.delays)(ends.to_server, ends.to_client),
        (w.clock)(&ends.clock),
        (w.lost_between)(ends.lost_to_server, ends.lost_to_client),
        format!("{}:", w.changes_heading),
    ];
    out.extend(
        (w.rewrites)(&ends.rewrites)
            .into_iter()
            .map(|l| format!("  - {l}")),
    );
    if ends.rewrites.only_addresses() {
        out.push(format!("  - {}", w.nothing_changed));
    }
    out
}

/// What happened to an arrow's packet between the two captures, in sentences: when each
/// end saw it (or that one did not) and what the path changed.
pub fn path_sentences(arrow: &Arrow, lang: crate::i18n::Lang) -> Vec<String> {
    let Some(e) = &arrow.ends else {
        return Vec::new();
    };
    let w = lang.ends();
    let from = match arrow.from {
        LaneSide::Left => Sender::Client,
        LaneSide::Right => Sender::Server,
    };
    let timing = &arrow.timing;
    let mut out = Vec::new();
    match (&timing.lost, timing.arrives_at, timing.sent_estimated) {
        (Some(evidence), _, _) => {
            let receiver = match from {
                Sender::Client => Sender::Server,
                Sender::Server => Sender::Client,
            };
            out.push((lang.time().lost_because)(evidence, (w.role)(receiver)));
        }
        (None, Some(arrived), true) => out.push((w.only_receiver_copy)(from, arrived)),
        (None, Some(arrived), false) => out.push((w.both_copies)(from, timing.sent_at, arrived)),
        (None, None, _) => {}
    }
    if !e.changes.is_empty() {
        let stop = if lang == crate::i18n::Lang::ZhCn {
            "："
        } else {
            ": "
        };
        let end = if lang == crate::i18n::Lang::ZhCn {
            "。"
        } else {
            "."
        };
        let sep = if lang == crate::i18n::Lang::ZhCn {
            "；"
        } else {
            "; "
        };
        out.push(format!(
            "{}{stop}{}{end}",
            w.changes_heading,
            e.changes.iter().map(w.change).collect::<Vec<_>>().join(sep)
        ));
    }
    out
}

/// One line of the details pane's side-by-side copies: a field, its value at the
/// client's end and at the server's, and whether the path changed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyRow {
    pub field: &'static str,
    pub at_client: String,
    pub at_server: String,
    pub differs: bool,
}

/// The two copies of an arrow's packet side by side (`None` for a one-capture ladder).
pub fn copies_table(
    first: &Session,
    other: &Session,
    ends: &LadderEnds,
    arrow: &Arrow,
    lang: crate::i18n::Lang,
) -> Option<Vec<CopyRow>> {
    use crate::timeline::rewrites::headers;
    let e = arrow.ends.as_ref()?;
    let files = Both::new(first, other);
    let copy = |file: File| {
        let index = e.packets[file]?;
        let session = files[file];
        Some((
            session.packets.get(index as usize)?,
            headers(session, index)?,
        ))
    };
    let (client, server) = (copy(ends.client_file), copy(ends.client_file.other()));
    let zh = lang == crate::i18n::Lang::ZhCn;
    let name = |en: &'static str, zh_name: &'static str| if zh { zh_name } else { en };
    // A copy this end's capture does not have: empty (the pane says it once).
    let missing = String::new;
    let mut rows = Vec::new();
    let mut row =
        |field: &'static str,
         f: &dyn Fn(&PacketRecord, &crate::timeline::rewrites::Headers) -> String| {
            let a = client.as_ref().map_or_else(missing, |(p, h)| f(p, h));
            let b = server.as_ref().map_or_else(missing, |(p, h)| f(p, h));
            let differs = client.is_some() && server.is_some() && a != b;
            rows.push(CopyRow {
                field,
                at_client: a,
                at_server: b,
                differs,
            });
        };
    row(name("Frame", "帧"), &|p, _| p.frame().to_string());
    row(
        name("Captured (time of day)", "抓到的时刻"),
        &|p, _| p.ts().time_of_day(),
    );
    row(name("Source", "源"), &|_, h| h.src.clone());
    row(name("Destination", "目的"), &|_, h| h.dst.clone());
    row(name("TTL / hop limit", "TTL / 跳数限制"), &|_, h| {
        h.ttl.to_string()
    });
    row(name("Window", "窗口"), &|_, h| h.window.to_string());
    row("MSS", &|_, h| {
        h.mss.map_or("-".to_string(), |m| m.to_string())
    });
    row(name("Options", "选项"), &|_, h| h.option_kinds.clone());
    row(name("IP checksum", "IP 校验和"), &|_, h| {
        h.ip_checksum
            .map_or("-".to_string(), |c| format!("0x{c:04x}"))
    });
    row(name("TCP checksum", "TCP 校验和"), &|_, h| {
        format!("0x{:04x}", h.tcp_checksum)
    });
    // Frame numbers and capture times always differ: they are not the path's doing.
    for r in rows.iter_mut().take(2) {
        r.differs = false;
    }
    Some(rows)
}
