//! The connection summary at the top of the details pane: how the connection opened and
//! closed (Zeek's `conn_state` in words), its handshake round-trip time, how much each
//! side sent, and how often the TCP analysis flagged trouble (retransmissions, lost
//! segments, duplicate ACKs, zero windows), each count with a link to its first packet.
//! Built once per connection by [`ConnectionSummary::of`] from the library's facts.

use super::commands::Command;
use super::style::{self, Palette};
use crate::export::tables::FlowRow;
use crate::flow::Flag;
use crate::i18n::{Lang, Role};
use crate::ladder::MarkGroup;
use crate::session::Session;
use crate::units::{group_digits, human_bytes, human_duration};
use egui::{RichText, Ui};

/// One direction's traffic.
#[derive(Clone, Debug, PartialEq)]
pub struct DirectionLine {
    /// "Client → server".
    pub title: String,
    pub packets: u64,
    pub bytes: u64,
}

/// One kind of trouble: how often, and where it first happened.
#[derive(Clone, Debug, PartialEq)]
pub struct IssueLine {
    pub flag: Flag,
    /// "Retransmissions".
    pub title: &'static str,
    pub count: u32,
    /// "1 fast" (the kinds of retransmission).
    pub note: Option<String>,
    /// The first packet with this flag: (frame, index in `Session::packets`).
    pub first: Option<(u64, u32)>,
}

/// What the summary shows about one connection.
#[derive(Clone, Debug, PartialEq)]
pub struct ConnectionSummary {
    pub stream: u32,
    /// The language of the titles.
    pub lang: Lang,
    pub state_code: String,
    pub state_words: &'static str,
    pub open: String,
    pub close: String,
    /// Seconds from the SYN to the ACK that completed the handshake.
    pub handshake_rtt: Option<f64>,
    /// Where the capture was taken, and the numbers that gave it away.
    pub capture_point: String,
    pub duration: f64,
    pub directions: [DirectionLine; 2],
    pub issues: Vec<IssueLine>,
    /// With both ends captured: the delays, the clocks, what was seen at one end only and
    /// what the path changed, one line each; and the clock offset applied.
    pub both_ends: Vec<String>,
    pub clock: Option<crate::timeline::pair::Clock>,
}

/// Always listed, even when zero: a zero is news too ("no retransmissions").
const ALWAYS: [(Flag, &str); 4] = [
    (Flag::Retransmission, "Retransmissions"),
    (Flag::LostSegment, "Lost segments"),
    (Flag::DuplicateAck, "Duplicate ACKs"),
    (Flag::ZeroWindow, "Zero-window events"),
];

/// Listed when they occur.
const WHEN_SEEN: [(Flag, &str); 7] = [
    (Flag::AckLostSegment, "ACKs of unseen segments"),
    (Flag::OutOfOrder, "Out-of-order segments"),
    (Flag::ZeroWindowProbe, "Zero-window probes"),
    (Flag::WindowFull, "Window full"),
    (Flag::WindowUpdate, "Window updates"),
    (Flag::KeepAlive, "Keep-alives"),
    (Flag::ReusedPorts, "Ports reused"),
];

impl ConnectionSummary {
    pub fn of(session: &Session, stream: u32, lang: Lang) -> Option<ConnectionSummary> {
        let (t, w) = (lang.texts(), lang.ui());
        let conn = session.connection(stream)?;
        let row = FlowRow::of(conn);
        let state = conn.summary().conn_state;
        let (client, server) = if row.roles_known {
            ("Client", "server")
        } else {
            ("A", "B")
        };
        let mut first: Vec<Option<(u64, u32)>> = vec![None; Flag::ALL.len()];
        for &packet in session.packet_indices(stream) {
            let Some(p) = session.packets.get(packet as usize) else {
                continue;
            };
            for flag in p.analysis.flags.iter() {
                if let Some(slot @ None) = first.get_mut(flag as usize) {
                    *slot = Some((p.frame(), packet));
                }
            }
        }
        let issue = |(flag, title): (Flag, &'static str)| IssueLine {
            flag,
            title: if lang == Lang::En {
                title
            } else {
                t.flag_title(flag)
            },
            count: conn.flag_count(flag),
            note: None,
            first: first.get(flag as usize).copied().flatten(),
        };
        let mut issues: Vec<IssueLine> = ALWAYS.iter().map(|&a| issue(a)).collect();
        let kinds: Vec<String> = [
            (Flag::FastRetransmission, w.fast),
            (Flag::SpuriousRetransmission, w.spurious),
        ]
        .iter()
        .filter(|(flag, _)| conn.flag_count(*flag) > 0)
        .map(|(flag, word)| format!("{} {word}", group_digits(u64::from(conn.flag_count(*flag)))))
        .collect();
        let mut kinds = kinds;
        if conn.captured_on_several_interfaces() {
            kinds.push(w.two_interfaces.to_string());
        }
        if let Some(retransmissions) = issues.first_mut().filter(|_| !kinds.is_empty()) {
            retransmissions.note = Some(kinds.join(", "));
        }
        issues.extend(WHEN_SEEN.iter().map(|&w| issue(w)).filter(|i| i.count > 0));
        let titles = if lang == Lang::En {
            // Role words start a sentence with a capital; the letters A and B stay capitals.
            let word = |w: &str, first: bool| match (row.roles_known, first) {
                (true, true) => capitalise(w),
                (true, false) => w.to_lowercase(),
                (false, _) => w.to_string(),
            };
            [
                format!("{} → {}", word(client, true), word(server, false)),
                format!("{} → {}", word(server, true), word(client, false)),
            ]
        } else {
            let (c, s) = if row.roles_known {
                (Role::Client, Role::Server)
            } else {
                (Role::A, Role::B)
            };
            [
                format!("{} → {}", t.role(c), t.role(s)),
                format!("{} → {}", t.role(s), t.role(c)),
            ]
        };
        let [to_server, to_client] = titles;
        Some(ConnectionSummary {
            stream,
            lang,
            state_code: row.conn_state.clone(),
            state_words: t.conn_state(state),
            open: crate::ladder::phases::band_title(conn, crate::ladder::phases::Phase::Open, t),
            close: crate::ladder::phases::band_title(conn, crate::ladder::phases::Phase::Close, t),
            handshake_rtt: row.handshake_rtt,
            capture_point: {
                let timeline = crate::timeline::Timeline::of(session, stream);
                (lang.time().point_sentence)(
                    timeline.capture_point,
                    &timeline.evidence,
                    timeline.rtt,
                )
            },
            duration: row.duration,
            directions: [
                DirectionLine {
                    title: to_server,
                    packets: row.packets_client_to_server,
                    bytes: row.bytes_client_to_server,
                },
                DirectionLine {
                    title: to_client,
                    packets: row.packets_server_to_client,
                    bytes: row.bytes_server_to_client,
                },
            ],
            issues,
            both_ends: Vec::new(),
            clock: None,
        })
    }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A round-trip time with the precision it deserves: "0.214 ms", "12.3 ms", "1.20 s".
pub fn rtt_words(seconds: f64) -> String {
    let ms = seconds * 1000.0;
    if ms < 1.0 {
        format!("{ms:.3} ms")
    } else if ms < 100.0 {
        format!("{ms:.1} ms")
    } else {
        human_duration(seconds)
    }
}

/// The summary as a collapsible section; a count's link selects its first packet. Every
/// line wraps, so the section never widens the pane.
#[must_use = "apply the returned command"]
pub fn summary_ui(ui: &mut Ui, summary: &ConnectionSummary, palette: &Palette) -> Option<Command> {
    let mut command = None;
    let w = summary.lang.ui();
    let fill = crate::i18n::UiTexts::fill;
    egui::CollapsingHeader::new(
        RichText::new(fill(w.summary_heading, &[&summary.stream.to_string()]))
            .font(style::bold(15.0)),
    )
    .id_salt("connection summary")
    .default_open(true)
    .show(ui, |ui| {
        ui.label(
            RichText::new(format!("{}: {}", summary.state_code, summary.state_words)).strong(),
        )
        .on_hover_text(w.conn_state_hint);
        if summary.lang == Lang::En {
            ui.label(format!(
                "Opened: {}. Closed: {}.",
                summary.open, summary.close
            ));
        } else {
            ui.label(format!("{} {}", w.opened, summary.open));
            ui.label(format!("{} {}", w.closed, summary.close));
        }
        let rtt = match summary.handshake_rtt {
            Some(rtt) => rtt_words(rtt),
            None => w.rtt_not_measured.to_string(),
        };
        ui.label(format!(
            "{} {rtt} · {} {}",
            w.handshake_rtt,
            w.duration,
            human_duration(summary.duration)
        ))
        .on_hover_text(w.handshake_rtt_hint);
        ui.label(RichText::new(format!("◎ {}", summary.capture_point)).color(palette.weak_text));
        for line in &summary.both_ends {
            ui.label(line);
        }
        if let Some(clock) = summary.clock {
            let ends = summary.lang.ends();
            ui.horizontal(|ui| {
                ui.label(ends.clock_offset);
                // Shown as the shift applied to the other end's times.
                let mut shift = 0.0 - clock.offset;
                let response = ui
                    .add(
                        egui::DragValue::new(&mut shift)
                            .speed(0.0005)
                            .fixed_decimals(6)
                            .suffix(" s"),
                    )
                    .on_hover_text(ends.clock_offset_hint);
                if response.changed() {
                    command = Some(Command::SetClockOffset(Some(-shift)));
                }
                if clock.by_hand
                    && ui
                        .small_button("↺")
                        .on_hover_text(ends.clock_offset_hint)
                        .clicked()
                {
                    command = Some(Command::SetClockOffset(None));
                }
            });
        }
        for (d, colour) in summary
            .directions
            .iter()
            .zip([palette.client_to_server, palette.server_to_client])
        {
            ui.label(
                RichText::new(format!(
                    "{}: {}",
                    d.title,
                    fill(
                        w.packets_of_data,
                        &[&group_digits(d.packets), &human_bytes(d.bytes)]
                    )
                ))
                .color(colour),
            )
            .on_hover_text(fill(w.payload_bytes, &[&group_digits(d.bytes)]));
        }
        for issue in &summary.issues {
            let colour = if issue.count > 0 {
                palette.mark_colour(MarkGroup::of(issue.flag))
            } else {
                palette.weak_text
            };
            ui.horizontal_wrapped(|ui| {
                ui.spacing_mut().item_spacing.x = 4.0;
                ui.label(RichText::new(format!("{}:", issue.title)).color(colour))
                    .on_hover_text(super::lang(ui.ctx()).texts().flag_meaning(issue.flag));
                ui.label(
                    RichText::new(group_digits(u64::from(issue.count)))
                        .strong()
                        .color(colour),
                );
                if let Some(note) = &issue.note {
                    ui.label(RichText::new(format!("({note})")).color(colour));
                }
                if let Some((frame, packet)) = issue.first {
                    let name = fill(
                        w.go_to_first,
                        &[&issue.title.to_lowercase(), &frame.to_string()],
                    );
                    let link = ui.link(format!("{}{frame}", w.first_at));
                    link.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Link, true, &name));
                    if link.on_hover_text(&name).clicked() {
                        command = Some(Command::GoToPacket(packet));
                    }
                }
            });
        }
    });
    command
}
