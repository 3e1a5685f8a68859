//! The app's messages to the user: the banner for errors and warnings (a file that is not
//! a capture, a damaged one), the progress bar of a load in progress with its Cancel
//! button, the status bar (file, counts, load time, warnings), and the overlay shown while
//! a file is dragged over the window.

use super::commands::Command;
use super::loader::LoadJob;
use super::style::Palette;
use crate::i18n::UiTexts;
use crate::session::Session;
use egui::{Align2, Color32, FontId, RichText, Ui};
use std::time::Duration;

/// How serious a message is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageKind {
    Error,
    Warning,
    Info,
}

/// A message shown in a banner above the ladder until dismissed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub kind: MessageKind,
    pub title: String,
    pub lines: Vec<String>,
}

impl Message {
    /// All the text, for tests and logs.
    pub fn text(&self) -> String {
        let mut text = self.title.clone();
        for line in &self.lines {
            text.push('\n');
            text.push_str(line);
        }
        text
    }
}

/// What the status bar says about the open capture.
#[derive(Clone, Debug, Default)]
pub struct LoadSummary {
    pub name: String,
    pub frames: u64,
    pub tcp_packets: usize,
    pub connections: usize,
    pub elapsed: Duration,
    pub warnings: Vec<String>,
    /// Frames that were not TCP: UDP, ICMP, other, damaged TCP.
    pub other_counts: [u64; 4],
    /// Frames of link types the reader does not know: (link type, frames).
    pub unsupported_links: Vec<(u32, u64)>,
}

impl LoadSummary {
    pub fn of(session: &Session, elapsed: Duration) -> LoadSummary {
        let s = &session.stats;
        LoadSummary {
            name: session.name.clone(),
            frames: s.frames,
            tcp_packets: session.packets.len(),
            connections: session.connections.len(),
            elapsed,
            warnings: session.warnings.iter().map(ToString::to_string).collect(),
            other_counts: [s.udp, s.icmp, s.other, s.broken_tcp],
            unsupported_links: s.unsupported_links.iter().map(|(l, c)| (*l, *c)).collect(),
        }
    }

    /// "3 UDP, 1 ICMP" and the like: what else the capture held, in `w`'s language.
    pub fn other(&self, w: &UiTexts) -> String {
        let mut other = Vec::new();
        for (count, what) in self.other_counts.iter().zip([
            w.other_udp,
            w.other_icmp,
            w.other_other,
            w.other_damaged,
        ]) {
            if *count > 0 {
                other.push(UiTexts::fill(what, &[&count.to_string()]));
            }
        }
        for (link, count) in &self.unsupported_links {
            other.push(UiTexts::fill(
                w.other_unsupported_link,
                &[&count.to_string(), &link.to_string()],
            ));
        }
        other.join(w.list_sep)
    }
}

/// The quiet strip over the ladder on first start: how to open a capture, step through it
/// and present it. Not a modal: the ladder stays usable under it.
#[must_use = "apply the returned command"]
pub fn first_run_ui(ui: &mut Ui) -> Option<Command> {
    let palette = Palette::of(ui);
    let w = super::ui_texts(ui.ctx());
    let fill = if palette.dark {
        Color32::from_rgb(30, 45, 75)
    } else {
        Color32::from_rgb(236, 244, 255)
    };
    let mut command = None;
    egui::Frame::new()
        .fill(fill)
        .corner_radius(6.0)
        .inner_margin(egui::Margin::symmetric(10, 6))
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            egui::Sides::new().shrink_left().wrap().show(
                ui,
                |ui| {
                    ui.label(
                        egui::RichText::new(format!("ℹ {}", w.first_run_hint)).color(palette.text),
                    );
                },
                |ui| {
                    if ui
                        .small_button(w.first_run_dismiss)
                        .on_hover_text(w.first_run_dismiss_hint)
                        .clicked()
                    {
                        command = Some(Command::DismissFirstRunHint);
                    }
                },
            );
        });
    ui.add_space(4.0);
    command
}

/// The message banner.
#[must_use = "apply the returned command"]
pub fn message_ui(ui: &mut Ui, message: &Message) -> Option<Command> {
    let palette = Palette::of(ui);
    let (fill, accent) = match (message.kind, palette.dark) {
        (MessageKind::Error, false) => (Color32::from_rgb(254, 226, 226), palette.error),
        (MessageKind::Error, true) => (Color32::from_rgb(80, 30, 30), palette.error),
        (MessageKind::Warning, false) => (Color32::from_rgb(254, 243, 199), palette.warning),
        (MessageKind::Warning, true) => (Color32::from_rgb(70, 55, 15), palette.warning),
        (MessageKind::Info, false) => (Color32::from_rgb(224, 236, 255), palette.selection_stroke),
        (MessageKind::Info, true) => (Color32::from_rgb(30, 45, 75), palette.selection_stroke),
    };
    let mut command = None;
    egui::Frame::new()
        .fill(fill)
        .stroke(egui::Stroke::new(1.5, accent))
        .corner_radius(6.0)
        .inner_margin(10.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            let icon = match message.kind {
                MessageKind::Error => "✖",
                MessageKind::Warning => "⚠",
                MessageKind::Info => "ℹ",
            };
            let mut title = egui::text::LayoutJob::default();
            let format = |font: FontId, color: Color32| egui::TextFormat::simple(font, color);
            title.append(icon, 0.0, format(FontId::proportional(18.0), accent));
            title.append(
                &message.title,
                8.0,
                format(super::style::bold(15.0), palette.text),
            );
            // The title wraps; the button keeps its place on the right.
            egui::Sides::new().shrink_left().wrap().show(
                ui,
                |ui| {
                    ui.label(title);
                },
                |ui| {
                    if ui
                        .button(super::ui_texts(ui.ctx()).dismiss)
                        .on_hover_text(super::ui_texts(ui.ctx()).dismiss_hint)
                        .clicked()
                    {
                        command = Some(Command::DismissMessage);
                    }
                },
            );
            for line in &message.lines {
                ui.label(RichText::new(line).color(palette.text));
            }
        });
    command
}

/// The progress bar and Cancel button of a load in progress.
#[must_use = "apply the returned command"]
pub fn loading_ui(ui: &mut Ui, job: &LoadJob) -> Option<Command> {
    let mut command = None;
    let progress = job.progress();
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal(|ui| {
            let w = super::ui_texts(ui.ctx());
            let verb = if job.is_cancelling() {
                w.cancelling
            } else {
                w.loading
            };
            ui.label(RichText::new(format!("{verb} {}…", job.name())).strong());
            let text = match progress.fraction() {
                Some(_) => UiTexts::fill(
                    w.progress_of,
                    &[
                        &crate::units::human_bytes(progress.read),
                        &crate::units::human_bytes(progress.total),
                    ],
                ),
                None => UiTexts::fill(
                    w.progress_read,
                    &[&crate::units::human_bytes(progress.read)],
                ),
            };
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .add_enabled(
                        !job.is_cancelling(),
                        egui::Button::new(super::ui_texts(ui.ctx()).cancel),
                    )
                    .on_hover_text(super::ui_texts(ui.ctx()).cancel_hint)
                    .clicked()
                {
                    command = Some(Command::CancelLoad);
                }
                let bar = egui::ProgressBar::new(progress.fraction().unwrap_or(0.0))
                    .text(text)
                    .animate(progress.fraction().is_none());
                ui.add(bar);
            });
        });
    });
    command
}

/// The bottom line.
/// `notes`: the notes' state (not saved: a warning; or the last save).
pub fn status_bar_ui(ui: &mut Ui, summary: Option<&LoadSummary>, notes: &Option<(String, bool)>) {
    let palette = Palette::of(ui);
    ui.horizontal(|ui| {
        let Some(s) = summary else {
            ui.label(super::ui_texts(ui.ctx()).status_no_capture);
            return;
        };
        ui.label(RichText::new(&s.name).strong());
        let w = super::ui_texts(ui.ctx());
        let took = if s.elapsed.as_secs_f64() < 0.001 {
            w.under_1_ms.to_string()
        } else {
            crate::units::human_duration(s.elapsed.as_secs_f64())
        };
        ui.label((w.status_counts)(
            s.frames,
            s.tcp_packets,
            s.connections,
            &took,
        ));
        let other = s.other(w);
        if !other.is_empty() {
            ui.label(RichText::new(format!("· {} {other}", w.not_shown)).color(palette.weak_text));
        }
        if !s.warnings.is_empty() {
            let text = format!("⚠ {}", (w.warnings)(s.warnings.len()));
            ui.label(RichText::new(text).color(palette.warning))
                .on_hover_text(s.warnings.join("\n"));
        }
        if let Some((line, unsaved)) = notes {
            let text = RichText::new(format!("· {line}"));
            ui.label(if *unsaved {
                text.color(palette.warning)
            } else {
                text.color(palette.weak_text)
            });
        }
    });
}

/// Dim the window and say what will open while a file is dragged over it.
pub fn drop_overlay(ui: &Ui, names: &[String]) {
    if names.is_empty() {
        return;
    }
    let ctx = ui.ctx();
    let painter = ctx.layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::unique("drop overlay"),
    ));
    let rect = ctx.content_rect();
    painter.rect_filled(rect, 0.0, Color32::from_black_alpha(170));
    let w = super::ui_texts(ctx);
    let text = match names {
        [one] => UiTexts::fill(w.drop_to_open, &[one]),
        [first, ..] => UiTexts::fill(w.drop_to_open_first, &[first]),
        [] => String::new(),
    };
    painter.text(
        rect.center(),
        Align2::CENTER_CENTER,
        text,
        FontId::proportional(28.0),
        Color32::WHITE,
    );
}
