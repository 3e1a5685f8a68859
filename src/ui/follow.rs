//! The follow stream window: the payload of the selected connection put back together
//! ([`crate::export::follow::follow`]), the client's bytes and the server's bytes in the
//! ladder's two arrow colours, as text or as a hex dump, with gaps shown as
//! "[N bytes missing in capture]". Consecutive pieces from the same side form one turn of
//! the conversation (so a segment boundary never looks like a line break); clicking a turn
//! selects the packet that carried its first bytes.
//!
//! The turns are rendered once per connection and kept in [`FollowState`]; very long
//! streams are cut (the window says where).

use super::analysis::AnalysisView;
use super::commands::Command;
use super::style::Palette;
use crate::export::follow::{Content, follow, hex_lines, printable};
use crate::flow::Side;
use crate::i18n::{Lang, UiTexts};
use crate::ladder::packet_of_frame;
use crate::session::Session;
use crate::units::group_digits;
use egui::{Color32, FontId, RichText, Sense, Ui};

/// Payload bytes rendered as text, and as hex (a hex line holds 16 bytes in 78 characters).
const MAX_TEXT_BYTES: u64 = 512 * 1024;
const MAX_HEX_BYTES: u64 = 64 * 1024;

/// One turn of the conversation, or one gap.
#[derive(Clone, Debug)]
struct Turn {
    from_client: bool,
    first_frame: u64,
    last_frame: u64,
    /// Index in `Session::packets` of the first frame.
    packet: Option<u32>,
    offset: u32,
    bytes: Vec<u8>,
    /// A gap of this many bytes instead of data.
    missing: Option<u64>,
}

#[derive(Debug)]
struct FollowData {
    stream: u32,
    /// The language the headings and gaps were written in.
    lang: Lang,
    /// "Client 192.168.1.10:50412 → server: 91 bytes".
    headings: [String; 2],
    turns: Vec<Turn>,
    /// How many payload bytes were left out (too long to show).
    cut_text: u64,
    cut_hex: u64,
    text: Vec<String>,
    hex: Vec<String>,
}

impl FollowData {
    fn of(session: &Session, stream: u32, lang: Lang) -> FollowData {
        let w = lang.ui();
        let followed = follow(session, stream);
        let conn = session.connection(stream);
        let client = conn.map_or(Side::A, |c| c.client());
        let roles_known = conn.is_some_and(|c| c.roles_known());
        let index = |side: Side| usize::from(side == Side::B);
        let heading = |side: Side| {
            let (who, to) = match (roles_known, side == client) {
                (true, true) => (w.follow_client, w.follow_to_server),
                (true, false) => (w.follow_server, w.follow_to_client),
                (false, true) => ("A", "B"),
                (false, false) => ("B", "A"),
            };
            let endpoint = conn
                .map(|c| c.endpoint(side).to_string())
                .unwrap_or_default();
            let bytes = followed.bytes.get(index(side)).copied().unwrap_or(0);
            let missing = followed.missing.get(index(side)).copied().unwrap_or(0);
            let mut text = UiTexts::fill(
                w.follow_heading,
                &[who, &endpoint, to, &group_digits(bytes)],
            );
            if missing > 0 {
                text.push_str(&UiTexts::fill(
                    w.follow_heading_missing,
                    &[&group_digits(missing)],
                ));
            }
            text
        };
        let mut turns: Vec<Turn> = Vec::new();
        for chunk in &followed.chunks {
            let from_client = chunk.side == client;
            match &chunk.content {
                Content::Data(bytes) => {
                    if let Some(turn) = turns
                        .last_mut()
                        .filter(|t| t.from_client == from_client && t.missing.is_none())
                    {
                        turn.bytes.extend_from_slice(bytes);
                        turn.last_frame = chunk.frame;
                        continue;
                    }
                    turns.push(Turn {
                        from_client,
                        first_frame: chunk.frame,
                        last_frame: chunk.frame,
                        packet: packet_of_frame(session, stream, chunk.frame),
                        offset: chunk.offset,
                        bytes: bytes.clone(),
                        missing: None,
                    });
                }
                Content::Missing(n) => turns.push(Turn {
                    from_client,
                    first_frame: chunk.frame,
                    last_frame: chunk.frame,
                    packet: packet_of_frame(session, stream, chunk.frame),
                    offset: chunk.offset,
                    bytes: Vec::new(),
                    missing: Some(*n),
                }),
            }
        }
        let (text, cut_text) = render(&turns, MAX_TEXT_BYTES, w, |t| printable(&t.bytes));
        let (hex, cut_hex) = render(&turns, MAX_HEX_BYTES, w, |t| {
            hex_lines(&t.bytes, t.offset).join("\n")
        });
        FollowData {
            stream,
            lang,
            headings: [heading(client), heading(client.other())],
            turns,
            cut_text,
            cut_hex,
            text,
            hex,
        }
    }
}

/// Each turn's text until `budget` payload bytes are used; returns the bytes left out.
fn render(
    turns: &[Turn],
    budget: u64,
    w: &UiTexts,
    show: impl Fn(&Turn) -> String,
) -> (Vec<String>, u64) {
    let mut used = 0u64;
    let mut cut = 0u64;
    let mut out = Vec::new();
    for turn in turns {
        if let Some(n) = turn.missing {
            out.push(UiTexts::fill(w.follow_gap, &[&group_digits(n)]));
            continue;
        }
        let len = turn.bytes.len() as u64;
        if used >= budget {
            cut += len;
            continue;
        }
        if used + len > budget {
            let keep = usize::try_from(budget - used).unwrap_or(0);
            let shown = Turn {
                bytes: turn.bytes.get(..keep).unwrap_or(&turn.bytes).to_vec(),
                ..turn.clone()
            };
            out.push(show(&shown));
            cut += len - keep as u64;
            used = budget;
        } else {
            out.push(show(turn));
            used += len;
        }
    }
    (out, cut)
}

/// The follow window's own state.
#[derive(Debug, Default)]
pub struct FollowState {
    pub hex: bool,
    data: Option<FollowData>,
}

impl FollowState {
    /// Drop the reassembled stream (another connection or capture).
    pub fn forget(&mut self) {
        self.data = None;
    }
}

/// The follow stream window.
#[must_use = "apply the returned command"]
pub fn follow_window(
    ctx: &egui::Context,
    state: &mut FollowState,
    connection: Option<(&Session, u32)>,
    palette: &Palette,
) -> Option<Command> {
    let w = crate::ui::ui_texts(ctx);
    let spec = super::analysis::ConnectionWindow {
        view: AnalysisView::Follow,
        name: w.follow_window,
        pick: w.follow_pick,
        offset: egui::vec2(-280.0, 140.0),
        min_size: [360.0, 240.0],
    };
    super::analysis::connection_window(ctx, &spec, connection, |ui, session, stream| {
        let lang = crate::ui::lang(ui.ctx());
        if state
            .data
            .as_ref()
            .is_none_or(|d| d.stream != stream || d.lang != lang)
        {
            state.data = Some(FollowData::of(session, stream, lang));
        }
        let hex = &mut state.hex;
        state
            .data
            .as_ref()
            .and_then(|data| follow_ui(ui, data, hex, palette))
    })
}

fn follow_ui(ui: &mut Ui, data: &FollowData, hex: &mut bool, palette: &Palette) -> Option<Command> {
    let w = data.lang.ui();
    for (heading, colour) in data
        .headings
        .iter()
        .zip([palette.client_to_server, palette.server_to_client])
    {
        ui.label(RichText::new(format!("■ {heading}")).color(colour).strong());
    }
    ui.horizontal(|ui| {
        ui.label(w.follow_show_as);
        if ui
            .add(egui::Button::selectable(!*hex, w.follow_text))
            .on_hover_text(w.follow_text_hint)
            .clicked()
        {
            *hex = false;
        }
        if ui
            .add(egui::Button::selectable(*hex, w.follow_hex))
            .on_hover_text(w.follow_hex_hint)
            .clicked()
        {
            *hex = true;
        }
        ui.label(
            RichText::new(w.follow_click_hint)
                .small()
                .color(palette.weak_text),
        );
    });
    ui.separator();
    if data.turns.is_empty() {
        ui.label(w.follow_no_payload);
        return None;
    }
    let (pieces, cut) = if *hex {
        (&data.hex, data.cut_hex)
    } else {
        (&data.text, data.cut_text)
    };
    let mut command = None;
    let font = FontId::monospace(14.0);
    egui::ScrollArea::both()
        .id_salt(("follow", data.stream, *hex))
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for (turn, text) in data.turns.iter().zip(pieces) {
                let colour = if turn.from_client {
                    palette.client_to_server
                } else {
                    palette.server_to_client
                };
                let rich = match turn.missing {
                    Some(_) => RichText::new(text)
                        .font(font.clone())
                        .italics()
                        .color(palette.warning)
                        .background_color(tint(palette.warning, palette.dark)),
                    None => RichText::new(text)
                        .font(font.clone())
                        .color(colour)
                        .background_color(tint(colour, palette.dark)),
                };
                let frames = if turn.first_frame == turn.last_frame {
                    UiTexts::fill(w.follow_frame_one, &[&turn.first_frame.to_string()])
                } else {
                    UiTexts::fill(
                        w.follow_frames,
                        &[&turn.first_frame.to_string(), &turn.last_frame.to_string()],
                    )
                };
                let response = ui
                    .add(
                        egui::Label::new(rich)
                            .wrap_mode(if *hex {
                                egui::TextWrapMode::Extend
                            } else {
                                egui::TextWrapMode::Wrap
                            })
                            .sense(Sense::click()),
                    )
                    .on_hover_text(UiTexts::fill(
                        w.follow_piece_hint,
                        &[
                            &frames,
                            &group_digits(u64::from(turn.offset)),
                            &turn.first_frame.to_string(),
                        ],
                    ));
                if response.clicked()
                    && let Some(packet) = turn.packet
                {
                    command = Some(Command::GoToPacket(packet));
                }
            }
            if cut > 0 {
                ui.label(
                    RichText::new(UiTexts::fill(w.follow_cut, &[&group_digits(cut)]))
                        .color(palette.weak_text),
                );
            }
        });
    command
}

/// A faint background in a piece's colour.
fn tint(colour: Color32, dark: bool) -> Color32 {
    let alpha = if dark { 40 } else { 22 };
    Color32::from_rgba_unmultiplied(colour.r(), colour.g(), colour.b(), alpha)
}
