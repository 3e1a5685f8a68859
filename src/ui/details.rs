//! The details pane (right panel) for the selected packet: what it does in plain words
//! ([`crate::ladder::explain`]), the analysis marks of its arrow in the ladder model with
//! links to the frames they refer to, its header fields as a collapsible tree like Wireshark's
//! (relative and raw numbers side by side, as [`Session::packet_fields`] gives them), and
//! its bytes in hex and ASCII with the hovered or clicked field's bytes highlighted.
//! [`PacketDetails`] is built once when the selection changes; the pane keeps only which
//! field is hovered or pinned ([`DetailsState`]).

use super::commands::Command;
use super::style::{self, Palette};
use crate::decode::fields::FieldNode;
use crate::ladder::LaneSide;
use crate::session::Session;
use egui::text::{LayoutJob, TextFormat};
use egui::{Color32, FontId, RichText, Ui};
use std::ops::Range;

/// Hex dumps longer than this are cut (a 64 KiB segment is 4,096 lines).
const MAX_DUMP: usize = 4096;

/// Everything the pane shows about one packet.
#[derive(Clone, Debug)]
pub struct PacketDetails {
    /// Index into `Session::packets`.
    pub packet: u32,
    /// "Packet #2: SYN, ACK" (not the arrow's accessible name, which stays unique).
    pub title: String,
    /// "server → client · 0.032708 s".
    pub direction: String,
    /// The arrow's label.
    pub label: String,
    pub explanation: String,
    /// When it was sent and arrived (captured or estimated), or why it was lost.
    pub timing: Vec<String>,
    pub fields: Vec<FieldNode>,
    /// What Wireshark's TCP analysis flagged on this packet: its arrow's marks.
    pub marks: Vec<crate::ladder::Mark>,
    pub bytes: Option<Vec<u8>>,
    /// With both ends captured: the two copies side by side (field, at the client, at the
    /// server, changed on the way).
    pub copies: Vec<crate::ladder::two_ends::CopyRow>,
    /// Its packet comments (an instructor's notes, Wireshark's packet comments).
    pub notes: Vec<String>,
}

impl PacketDetails {
    /// The details of `packet` as `view` shows it (its language and number mode).
    /// With both ends open, `other` is the other end's capture and `packet` numbers both
    /// files (the other end's packets follow the first's).
    pub fn of(
        first: &Session,
        other: Option<&Session>,
        view: &super::canvas::LadderView,
        packet: u32,
    ) -> Option<PacketDetails> {
        let (ladder, lang) = (&view.ladder, view.lang);
        let arrow = ladder.arrow_of(packet);
        let joint = packet;
        let (session, packet) = crate::ladder::two_ends::resolve(first, other, packet)?;
        let record = session.packets.get(packet as usize)?;
        let (title, direction, label) = match arrow {
            Some(a) => {
                let (from, to) = match a.from {
                    LaneSide::Left => (ladder.lane(LaneSide::Left), ladder.lane(LaneSide::Right)),
                    LaneSide::Right => (ladder.lane(LaneSide::Right), ladder.lane(LaneSide::Left)),
                };
                (
                    format!("{}{}: {}", lang.ui().packet_number, a.frame, a.flags),
                    format!(
                        "{} {} → {} {} · {} {}",
                        from.role,
                        from.endpoint,
                        to.role,
                        to.endpoint,
                        lang.ui().detail_time,
                        a.time
                    ),
                    a.label(),
                )
            }
            None => (
                format!("{}{}", lang.ui().packet_number, record.frame()),
                String::new(),
                String::new(),
            ),
        };
        let two_ended = arrow.filter(|a| a.ends.is_some());
        let timing = match two_ended {
            Some(a) => crate::ladder::two_ends::path_sentences(a, lang),
            None => arrow
                .map(|a| crate::ladder::timing_sentences(session, ladder, a, lang))
                .unwrap_or_default(),
        };
        let copies = match (two_ended, other, &ladder.time.ends) {
            (Some(a), Some(other), Some(ends)) => {
                crate::ladder::two_ends::copies_table(first, other, ends, a, lang)
                    .unwrap_or_default()
            }
            _ => Vec::new(),
        };
        // The frame is read once, for the field tree and the hex view.
        let bytes = session.frame_bytes(record);
        let fields = bytes
            .as_deref()
            .and_then(|b| session.packet_fields_of(packet, b))
            .unwrap_or_default();
        Some(PacketDetails {
            packet: joint,
            copies,
            notes: crate::i18n::notes_in(lang, session.comments_of(record.frame())),
            title,
            direction,
            label,
            explanation: crate::ladder::explain_with(session, packet, lang, view.absolute),
            timing,
            fields,
            marks: arrow.map(|a| a.marks.clone()).unwrap_or_default(),
            bytes,
        })
    }
}

/// Which field's bytes are highlighted.
#[derive(Clone, Debug, Default)]
pub struct DetailsState {
    /// Clicked field: stays highlighted until another is clicked.
    pub pinned: Option<Range<usize>>,
    /// Hovered this frame.
    hovered: Option<Range<usize>>,
}

/// The right panel's contents.
#[must_use = "apply the returned command"]
pub fn details_ui(
    ui: &mut Ui,
    details: Option<&PacketDetails>,
    summary: Option<&super::summary::ConnectionSummary>,
    state: &mut DetailsState,
) -> Option<Command> {
    let w = super::ui_texts(ui.ctx());
    ui.heading(w.details);
    let palette = Palette::of(ui);
    let mut command = None;
    let Some(details) = details else {
        if let Some(summary) = summary {
            command = super::summary::summary_ui(ui, summary, &palette);
        }
        ui.label(RichText::new(w.details_hint).color(ui.visuals().weak_text_color()));
        return command;
    };
    egui::ScrollArea::vertical()
        .id_salt("details")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if let Some(summary) = summary {
                command = super::summary::summary_ui(ui, summary, &palette);
                ui.separator();
            }
            ui.label(RichText::new(&details.title).font(style::bold(16.0)));
            if !details.direction.is_empty() {
                ui.label(RichText::new(&details.direction).color(palette.weak_text));
            }
            for line in &details.timing {
                ui.label(RichText::new(format!("◷ {line}")).color(palette.weak_text));
            }
            if !details.label.is_empty() {
                ui.label(RichText::new(&details.label).monospace());
            }
            for note in &details.notes {
                ui.add_space(4.0);
                note_ui(ui, note, &palette);
            }
            let lang = super::lang(ui.ctx());
            let notes = lang.note_editing();
            if ui
                .small_button(format!("✎ {}", notes.add_note))
                .on_hover_text(super::actions::Action::AddNote.tooltip_with_keys(lang))
                .clicked()
            {
                command = Some(super::notes::NoteCommand::Edit(details.packet, None).into());
            }
            if !details.copies.is_empty() {
                ui.add_space(4.0);
                copies_ui(ui, &details.copies, &palette);
            }
            if !details.explanation.is_empty() {
                ui.add_space(4.0);
                explanation_ui(ui, &details.explanation, &palette);
            }
            if !details.marks.is_empty() {
                ui.add_space(4.0);
                if let Some(link) = super::analysis::packet_marks_ui(ui, &details.marks, &palette) {
                    command = Some(link);
                }
            }
            ui.add_space(6.0);
            ui.label(RichText::new(w.header_fields).font(style::bold(15.0)));
            state.hovered = None;
            for (i, node) in details.fields.iter().enumerate() {
                field_ui(ui, node, &i.to_string(), 0, state);
            }
            ui.add_space(6.0);
            ui.label(RichText::new(w.bytes).font(style::bold(15.0)));
            match &details.bytes {
                Some(bytes) => {
                    let highlight = state.hovered.clone().or_else(|| state.pinned.clone());
                    hex_ui(ui, bytes, highlight, &palette);
                }
                None => {
                    ui.label(w.bytes_unreadable);
                }
            }
        });
    command
}

/// A packet comment, framed as a note pinned to the packet.
fn note_ui(ui: &mut Ui, note: &str, palette: &Palette) {
    egui::Frame::new()
        .stroke(egui::Stroke::new(1.5, palette.mark))
        .corner_radius(6.0)
        .inner_margin(8.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(
                RichText::new(format!("✎ {}", super::ui_texts(ui.ctx()).note))
                    .font(style::bold(14.0))
                    .color(palette.mark),
            );
            ui.label(note);
        });
}

/// Both copies of the packet side by side; what the path changed is highlighted.
fn copies_ui(ui: &mut Ui, rows: &[crate::ladder::two_ends::CopyRow], palette: &Palette) {
    use crate::timeline::Sender;
    let ends = super::lang(ui.ctx()).ends();
    let changed = if palette.dark {
        Color32::from_rgb(255, 196, 90)
    } else {
        Color32::from_rgb(170, 80, 0)
    };
    // Two equal columns that wrap: the pane is narrow, addresses and options are long.
    let missing = [
        rows.iter().all(|r| r.at_client.is_empty()),
        rows.iter().all(|r| r.at_server.is_empty()),
    ];
    ui.columns(2, |cols| {
        for ((col, end), missing) in cols
            .iter_mut()
            .zip([Sender::Client, Sender::Server])
            .zip(missing)
        {
            col.label(RichText::new((ends.copy_heading)(end)).strong());
            if missing {
                col.label(RichText::new(ends.not_captured).italics().color(changed));
            }
        }
    });
    for row in rows {
        let name = if row.differs {
            RichText::new(format!("● {}", row.field))
                .color(changed)
                .small()
        } else {
            RichText::new(row.field).color(palette.weak_text).small()
        };
        ui.label(name);
        ui.columns(2, |cols| {
            for (col, value) in cols.iter_mut().zip([&row.at_client, &row.at_server]) {
                let text = RichText::new(value.as_str());
                col.label(if row.differs {
                    text.color(changed).strong()
                } else {
                    text
                });
            }
        });
    }
}

fn explanation_ui(ui: &mut Ui, text: &str, palette: &Palette) {
    let fill = if palette.dark {
        Color32::from_rgb(40, 46, 60)
    } else {
        Color32::from_rgb(255, 250, 225)
    };
    egui::Frame::new()
        .fill(fill)
        .stroke(ui.visuals().widgets.noninteractive.bg_stroke)
        .corner_radius(6.0)
        .inner_margin(8.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(
                RichText::new(super::ui_texts(ui.ctx()).what_this_packet_does)
                    .font(style::bold(14.0)),
            );
            ui.label(text);
        });
}

/// "Window: 64"; in Chinese "Window（窗口）: 64".
fn field_text(node: &FieldNode, lang: crate::i18n::Lang) -> String {
    let name = lang.field_name(&node.name);
    if node.value.is_empty() {
        name
    } else {
        format!("{name}: {}", lang.field_value(&node.value))
    }
}

fn byte_range(node: &FieldNode) -> Option<Range<usize>> {
    (node.len > 0).then(|| node.offset..node.offset + node.len)
}

fn field_ui(ui: &mut Ui, node: &FieldNode, path: &str, depth: usize, state: &mut DetailsState) {
    let range = byte_range(node);
    let lang = super::lang(ui.ctx());
    if node.children.is_empty() {
        let pinned = range.is_some() && state.pinned == range;
        let response = ui.add(egui::Button::selectable(pinned, field_text(node, lang)).wrap());
        if response.hovered() {
            state.hovered.clone_from(&range);
        }
        if response.clicked() && range.is_some() {
            state.pinned = if pinned { None } else { range };
        }
        return;
    }
    // Open the TCP layer by default: it is what this tool is about.
    let open = depth == 0 && node.name.starts_with("Transmission Control Protocol");
    // The header does not wrap its text by itself; a wide header would widen the pane.
    let width = (ui.available_width() - ui.spacing().indent - 8.0).max(80.0);
    let header = ui.painter().layout_job(LayoutJob::simple(
        field_text(node, lang),
        FontId::proportional(style::BODY_SIZE),
        Color32::PLACEHOLDER,
        width,
    ));
    let response = egui::CollapsingHeader::new(egui::WidgetText::Galley(header))
        .id_salt(("field", path))
        .default_open(open)
        .show(ui, |ui| {
            for (i, child) in node.children.iter().enumerate() {
                field_ui(ui, child, &format!("{path}.{i}"), depth + 1, state);
            }
        });
    if response.header_response.hovered() {
        state.hovered.clone_from(&range);
    }
}

/// The classic dump: offset, the bytes in hex (16 a line, or 8 in a narrow pane, in
/// groups of 8), the same bytes as ASCII.
fn hex_ui(ui: &mut Ui, bytes: &[u8], highlight: Option<Range<usize>>, palette: &Palette) {
    let font = FontId::monospace(13.0);
    let plain = TextFormat::simple(font.clone(), palette.text);
    let weak = TextFormat::simple(font.clone(), palette.weak_text);
    let marked = TextFormat {
        background: palette.selection_stroke.gamma_multiply(0.35),
        ..plain.clone()
    };
    // Characters a line takes: "0000  " + 3 per byte + a gap per group of 8 + ASCII.
    let char_width = ui
        .painter()
        .layout_no_wrap("0".to_string(), font.clone(), palette.text)
        .size()
        .x;
    let line_chars = |per_line: usize| 6 + per_line * 3 + per_line / 8 + per_line;
    let per_line = if (line_chars(16) as f32) * char_width <= ui.available_width() {
        16
    } else {
        8
    };
    let is_marked = |i: usize| highlight.as_ref().is_some_and(|r| r.contains(&i));
    let shown = bytes.get(..MAX_DUMP).unwrap_or(bytes);
    let mut job = LayoutJob::default();
    for (line, chunk) in shown.chunks(per_line).enumerate() {
        let base = line * per_line;
        if line > 0 {
            job.append("\n", 0.0, plain.clone());
        }
        job.append(&format!("{base:04x}  "), 0.0, weak.clone());
        for col in 0..per_line {
            let gap = if col > 0 && col % 8 == 0 { " " } else { "" };
            job.append(gap, 0.0, plain.clone());
            match chunk.get(col) {
                Some(b) => {
                    let i = base + col;
                    // Join the highlight across the space inside a group of 8.
                    let joined = is_marked(i) && is_marked(i + 1) && col % 8 != 7;
                    let format = if is_marked(i) { &marked } else { &plain };
                    job.append(&format!("{b:02x}"), 0.0, format.clone());
                    job.append(" ", 0.0, if joined { &marked } else { &plain }.clone());
                }
                None => job.append("   ", 0.0, plain.clone()),
            }
        }
        job.append(" ", 0.0, plain.clone());
        for (col, b) in chunk.iter().enumerate() {
            let c = if b.is_ascii_graphic() || *b == b' ' {
                char::from(*b)
            } else {
                '.'
            };
            let format = if is_marked(base + col) {
                &marked
            } else {
                &weak
            };
            job.append(&c.to_string(), 0.0, format.clone());
        }
    }
    // Its own horizontal scroll, so a narrow pane never grows to fit 16 bytes a line.
    egui::ScrollArea::horizontal()
        .id_salt("hex dump")
        .auto_shrink([false, true])
        .show(ui, |ui| {
            ui.add(egui::Label::new(job).wrap_mode(egui::TextWrapMode::Extend));
        });
    if bytes.len() > MAX_DUMP {
        ui.label(format!("… {} more bytes not shown", bytes.len() - MAX_DUMP));
    }
}
