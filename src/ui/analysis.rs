//! Wireshark's TCP analysis marks as the app shows them: a badge per mark under each
//! marked arrow, the words of the marks that say more than their badge on its label, a
//! legend of the marks a connection uses, and — in the details pane — what each mark
//! means with a link to the frame it refers to ("Duplicate ACK #2 of frame 43").
//!
//! Which flags become marks, their words, badges, referred frames and colour groups are
//! decided once in [`crate::ladder::marks`]; every arrow carries its own, so this module
//! only draws them (each group's colour is the palette's: [`Palette::mark_colour`]). The
//! analysis views' own state ([`AnalysisPanels`]: which windows are open, the caches,
//! the connection summary) is in the `panels` submodule; links and clicks return
//! [`Command::GoToPacket`].

use super::commands::Command;
use super::style::{self, Palette};
use crate::flow::Flag;
use crate::ladder::{FrameRef, Ladder, Mark, MarkGroup, Row};
use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, Id, Pos2, Rect, RichText, Role, Sense, Stroke, Ui, WidgetInfo, pos2, vec2};

mod panels;

pub use panels::{
    AnalysisChrome, AnalysisPanels, AnalysisView, ConnectionWindow, connection_window,
    toolbar_buttons_ui, view_menu_ui, windows_ui,
};

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
/// label above its arrow: only the marks whose words say more than their badge, so each
/// fact is on the arrow once.
pub fn append_mark_words(job: &mut LayoutJob, marks: &[Mark], palette: &Palette) {
    for mark in marks.iter().filter(|m| m.says_more_than_badge()) {
        job.append(
            &format!("⚑ {}", mark.words),
            8.0,
            TextFormat::simple(style::bold(13.0), palette.mark_of(mark)),
        );
    }
}

const BADGE_SIZE: f32 = 11.5;
const BADGE_HEIGHT: f32 = 17.0;

/// Paint one badge with its left edge (or right edge, when `leftwards`) at `anchor.x` and
/// its top at `anchor.y`; returns its rectangle.
fn paint_badge(
    ui: &Ui,
    badge: &str,
    group: Option<MarkGroup>,
    anchor: Pos2,
    leftwards: bool,
    palette: &Palette,
) -> Rect {
    let text = palette.mark_badge_text(group);
    let galley = ui
        .painter()
        .layout_no_wrap(badge.to_string(), style::bold(BADGE_SIZE), text);
    let size = vec2(galley.size().x + 10.0, BADGE_HEIGHT);
    let min = if leftwards {
        pos2(anchor.x - size.x, anchor.y)
    } else {
        anchor
    };
    let rect = Rect::from_min_size(min, size);
    let fill = group.map_or(palette.mark, |g| palette.mark_colour(g));
    ui.painter().rect_filled(rect, 8.0, fill);
    ui.painter()
        .galley(rect.center() - galley.size() / 2.0, galley, text);
    rect
}

/// The badges of an arrow, just under it near its sender: `start` is where the arrow
/// leaves the sender, `end` where it arrives. Each badge tells its meaning on hover.
pub fn badges_ui(ui: &Ui, marks: &[Mark], packet: u32, start: Pos2, end: Pos2, palette: &Palette) {
    let leftwards = end.x < start.x;
    let step = if leftwards { -1.0 } else { 1.0 };
    let mut x = start.x + step * 26.0;
    let badged = marks
        .iter()
        .filter_map(|m| Some((m, m.badge.as_deref()?, m.flag?)));
    for (i, (mark, badge, flag)) in badged.enumerate() {
        // Follow the arrow's slope so the badge keeps the same distance under it.
        let along = ((x - start.x) / (end.x - start.x)).clamp(0.0, 1.0);
        let y = start.y + along * (end.y - start.y) + 6.0;
        let rect = paint_badge(ui, badge, mark.group(), pos2(x, y), leftwards, palette);
        let response = ui.interact(rect, Id::unique(("mark badge", packet, i)), Sense::hover());
        let name = format!("Mark {badge}: {}", mark.words);
        response.widget_info(|| WidgetInfo::labeled(Role::Label, true, &name));
        response.on_hover_text(format!(
            "{}\n\n{}",
            mark.words,
            super::lang(ui.ctx()).texts().flag_meaning(flag)
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
            palette.mark_colour(MarkGroup::Retransmission),
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
                ui.horizontal_wrapped(|ui| {
                    if let Some(badge) = &mark.badge {
                        let _ = badge_widget_ui(ui, badge, mark.group(), palette);
                    }
                    ui.label(
                        RichText::new(&mark.words)
                            .font(style::bold(15.0))
                            .color(palette.mark_of(mark)),
                    );
                });
                if let Some(flag) = mark.flag {
                    ui.label(super::lang(ui.ctx()).texts().flag_meaning(flag));
                }
                if let Some(link) = &mark.refers_to
                    && let Some(c) = frame_link_ui(ui, link)
                {
                    command = Some(c);
                }
                if let Some(flag) = mark.flag {
                    ui.label(
                        RichText::new(format!("Wireshark: tcp.analysis.{}", flag.field_name()))
                            .small()
                            .color(palette.weak_text),
                    );
                }
            }
        });
    command
}

/// "→ Go to frame 43, the ACK this one repeats" (or plain text when the frame is not in
/// this connection).
fn frame_link_ui(ui: &mut Ui, link: &FrameRef) -> Option<Command> {
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
fn badge_widget_ui(
    ui: &mut Ui,
    badge: &str,
    group: Option<MarkGroup>,
    palette: &Palette,
) -> egui::Response {
    let galley = ui.painter().layout_no_wrap(
        badge.to_string(),
        style::bold(BADGE_SIZE),
        palette.mark_badge_text(group),
    );
    let (rect, response) =
        ui.allocate_exact_size(vec2(galley.size().x + 10.0, BADGE_HEIGHT), Sense::hover());
    response.widget_info(|| WidgetInfo::labeled(Role::Label, true, badge));
    paint_badge(ui, badge, group, rect.min, false, palette);
    response
}

/// The legend: a strip along the bottom of the ladder naming each mark this connection
/// uses (`flags`, from [`Ladder::mark_flags`]), with its badge and colour (its meaning on
/// hover). It covers no arrow; the View menu hides it.
#[must_use = "apply the returned command"]
pub fn legend_strip_ui(ui: &mut Ui, flags: &[Flag], chrome: AnalysisChrome) -> Option<Command> {
    if !chrome.legend || flags.is_empty() {
        return None;
    }
    let palette = Palette::of(ui);
    let mut command = None;
    egui::Panel::bottom("marks legend")
        .resizable(false)
        .show(ui, |ui| {
            ui.add_space(2.0);
            ui.horizontal_wrapped(|ui| {
                let w = super::ui_texts(ui.ctx());
                ui.label(RichText::new(w.marks).font(style::bold(14.0)))
                    .on_hover_text(w.marks_hint);
                let lang = super::lang(ui.ctx());
                let t = lang.texts();
                for &flag in flags {
                    let group = MarkGroup::of(flag);
                    let badge = crate::ladder::marks::legend_badge(flag, lang);
                    ui.add_space(6.0);
                    badge_widget_ui(ui, &badge, Some(group), &palette)
                        .on_hover_text(t.flag_meaning(flag));
                    ui.label(
                        RichText::new(t.flag_title(flag))
                            .size(14.0)
                            .color(palette.mark_colour(group)),
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
