//! Wireshark's TCP analysis flags (`tcp.analysis.*`, computed by [`crate::flow`]) as the
//! app shows them: a colour and a short badge per kind of mark on the ladder's arrows, a
//! legend of the marks a connection uses, and — in the details pane — what each mark
//! means with a link to the frame it refers to ("Duplicate ACK #2 of frame 43").
//!
//! The [`MarkIndex`] of a connection is built once per ladder (it sits in the canvas's
//! `LadderView`), so painting a row only looks its packet up. The analysis views' own
//! state ([`AnalysisPanels`]: which windows are open, the caches, the connection summary)
//! is in the `panels` submodule; links and clicks return [`Command::GoToPacket`].

use super::commands::Command;
use super::style::{self, Palette};
use crate::flow::{Analysis, Flag};
use crate::i18n::{Lang, UiTexts};
use crate::ladder::{Ladder, Row};
use crate::session::Session;
use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, Id, Pos2, Rect, RichText, Role, Sense, Stroke, Ui, WidgetInfo, pos2, vec2};
use std::collections::BTreeMap;

mod panels;

pub use panels::{
    AnalysisChrome, AnalysisPanels, AnalysisView, ConnectionWindow, connection_window,
    toolbar_buttons_ui, view_menu_ui, windows_ui,
};

/// The colour family of a mark (one colour each on the canvas and in the legend).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MarkKind {
    /// Bytes seen before or behind a gap: lost, or not captured.
    Lost,
    Retransmission,
    DuplicateAck,
    ZeroWindow,
    OutOfOrder,
    /// Window updates, window full, keep-alives, reused ports: routine housekeeping.
    Housekeeping,
}

impl MarkKind {
    pub fn of(flag: Flag) -> MarkKind {
        match flag {
            Flag::LostSegment | Flag::AckLostSegment => MarkKind::Lost,
            Flag::Retransmission | Flag::FastRetransmission | Flag::SpuriousRetransmission => {
                MarkKind::Retransmission
            }
            Flag::DuplicateAck => MarkKind::DuplicateAck,
            Flag::ZeroWindow | Flag::ZeroWindowProbe | Flag::ZeroWindowProbeAck => {
                MarkKind::ZeroWindow
            }
            Flag::OutOfOrder => MarkKind::OutOfOrder,
            Flag::WindowFull
            | Flag::WindowUpdate
            | Flag::KeepAlive
            | Flag::KeepAliveAck
            | Flag::ReusedPorts => MarkKind::Housekeeping,
        }
    }

    /// The colour of the arrow, the badge and the mark's words.
    pub fn colour(self, dark: bool) -> Color32 {
        let (light, dark_theme) = match self {
            MarkKind::Lost => ((127, 29, 29), (252, 165, 165)),
            MarkKind::Retransmission => ((220, 38, 38), (248, 90, 90)),
            MarkKind::DuplicateAck => ((217, 140, 0), (251, 191, 36)),
            MarkKind::ZeroWindow => ((126, 34, 206), (196, 148, 253)),
            MarkKind::OutOfOrder => ((13, 128, 120), (45, 212, 191)),
            MarkKind::Housekeeping => ((71, 95, 130), (148, 170, 200)),
        };
        let (r, g, b) = if dark { dark_theme } else { light };
        Color32::from_rgb(r, g, b)
    }

    /// Text on a badge of this colour.
    fn badge_text(self, dark: bool) -> Color32 {
        match (self, dark) {
            (MarkKind::DuplicateAck, _) | (_, true) => Color32::from_gray(15),
            _ => Color32::WHITE,
        }
    }

    /// When a packet has several marks, the arrow takes the colour of the first kind.
    fn rank(self) -> u8 {
        self as u8
    }
}

/// The frame a mark refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameLink {
    pub frame: u64,
    /// Its index in `Session::packets`, when the frame is in this connection.
    pub packet: Option<u32>,
    /// "the ACK this one repeats".
    pub role: &'static str,
}

/// One analysis mark of one packet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    pub flag: Flag,
    /// In words, as on the ladder label: "Duplicate ACK #2 of frame 43".
    pub words: String,
    /// Short, for the badge on the arrow: "DUP #2".
    pub badge: String,
    pub link: Option<FrameLink>,
}

impl Mark {
    pub fn kind(&self) -> MarkKind {
        MarkKind::of(self.flag)
    }
}

/// The badge text of a flag in `lang` (the duplicate ACK's number is added by
/// [`marks_of`]).
pub fn badge(flag: Flag, lang: Lang) -> &'static str {
    let at = Flag::ALL.iter().position(|&f| f == flag);
    at.and_then(|i| lang.ui().badges.get(i))
        .copied()
        .unwrap_or_default()
}

/// The index in `Session::packets` of `frame`, if it belongs to connection `stream`.
pub fn packet_of_frame(session: &Session, stream: u32, frame: u64) -> Option<u32> {
    let packets = session.packet_indices(stream);
    let frame_at = |i: u32| {
        session
            .packets
            .get(i as usize)
            .map_or(u64::MAX, |p| p.frame)
    };
    let at = packets.partition_point(|&i| frame_at(i) < frame);
    packets.get(at).copied().filter(|&i| frame_at(i) == frame)
}

/// The marks of one packet, in the ladder's order (a fast or spurious retransmission is
/// not also called a plain retransmission).
pub fn marks_of(session: &Session, packet: u32, lang: Lang) -> Vec<Mark> {
    let Some(p) = session.packets.get(packet as usize) else {
        return Vec::new();
    };
    marks_of_analysis(&session.analysis(p), lang, |frame| {
        packet_of_frame(session, p.stream, frame)
    })
}

fn marks_of_analysis(
    a: &Analysis,
    lang: Lang,
    packet_of: impl Fn(u64) -> Option<u32>,
) -> Vec<Mark> {
    // Which flags and in what words: the ladder's rule. Here only the badge and the link
    // to the frame a mark refers to are added.
    let retransmits = (a.retransmits_frame > 0).then(|| FrameLink {
        frame: a.retransmits_frame,
        packet: packet_of(a.retransmits_frame),
        role: lang.ui().role_first_carried,
    });
    crate::ladder::mark_words(a, lang.texts())
        .into_iter()
        .map(|(flag, words)| match flag {
            Flag::DuplicateAck => Mark {
                flag,
                words,
                badge: UiTexts::fill(lang.ui().badge_duplicate, &[&a.dup_ack_num.to_string()]),
                link: (a.dup_ack_frame > 0).then(|| FrameLink {
                    frame: a.dup_ack_frame,
                    packet: packet_of(a.dup_ack_frame),
                    role: lang.ui().role_repeats,
                }),
            },
            Flag::Retransmission | Flag::FastRetransmission | Flag::SpuriousRetransmission => {
                Mark {
                    flag,
                    words,
                    badge: badge(flag, lang).to_string(),
                    link: retransmits.clone(),
                }
            }
            _ => Mark {
                flag,
                words,
                badge: badge(flag, lang).to_string(),
                link: None,
            },
        })
        .collect()
}

/// The marks of every flagged packet of one connection.
#[derive(Clone, Debug, Default)]
pub struct MarkIndex {
    by_packet: BTreeMap<u32, Vec<Mark>>,
    /// The flags that occur, in Wireshark's order.
    used: Vec<Flag>,
}

impl MarkIndex {
    pub fn of(session: &Session, stream: u32, lang: Lang) -> MarkIndex {
        let mut index = MarkIndex::default();
        for &packet in session.packet_indices(stream) {
            let flagged = session
                .packets
                .get(packet as usize)
                .is_some_and(|p| !p.analysis.flags.is_empty());
            if flagged {
                let marks = marks_of(session, packet, lang);
                for mark in &marks {
                    if !index.used.contains(&mark.flag) {
                        index.used.push(mark.flag);
                    }
                }
                index.by_packet.insert(packet, marks);
            }
        }
        index
            .used
            .sort_by_key(|f| Flag::ALL.iter().position(|g| g == f));
        index
    }

    /// The marks of a packet (index into `Session::packets`); empty when it has none.
    pub fn marks(&self, packet: u32) -> &[Mark] {
        self.by_packet.get(&packet).map_or(&[], Vec::as_slice)
    }

    /// The flags this connection uses, in Wireshark's order.
    pub fn used(&self) -> &[Flag] {
        &self.used
    }

    pub fn is_empty(&self) -> bool {
        self.by_packet.is_empty()
    }

    /// The colour of a packet's arrow when it is marked.
    pub fn arrow_colour(&self, packet: u32, dark: bool) -> Option<Color32> {
        self.marks(packet)
            .iter()
            .map(Mark::kind)
            .min_by_key(|k| k.rank())
            .map(|k| k.colour(dark))
    }
}

/// The connection index of the first packet of the collapsed run that hides the packet
/// with connection index `index`, if a run hides it.
pub fn run_hiding(ladder: &Ladder, index: u32) -> Option<u32> {
    ladder.rows.iter().find_map(|row| match row {
        Row::Collapsed {
            first, segments, ..
        } => {
            let end = u64::from(*first) + *segments as u64;
            (*first <= index && u64::from(index) < end).then_some(*first)
        }
        Row::Packet(_) | Row::Unseen(_) => None,
    })
}

/// Append a packet's marks ("⚑ Duplicate ACK #2 of frame 43"), each in its colour, to the
/// label above its arrow.
/// Only the marks whose words say more than their badge (which frame is retransmitted,
/// which ACK is duplicated): each fact is on the arrow once.
pub fn append_mark_words(job: &mut LayoutJob, marks: &[Mark], palette: &Palette) {
    for mark in marks.iter().filter(|m| m.link.is_some()) {
        job.append(
            &format!("⚑ {}", mark.words),
            8.0,
            TextFormat::simple(style::bold(13.0), mark.kind().colour(palette.dark)),
        );
    }
}

const BADGE_SIZE: f32 = 11.5;
const BADGE_HEIGHT: f32 = 17.0;

/// Paint one badge with its left edge (or right edge, when `leftwards`) at `anchor.x` and
/// its top at `anchor.y`; returns its rectangle.
fn paint_badge(ui: &Ui, mark: &Mark, anchor: Pos2, leftwards: bool, dark: bool) -> Rect {
    let kind = mark.kind();
    let galley = ui.painter().layout_no_wrap(
        mark.badge.clone(),
        style::bold(BADGE_SIZE),
        kind.badge_text(dark),
    );
    let size = vec2(galley.size().x + 10.0, BADGE_HEIGHT);
    let min = if leftwards {
        pos2(anchor.x - size.x, anchor.y)
    } else {
        anchor
    };
    let rect = Rect::from_min_size(min, size);
    ui.painter().rect_filled(rect, 8.0, kind.colour(dark));
    ui.painter().galley(
        rect.center() - galley.size() / 2.0,
        galley,
        kind.badge_text(dark),
    );
    rect
}

/// The badges of an arrow, just under it near its sender: `start` is where the arrow
/// leaves the sender, `end` where it arrives. Each badge tells its meaning on hover.
pub fn badges_ui(ui: &Ui, marks: &[Mark], packet: u32, start: Pos2, end: Pos2, dark: bool) {
    let leftwards = end.x < start.x;
    let step = if leftwards { -1.0 } else { 1.0 };
    let mut x = start.x + step * 26.0;
    for (i, mark) in marks.iter().enumerate() {
        // Follow the arrow's slope so the badge keeps the same distance under it.
        let along = ((x - start.x) / (end.x - start.x)).clamp(0.0, 1.0);
        let y = start.y + along * (end.y - start.y) + 6.0;
        let rect = paint_badge(ui, mark, pos2(x, y), leftwards, dark);
        let response = ui.interact(rect, Id::unique(("mark badge", packet, i)), Sense::hover());
        let name = format!("Mark {}: {}", mark.badge, mark.words);
        response.widget_info(|| WidgetInfo::labeled(Role::Label, true, &name));
        response.on_hover_text(format!(
            "{}\n\n{}",
            mark.words,
            super::lang(ui.ctx()).texts().flag_meaning(mark.flag)
        ));
        x += step * (rect.width() + 6.0);
    }
}

/// The "What the analysis noticed" box of the details pane: each mark in words, what it
/// means, and a link to the frame it refers to.
#[must_use = "apply the returned command"]
pub fn packet_marks_ui(ui: &mut Ui, marks: &[Mark], palette: &Palette) -> Option<Command> {
    if marks.is_empty() {
        return None;
    }
    let mut command = None;
    let fill = if palette.dark {
        Color32::from_rgb(60, 36, 36)
    } else {
        Color32::from_rgb(255, 241, 238)
    };
    egui::Frame::new()
        .fill(fill)
        .stroke(Stroke::new(
            1.0,
            MarkKind::Retransmission.colour(palette.dark),
        ))
        .corner_radius(6.0)
        .inner_margin(8.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(
                RichText::new(super::ui_texts(ui.ctx()).analysis_noticed).font(style::bold(14.0)),
            );
            for mark in marks {
                ui.add_space(4.0);
                let colour = mark.kind().colour(palette.dark);
                ui.horizontal_wrapped(|ui| {
                    let _ = badge_widget_ui(ui, mark, palette.dark);
                    ui.label(
                        RichText::new(&mark.words)
                            .font(style::bold(15.0))
                            .color(colour),
                    );
                });
                ui.label(super::lang(ui.ctx()).texts().flag_meaning(mark.flag));
                if let Some(link) = &mark.link
                    && let Some(c) = frame_link_ui(ui, link)
                {
                    command = Some(c);
                }
                ui.label(
                    RichText::new(format!(
                        "Wireshark: tcp.analysis.{}",
                        mark.flag.field_name()
                    ))
                    .small()
                    .color(palette.weak_text),
                );
            }
        });
    command
}

/// "→ Go to frame 43, the ACK this one repeats" (or plain text when the frame is not in
/// this connection).
fn frame_link_ui(ui: &mut Ui, link: &FrameLink) -> Option<Command> {
    let w = super::ui_texts(ui.ctx());
    let text = format!("{} {}, {}", w.go_to_frame, link.frame, link.role);
    match link.packet {
        Some(packet) => {
            let response = ui.link(text).on_hover_text(w.select_in_ladder);
            response.clicked().then_some(Command::GoToPacket(packet))
        }
        None => {
            ui.label(format!(
                "{} {} ({}) {}",
                w.frame, link.frame, link.role, w.not_in_connection
            ));
            None
        }
    }
}

/// A badge as a widget (details pane, legend).
fn badge_widget_ui(ui: &mut Ui, mark: &Mark, dark: bool) -> egui::Response {
    let galley = ui.painter().layout_no_wrap(
        mark.badge.clone(),
        style::bold(BADGE_SIZE),
        mark.kind().badge_text(dark),
    );
    let (rect, response) =
        ui.allocate_exact_size(vec2(galley.size().x + 10.0, BADGE_HEIGHT), Sense::hover());
    response.widget_info(|| WidgetInfo::labeled(Role::Label, true, &mark.badge));
    paint_badge(ui, mark, rect.min, false, dark);
    response
}

/// The legend: a strip along the bottom of the ladder naming each mark this connection
/// uses, with its badge and colour (its meaning on hover). It covers no arrow; the View
/// menu hides it.
#[must_use = "apply the returned command"]
pub fn legend_strip_ui(ui: &mut Ui, marks: &MarkIndex, chrome: AnalysisChrome) -> Option<Command> {
    if !chrome.legend || marks.is_empty() {
        return None;
    }
    let dark = ui.visuals().dark_mode;
    let mut command = None;
    egui::Panel::bottom("marks legend")
        .resizable(false)
        .show(ui, |ui| {
            ui.add_space(2.0);
            ui.horizontal_wrapped(|ui| {
                let w = super::ui_texts(ui.ctx());
                ui.label(RichText::new(w.marks).font(style::bold(14.0)))
                    .on_hover_text(w.marks_hint);
                let t = super::lang(ui.ctx()).texts();
                for &flag in marks.used() {
                    let sample = Mark {
                        flag,
                        words: t.flag_title(flag).to_string(),
                        badge: match flag {
                            Flag::DuplicateAck => {
                                UiTexts::fill(super::ui_texts(ui.ctx()).badge_duplicate, &["n"])
                            }
                            _ => badge(flag, super::lang(ui.ctx())).to_string(),
                        },
                        link: None,
                    };
                    ui.add_space(6.0);
                    badge_widget_ui(ui, &sample, dark).on_hover_text(t.flag_meaning(flag));
                    ui.label(
                        RichText::new(t.flag_title(flag))
                            .size(14.0)
                            .color(MarkKind::of(flag).colour(dark)),
                    )
                    .on_hover_text(t.flag_meaning(flag));
                }
                ui.add_space(6.0);
                let hide = ui.small_button("×").on_hover_text(w.hide_legend_hint);
                if super::spoken_name(&hide, w.hide_legend).clicked() {
                    command = Some(Command::ShowAnalysis(AnalysisView::Legend, false));
                }
            });
        });
    command
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::AnalysisFlags;

    fn analysis(flags: &[Flag]) -> Analysis {
        let mut set = AnalysisFlags::default();
        for &f in flags {
            set.set(f);
        }
        Analysis {
            flags: set,
            ..Analysis::default()
        }
    }

    #[test]
    fn duplicate_ack_mark_names_its_number_and_links_the_original() {
        let a = Analysis {
            dup_ack_num: 2,
            dup_ack_frame: 43,
            ..analysis(&[Flag::DuplicateAck])
        };
        let marks = marks_of_analysis(&a, Lang::En, |f| (f == 43).then_some(42));
        assert_eq!(marks.len(), 1);
        let Some(mark) = marks.first() else {
            panic!("one mark expected");
        };
        assert_eq!(mark.words, "Duplicate ACK #2 of frame 43");
        assert_eq!(mark.badge, "DUP #2");
        assert_eq!(mark.link.as_ref().and_then(|l| l.packet), Some(42));
    }

    #[test]
    fn fast_retransmission_is_not_also_a_plain_retransmission() {
        let a = Analysis {
            retransmits_frame: 48,
            ..analysis(&[Flag::Retransmission, Flag::FastRetransmission])
        };
        let marks = marks_of_analysis(&a, Lang::En, |_| None);
        let flags: Vec<Flag> = marks.iter().map(|m| m.flag).collect();
        assert_eq!(flags, vec![Flag::FastRetransmission]);
        let link = marks.first().and_then(|m| m.link.as_ref());
        assert_eq!(link.map(|l| l.frame), Some(48));
    }

    #[test]
    fn the_most_serious_kind_colours_the_arrow() {
        assert!(MarkKind::Lost.rank() < MarkKind::Retransmission.rank());
        assert!(MarkKind::Retransmission.rank() < MarkKind::Housekeeping.rank());
    }
}
