//! The connection list (left panel): one card per TCP connection with its stream number,
//! Zeek-style state (plain words on hover), client → server, packet and byte counts,
//! duration, and how it opened and closed. Sorted by clicking a column name, narrowed by a
//! filter box (address, port, state, open or close kind). The rows are computed once per
//! session from [`FlowRow`]; only the visible cards are laid out, so captures with many
//! thousands of connections stay smooth. Clicking a card returns
//! [`Command::SelectConnection`].

use super::commands::Command;
use super::style::{self, Palette};
use crate::export::tables::FlowRow;
use crate::session::Session;
use crate::units::{group_digits, human_bytes, human_duration};
use egui::text::{LayoutJob, TextFormat};
use egui::{Align2, FontId, Rect, Role, Sense, Stroke, StrokeKind, Ui, WidgetInfo, vec2};
use std::cmp::Ordering;

const CARD_HEIGHT: f32 = 88.0;

/// One connection as the list shows it.
#[derive(Clone, Debug)]
pub struct ConnectionRow {
    pub stream: u32,
    pub client: String,
    pub server: String,
    pub roles_known: bool,
    pub packets: u64,
    pub bytes: u64,
    pub duration: f64,
    pub state_code: String,
    pub state_words: &'static str,
    pub open: String,
    pub close: String,
    /// The client's and the server's last state (A's and B's when roles are unknown).
    pub final_states: [String; 2],
    /// Lower-case text the filter searches.
    search: String,
}

impl ConnectionRow {
    pub fn of(conn: &crate::flow::Connection, lang: crate::i18n::Lang) -> ConnectionRow {
        use crate::ladder::phases::{Phase, band_title};
        let t = lang.texts();
        let mut row = FlowRow::of(conn);
        let conn_state = conn.summary().conn_state;
        let state_words = t.conn_state(conn_state);
        row.open = band_title(conn, Phase::Open, t);
        row.close = band_title(conn, Phase::Close, t);
        let final_states = [conn.client(), conn.server()].map(|side| conn.observer().state(side));
        // The filter finds what the card and its tooltip say, in either language (a
        // student may type "TIME-WAIT" or "时间等待"), plus the Zeek history.
        let mut search = format!(
            "#{} {} {} {} {}",
            row.stream, row.client, row.server, row.conn_state, row.history
        );
        for other in crate::i18n::Lang::ALL {
            let t = other.texts();
            search.push_str(&format!(
                " {} {} {}",
                t.conn_state(conn_state),
                band_title(conn, Phase::Open, t),
                band_title(conn, Phase::Close, t)
            ));
            for state in final_states {
                search.push_str(&format!(" {state} {}", t.state(state)));
            }
        }
        let search = search.to_lowercase();
        ConnectionRow {
            stream: row.stream,
            client: row.client,
            server: row.server,
            roles_known: row.roles_known,
            packets: row.packets_client_to_server + row.packets_server_to_client,
            bytes: row.bytes_client_to_server + row.bytes_server_to_client,
            duration: row.duration,
            state_code: row.conn_state,
            state_words,
            open: row.open,
            close: row.close,
            final_states: final_states.map(|s| t.state(s)),
            search,
        }
    }

    /// The accessible name of the card.
    pub fn accessible_name(&self) -> String {
        format!(
            "Connection {}: {} → {}, {}",
            self.stream, self.client, self.server, self.state_code
        )
    }

    fn matches(&self, filter: &str) -> bool {
        filter
            .split_whitespace()
            .all(|token| self.search.contains(&token.to_lowercase()))
    }
}

/// What the list can be sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    Stream,
    Packets,
    Bytes,
    Duration,
    State,
}

impl SortKey {
    const ALL: [SortKey; 5] = [
        SortKey::Stream,
        SortKey::Packets,
        SortKey::Bytes,
        SortKey::Duration,
        SortKey::State,
    ];

    fn title(self, w: &crate::i18n::UiTexts) -> &'static str {
        match self {
            SortKey::Stream => "#",
            SortKey::Packets => w.sort_packets,
            SortKey::Bytes => w.sort_bytes,
            SortKey::Duration => w.sort_time,
            SortKey::State => w.sort_state,
        }
    }

    /// "Sort by packet count" in `w`'s language, for the tooltip.
    fn hint(self, w: &crate::i18n::UiTexts) -> &'static str {
        let [stream, packets, bytes, duration, state] = w.sort_hints;
        match self {
            SortKey::Stream => stream,
            SortKey::Packets => packets,
            SortKey::Bytes => bytes,
            SortKey::Duration => duration,
            SortKey::State => state,
        }
    }

    /// In English: part of the sort button's accessible name, which tests rely on.
    fn words(self) -> &'static str {
        match self {
            SortKey::Stream => "stream number (order of appearance)",
            SortKey::Packets => "packet count",
            SortKey::Bytes => "payload bytes",
            SortKey::Duration => "duration",
            SortKey::State => "connection state",
        }
    }

    fn compare(self, a: &ConnectionRow, b: &ConnectionRow) -> Ordering {
        match self {
            SortKey::Stream => a.stream.cmp(&b.stream),
            SortKey::Packets => a.packets.cmp(&b.packets),
            SortKey::Bytes => a.bytes.cmp(&b.bytes),
            SortKey::Duration => a.duration.total_cmp(&b.duration),
            SortKey::State => a.state_code.cmp(&b.state_code),
        }
        .then(a.stream.cmp(&b.stream))
    }
}

/// The list's rows and its own view state (filter, sort order).
#[derive(Clone, Debug)]
pub struct ConnectionList {
    rows: Vec<ConnectionRow>,
    pub filter: String,
    pub sort: SortKey,
    pub descending: bool,
    /// Indices into `rows`, filtered and sorted; rebuilt when `shown_for` is stale.
    shown: Vec<usize>,
    shown_for: Option<(String, SortKey, bool)>,
    /// A capture is open (an empty list then means it has no TCP).
    has_session: bool,
}

impl Default for ConnectionList {
    fn default() -> Self {
        ConnectionList {
            rows: Vec::new(),
            filter: String::new(),
            sort: SortKey::Stream,
            descending: false,
            shown: Vec::new(),
            shown_for: None,
            has_session: false,
        }
    }
}

impl ConnectionList {
    pub fn new(session: &Session, lang: crate::i18n::Lang) -> ConnectionList {
        ConnectionList {
            rows: session
                .connections
                .iter()
                .map(|c| ConnectionRow::of(c, lang))
                .collect(),
            has_session: true,
            ..ConnectionList::default()
        }
    }

    /// Say the rows again in another language, keeping the sort and the filter.
    pub fn relabel(&mut self, session: &Session, lang: crate::i18n::Lang) {
        self.rows = session
            .connections
            .iter()
            .map(|c| ConnectionRow::of(c, lang))
            .collect();
        self.shown_for = None;
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Rows that pass the filter, in display order.
    pub fn shown(&mut self) -> &[usize] {
        let key = (self.filter.clone(), self.sort, self.descending);
        if self.shown_for.as_ref() != Some(&key) {
            let mut shown: Vec<usize> = self
                .rows
                .iter()
                .enumerate()
                .filter(|(_, r)| r.matches(&self.filter))
                .map(|(i, _)| i)
                .collect();
            let rows = &self.rows;
            shown.sort_by(|&a, &b| match (rows.get(a), rows.get(b)) {
                (Some(a), Some(b)) => {
                    let order = self.sort.compare(a, b);
                    if self.descending {
                        order.reverse()
                    } else {
                        order
                    }
                }
                _ => Ordering::Equal,
            });
            self.shown = shown;
            self.shown_for = Some(key);
        }
        &self.shown
    }

    fn click_sort(&mut self, key: SortKey) {
        if self.sort == key {
            self.descending = !self.descending;
        } else {
            self.sort = key;
            // Big numbers first is what one looks for; streams and states read in order.
            self.descending = matches!(key, SortKey::Packets | SortKey::Bytes | SortKey::Duration);
        }
    }
}

/// The left panel's contents.
#[must_use = "apply the returned command"]
pub fn connections_ui(
    ui: &mut Ui,
    list: &mut ConnectionList,
    selected: Option<u32>,
) -> Option<Command> {
    let mut command = None;
    let w = super::ui_texts(ui.ctx());
    ui.horizontal(|ui| {
        ui.heading(w.connections);
        ui.label(
            egui::RichText::new(format!("{}", list.len())).color(ui.visuals().weak_text_color()),
        );
    });
    ui.horizontal(|ui| {
        let label = ui.label(w.filter);
        let clear_button = if list.filter.is_empty() { 0.0 } else { 32.0 };
        let edit = egui::TextEdit::singleline(&mut list.filter)
            .hint_text(w.filter_placeholder)
            .desired_width((ui.available_width() - clear_button).max(60.0));
        ui.add(edit)
            .labelled_by(label.id)
            .on_hover_text(w.filter_hint);
        if !list.filter.is_empty() && ui.small_button("✕").on_hover_text(w.clear_filter).clicked()
        {
            list.filter.clear();
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        for key in SortKey::ALL {
            let active = list.sort == key;
            let text = if active {
                format!(
                    "{} {}",
                    key.title(w),
                    if list.descending { "▼" } else { "▲" }
                )
            } else {
                key.title(w).to_string()
            };
            let button = ui
                .add(egui::Button::selectable(
                    active,
                    egui::RichText::new(text).small(),
                ))
                .on_hover_text(key.hint(w));
            let order = match (active, list.descending) {
                (false, _) => "",
                (true, false) => ", ascending",
                (true, true) => ", descending",
            };
            let name = format!("Sort by {}{order}", key.words());
            let clicked = super::spoken_name(&button, &name).clicked();
            if clicked {
                list.click_sort(key);
            }
        }
    });
    ui.separator();

    let total = list.len();
    let shown = list.shown().to_vec();
    if shown.is_empty() {
        let text = if !list.has_session {
            w.no_capture_open
        } else if total == 0 {
            w.no_tcp_connections
        } else {
            w.no_filter_match
        };
        ui.label(egui::RichText::new(text).italics());
        return None;
    }
    let palette = Palette::of(ui);
    egui::ScrollArea::vertical()
        .id_salt("connection list")
        .auto_shrink([false, false])
        .show_rows(ui, CARD_HEIGHT, shown.len(), |ui, range| {
            for &row_index in shown.get(range).unwrap_or(&[]) {
                let Some(row) = list.rows.get(row_index) else {
                    continue;
                };
                if let Some(c) = card_ui(ui, row, selected == Some(row.stream), &palette) {
                    command = Some(c);
                }
            }
        });
    if shown.len() < total {
        ui.label(crate::i18n::UiTexts::fill(
            crate::ui::ui_texts(ui.ctx()).conn_shown,
            &[&shown.len().to_string(), &total.to_string()],
        ));
    }
    command
}

fn card_ui(ui: &mut Ui, row: &ConnectionRow, selected: bool, palette: &Palette) -> Option<Command> {
    let width = ui.available_width();
    let (rect, response) = ui.allocate_exact_size(vec2(width, CARD_HEIGHT), Sense::click());
    response
        .widget_info(|| WidgetInfo::selected(Role::Button, true, selected, row.accessible_name()));
    let rect = rect.shrink2(vec2(0.0, 2.0));
    if ui.is_rect_visible(rect) {
        let painter = ui.painter_at(rect);
        let visuals = ui.visuals();
        if selected {
            painter.rect_filled(rect, 6.0, palette.selection_fill);
            painter.rect_stroke(
                rect,
                6.0,
                Stroke::new(1.5, palette.selection_stroke),
                StrokeKind::Inside,
            );
        } else if response.hovered() {
            painter.rect_filled(rect, 6.0, palette.hover_fill);
        } else {
            painter.rect_stroke(
                rect,
                6.0,
                visuals.widgets.noninteractive.bg_stroke,
                StrokeKind::Inside,
            );
        }
        let inner = rect.shrink2(vec2(8.0, 5.0));
        let line = |i: f32| inner.top() + i * 20.0;
        // Line 1: stream number, state chip, counts.
        let number = painter.text(
            egui::pos2(inner.left(), line(0.0)),
            Align2::LEFT_TOP,
            format!("#{}", row.stream),
            style::bold(15.0),
            palette.text,
        );
        let chip_font = style::bold(13.0);
        let chip_galley = painter.layout_no_wrap(row.state_code.clone(), chip_font, palette.text);
        let chip_rect = Rect::from_min_size(
            egui::pos2(number.right() + 8.0, line(0.0)),
            chip_galley.size() + vec2(10.0, 2.0),
        );
        let state_colour = state_chip_colour(&row.state_code, palette);
        painter.rect_filled(chip_rect, 4.0, state_colour);
        painter.galley(chip_rect.min + vec2(5.0, 1.0), chip_galley, palette.text);
        let counts = format!(
            "{} {} · {} · {}",
            group_digits(row.packets),
            super::ui_texts(ui.ctx()).pkts,
            human_bytes(row.bytes),
            human_duration(row.duration)
        );
        // Right-aligned after the chip, cut if the panel is narrow.
        let room = inner.right() - chip_rect.right() - 8.0;
        let counts = elided(
            ui,
            counts,
            FontId::proportional(13.5),
            palette.weak_text,
            room,
        );
        let counts_pos = egui::pos2(inner.right() - counts.size().x, line(0.0) + 1.0);
        painter.galley(counts_pos, counts, palette.weak_text);
        // Lines 2 and 3: the endpoints, one a line, so whole addresses and ports show.
        let (first, second) = if row.roles_known {
            (format!("{} →", row.client), row.server.clone())
        } else {
            (format!("A {} ⇄", row.client), format!("B {}", row.server))
        };
        let font = FontId::proportional(14.0);
        let first = elided(ui, first, font.clone(), palette.text, inner.width());
        painter.galley(egui::pos2(inner.left(), line(1.0)), first, palette.text);
        let second = elided(ui, second, font, palette.text, inner.width() - 16.0);
        painter.galley(
            egui::pos2(inner.left() + 16.0, line(2.0)),
            second,
            palette.text,
        );
        // Line 4: how it opened and closed.
        let life = elided(
            ui,
            format!("{} · {}", row.open, row.close),
            FontId::proportional(12.5),
            palette.weak_text,
            inner.width(),
        );
        painter.galley(egui::pos2(inner.left(), line(3.0)), life, palette.weak_text);

        // The state chip explains itself.
        let chip = ui.interact(chip_rect, response.id.with("state"), Sense::hover());
        chip.on_hover_text(format!("{}: {}", row.state_code, row.state_words));
    }
    let w = crate::ui::ui_texts(ui.ctx());
    let [client_state, server_state] = &row.final_states;
    let response = response.on_hover_text_at_pointer(
        crate::i18n::UiTexts::fill(
            w.conn_tooltip,
            &[
                &row.stream.to_string(),
                if row.roles_known {
                    w.follow_client
                } else {
                    "A"
                },
                &row.client,
                if row.roles_known {
                    w.follow_server
                } else {
                    "B"
                },
                &row.server,
                &row.state_code,
                row.state_words,
                &row.open,
                &row.close,
            ],
        ) + "\n"
            + &crate::i18n::UiTexts::fill(
                w.conn_final_states,
                &[
                    if row.roles_known {
                        w.follow_client
                    } else {
                        "A"
                    },
                    client_state,
                    if row.roles_known {
                        w.follow_server
                    } else {
                        "B"
                    },
                    server_state,
                ],
            ),
    );
    response
        .clicked()
        .then_some(Command::SelectConnection(row.stream))
}

fn state_chip_colour(code: &str, palette: &Palette) -> egui::Color32 {
    use crate::flow::TcpState;
    // Borrow the state-box colours: normal life green, rejected/reset red-ish, others grey.
    let state = match code {
        "SF" => TcpState::Established,
        "S1" | "S2" | "S3" => TcpState::SynReceived,
        "REJ" | "RSTO" | "RSTR" | "RSTOS0" | "RSTRH" => TcpState::FinWait1,
        _ => TcpState::Closed,
    };
    palette.state(state).0
}

/// One line of text, cut with "…" when wider than `width`.
fn elided(
    ui: &Ui,
    text: String,
    font: FontId,
    color: egui::Color32,
    width: f32,
) -> std::sync::Arc<egui::Galley> {
    let mut job = LayoutJob::single_section(text, TextFormat::simple(font, color));
    job.wrap.max_width = width;
    job.wrap.max_rows = 1;
    job.wrap.break_anywhere = true;
    ui.painter().layout_job(job)
}
