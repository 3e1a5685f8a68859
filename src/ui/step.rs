//! Step mode: the ladder of one connection revealed one row at a time, for an instructor
//! who explains each packet as it appears.
//!
//! [`Stepper`] keeps how many rows are revealed and what of the ladder that shows
//! ([`Revealed`]: the canvas draws the whole ladder up to that row; no copy is made).
//! Where each endpoint stands now and which transitions the newest packet caused come
//! from the ladder's [`StateTable`], replayed once per layout ([`crate::ladder::steps`]);
//! the lane headers, the step panel and the state diagram all read the resulting
//! [`LaneStates`]. The newest arrow travels from sender to receiver for
//! [`TRAVEL_SECONDS`] (in the time view, in proportion to its scaled delay: a long
//! round trip takes visibly longer); the receiver's state changes when it arrives.
//! [`step_panel_ui`] is the panel beside the ladder with the newest packet explained in
//! large type.

use super::canvas::{LadderView, Revealed};
use super::classroom::ClassroomCommand;
use super::commands::{Command, StepTo};
use super::spoken_name;
use super::style::{self, Palette};
use crate::flow::TcpState;
use crate::ladder::{Band, Ladder, LaneSide, LaneStates, Mark, Row, StateTable};
use crate::session::Session;
use egui::{RichText, Ui};

/// How long the newest arrow takes to cross, in seconds.
pub const TRAVEL_SECONDS: f64 = 0.4;

fn other(side: LaneSide) -> LaneSide {
    match side {
        LaneSide::Left => LaneSide::Right,
        LaneSide::Right => LaneSide::Left,
    }
}

/// What step mode and presentation mode change on the canvas.
#[derive(Clone, Debug, PartialEq)]
pub struct Stage {
    /// Step mode: each lane's state now, shown under its header.
    pub now: Option<[TcpState; 2]>,
    /// The newest packet in step mode and how far its arrow has travelled (0..=1).
    pub travelling: Option<(u32, f32)>,
    /// Stroke widths are multiplied by this (thick arrows for projectors).
    pub emphasis: f32,
    /// Leave out what is said once for reading at a desk (the note under the title), to
    /// keep rows on a projector's short screen.
    pub compact: bool,
    /// The socket lab: the kernel's own state of each lane's socket.
    pub kernel: Option<[super::live::KernelLane; 2]>,
    /// Step mode: the part of the ladder revealed (None: all of it).
    pub revealed: Option<Revealed>,
}

impl Default for Stage {
    fn default() -> Self {
        Stage {
            now: None,
            travelling: None,
            emphasis: 1.0,
            compact: false,
            kernel: None,
            revealed: None,
        }
    }
}

/// The newest revealed packet, as the step panel shows it.
#[derive(Clone, Debug)]
pub struct StepCard {
    pub packet: u32,
    pub frame: u64,
    pub from: LaneSide,
    pub flags: String,
    pub detail: String,
    pub marks: Vec<Mark>,
    pub time: String,
    pub explanation: String,
    /// The packet's notes (pcapng packet comments).
    pub notes: Vec<String>,
}

/// Step mode's state: the connection, how many rows are shown and what of the ladder
/// that shows, and each lane's state after every row.
#[derive(Clone, Debug)]
pub struct Stepper {
    stream: u32,
    revealed: usize,
    total: usize,
    /// What of the whole ladder is shown.
    shown: Revealed,
    /// Each lane's state after every number of rows, replayed once per layout.
    table: StateTable,
    states: LaneStates,
    card: Option<StepCard>,
    /// When the newest row was revealed (egui time); `None` when it should not travel
    /// (stepping back, jumping to the end).
    revealed_at: Option<f64>,
    /// How long the newest arrow takes to cross, in seconds.
    travel_seconds: f64,
    /// Predict mode: a phase band still going on gets its plain name only (its full title
    /// would tell what is still to come: the close's kind and who closed first, the
    /// bytes each side will send).
    plain_titles: bool,
}

impl Stepper {
    /// Step mode over `full`, starting before its first packet.
    pub fn new(session: &Session, full: &LadderView) -> Stepper {
        let table = StateTable::of(&full.ladder);
        let mut stepper = Stepper {
            stream: full.ladder.stream,
            revealed: usize::MAX,
            total: full.ladder.rows.len(),
            shown: full.revealed(0, false),
            states: table.after(&full.ladder, 0),
            table,
            card: None,
            revealed_at: None,
            travel_seconds: TRAVEL_SECONDS,
            plain_titles: false,
        };
        stepper.show(session, full, 0, None);
        stepper
    }

    /// Predict mode on or off: bands still going on get their plain names, or their
    /// full titles back.
    pub fn set_plain_titles(&mut self, session: &Session, full: &LadderView, plain: bool) {
        if self.plain_titles != plain {
            self.plain_titles = plain;
            let revealed = self.revealed;
            self.revealed = usize::MAX;
            self.show(session, full, revealed, None);
        }
    }

    /// The ladder was laid out again (numbers, expanded runs, another connection).
    pub fn relayout(&mut self, session: &Session, full: &LadderView) {
        if full.ladder.stream != self.stream {
            *self = Stepper::new(session, full);
            return;
        }
        self.total = full.ladder.rows.len();
        self.table = StateTable::of(&full.ladder);
        let revealed = self.revealed.min(self.total);
        self.revealed = usize::MAX;
        self.show(session, full, revealed, None);
    }

    /// Reveal or hide rows; the newest row travels when it is new.
    pub fn step(&mut self, session: &Session, full: &LadderView, to: StepTo, time: f64) {
        let target = match to {
            StepTo::First => 0,
            StepTo::Last => self.total,
            StepTo::Next => (self.revealed + 1).min(self.total),
            StepTo::Previous => self.revealed.saturating_sub(1),
        };
        let travel = (to == StepTo::Next).then_some(time);
        self.show(session, full, target, travel);
    }

    /// Reveal up to and including `packet`'s row (a click on an arrow).
    pub fn reveal_packet(&mut self, session: &Session, full: &LadderView, packet: u32) {
        if let Some(row) = full.ladder.row_of_packet(packet) {
            self.show(session, full, row + 1, None);
        }
    }

    fn show(&mut self, session: &Session, full: &LadderView, revealed: usize, travel: Option<f64>) {
        if revealed == self.revealed {
            return;
        }
        self.revealed = revealed;
        self.revealed_at = travel;
        self.shown = full.revealed(revealed, self.plain_titles);
        // In the time view the arrow's height is its delay: it crosses in proportion.
        self.travel_seconds = revealed
            .checked_sub(1)
            .and_then(|newest| full.rows.place(newest))
            .filter(|_| full.rows.is_time())
            .map_or(TRAVEL_SECONDS, |p| {
                (TRAVEL_SECONDS * f64::from((p.end - p.start) / super::canvas::ROW_HEIGHT))
                    .clamp(0.25, 3.0)
            });
        self.states = self.table.after(&full.ladder, revealed);
        self.card = revealed
            .checked_sub(1)
            .and_then(|newest| full.ladder.rows.get(newest))
            .and_then(|row| match row {
                Row::Packet(arrow) => Some(StepCard {
                    packet: arrow.packet,
                    frame: arrow.frame,
                    from: arrow.from,
                    flags: arrow.flags.clone(),
                    detail: arrow.detail.clone(),
                    marks: arrow.marks.clone(),
                    time: arrow.time.clone(),
                    notes: crate::i18n::notes_in(full.ladder.lang, &arrow.notes),
                    explanation: {
                        let mut text = crate::ladder::explain_with(
                            session,
                            arrow.packet,
                            full.lang,
                            full.absolute,
                        );
                        // Both ends: when each end saw it, or that one did not, and what
                        // the path changed.
                        for sentence in crate::ladder::two_ends::path_sentences(arrow, full.lang) {
                            if !text.is_empty() {
                                text.push(' ');
                            }
                            text.push_str(&sentence);
                        }
                        // How we know it was lost, and how long a timeout made it wait.
                        if arrow.ends.is_none()
                            && (arrow.timing.lost.is_some() || arrow.timing.waited.is_some())
                        {
                            let timing = crate::ladder::timing_sentences(
                                session,
                                &full.ladder,
                                arrow,
                                full.lang,
                            );
                            for sentence in timing.iter().skip(1) {
                                text.push(' ');
                                text.push_str(sentence);
                            }
                        }
                        text
                    },
                }),
                Row::Collapsed { .. } | Row::Unseen(_) => None,
            });
    }

    /// The connection stepped through.
    pub fn stream(&self) -> u32 {
        self.stream
    }

    /// What of the ladder is shown.
    pub fn shown(&self) -> &Revealed {
        &self.shown
    }

    /// The phase bands that have begun, as shown (cut at the newest row; in predict
    /// mode those still going on named by their phase only).
    pub fn bands(&self) -> impl Iterator<Item = &Band> {
        self.shown.bands()
    }

    /// Rows revealed (0: only the initial states).
    pub fn revealed(&self) -> usize {
        self.revealed
    }

    pub fn total(&self) -> usize {
        self.total
    }

    /// The newest revealed packet: the selection in step mode.
    pub fn newest_packet(&self) -> Option<u32> {
        self.card.as_ref().map(|c| c.packet)
    }

    pub fn card(&self) -> Option<&StepCard> {
        self.card.as_ref()
    }

    /// How far the newest arrow has travelled at `time` (1 when it has arrived).
    pub fn progress(&self, time: f64, animate: bool) -> f32 {
        match self.revealed_at {
            Some(at) if animate && self.card.is_some() => {
                ((time - at) / self.travel_seconds).clamp(0.0, 1.0) as f32
            }
            _ => 1.0,
        }
    }

    /// The lane states as shown at `progress`.
    pub fn states(&self, progress: f32) -> LaneStates {
        match &self.card {
            Some(card) if progress < 1.0 => self.states.in_flight(other(card.from)),
            _ => self.states.clone(),
        }
    }

    /// What the canvas changes for step mode at `progress`.
    pub fn stage(&self, progress: f32, emphasis: f32, compact: bool) -> Stage {
        Stage {
            now: Some(self.states(progress).now),
            travelling: self
                .card
                .as_ref()
                .filter(|_| progress < 1.0)
                .map(|c| (c.packet, progress)),
            emphasis,
            compact,
            kernel: None,
            revealed: Some(self.shown.clone()),
        }
    }
}

/// The step panel: the controls, then `above_card` (predict mode's question or its
/// feedback; it returns `true` while the next packet waits for an answer, and the card
/// then gives it the room), then the newest packet explained in large type, then each
/// endpoint's state.
#[must_use = "apply the returned command"]
pub fn step_panel_ui(
    ui: &mut Ui,
    stepper: &Stepper,
    ladder: &Ladder,
    states: &LaneStates,
    above_card: &mut dyn FnMut(&mut Ui) -> (Option<Command>, bool),
) -> Option<Command> {
    let palette = Palette::of(ui);
    let w = super::ui_texts(ui.ctx());
    let mut command = None;
    // The count and the buttons share the row while they fit; the buttons wrap under
    // the count rather than overlap it.
    egui::Sides::new().shrink_left().wrap().show(
        ui,
        |ui| {
            ui.label(
                RichText::new(format!(
                    "{} {} / {}",
                    w.step, stepper.revealed, stepper.total
                ))
                .font(style::bold(20.0)),
            );
        },
        |ui| {
            let at_end = stepper.revealed >= stepper.total;
            let at_start = stepper.revealed == 0;
            for (symbol, name, hint, to, enabled) in [
                ("▶|", w.last, w.last_hint, StepTo::Last, !at_end),
                ("▶", w.next, w.next_hint, StepTo::Next, !at_end),
                (
                    "◀",
                    w.previous,
                    w.previous_hint,
                    StepTo::Previous,
                    !at_start,
                ),
                ("|◀", w.first, w.first_hint, StepTo::First, !at_start),
            ] {
                let button = ui
                    .add_enabled(
                        enabled,
                        egui::Button::new(RichText::new(symbol).font(style::bold(20.0))),
                    )
                    .on_hover_text(hint);
                if spoken_name(&button, name).clicked() {
                    command = Some(Command::Classroom(ClassroomCommand::Reveal(to)));
                }
            }
        },
    );
    ui.separator();
    let (asked, waiting) = above_card(ui);
    if asked.is_some() {
        command = asked;
    }
    if waiting {
        return command;
    }

    let card = egui::ScrollArea::vertical()
        .id_salt("step panel")
        .auto_shrink([false, false])
        .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysVisible)
        .show(ui, |ui| match stepper.card() {
            Some(card) => {
                let colour = palette.direction(card.from);
                let (from, to) = (ladder.lane(card.from), ladder.lane(other(card.from)));
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        RichText::new(&card.flags)
                            .font(style::bold(28.0))
                            .color(colour),
                    );
                    ui.label(
                        RichText::new(format!(
                            "#{}  {} → {}   {}",
                            card.frame, from.role, to.role, card.time
                        ))
                        .font(style::bold(15.0))
                        .color(colour),
                    );
                });
                ui.label(RichText::new(&card.detail).size(17.0).color(palette.text));
                for mark in &card.marks {
                    ui.label(
                        RichText::new(format!("⚑ {}", mark.words))
                            .font(style::bold(17.0))
                            .color(palette.mark_of(mark)),
                    );
                }
                ui.add_space(6.0);
                ui.label(
                    RichText::new(&card.explanation)
                        .size(18.0)
                        .color(palette.text),
                );
                // The instructor's own words on this packet, under the explanation.
                for note in &card.notes {
                    ui.add_space(4.0);
                    ui.label(
                        RichText::new(format!("✎ {note}"))
                            .size(18.0)
                            .italics()
                            .color(palette.mark),
                    );
                }
            }
            None if stepper.revealed == 0 => {
                ui.label(RichText::new(w.nothing_yet).font(style::bold(24.0)));
                for side in [LaneSide::Left, LaneSide::Right] {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(
                            RichText::new(&ladder.lane(side).role)
                                .font(style::bold(18.0))
                                .color(palette.direction(side)),
                        );
                        ui.label(RichText::new(w.starts_in).size(18.0));
                        state_chip_ui(ui, states.of(side), &palette);
                    });
                }
                ui.add_space(6.0);
                ui.label(RichText::new(w.press_next).size(20.0));
            }
            None => {
                ui.label(RichText::new(w.collapsed_step).size(20.0));
            }
        });
    more_below_ui(ui, &card, &palette);
    command
}

/// A visible cue when the explanation goes on below the panel's edge (the scroll bar
/// alone is easy to miss from the back of the room).
fn more_below_ui<R>(ui: &Ui, card: &egui::scroll_area::ScrollAreaOutput<R>, palette: &Palette) {
    let hidden = card.content_size.y - card.inner_rect.height() - card.state.clamped_offset().y;
    if hidden <= 2.0 {
        return;
    }
    let w = super::ui_texts(ui.ctx());
    let painter = ui.painter_at(card.inner_rect);
    let galley = painter.layout_no_wrap(
        w.more_below.to_string(),
        style::bold(15.0),
        palette.selection_stroke,
    );
    let rect = egui::Rect::from_min_size(
        egui::pos2(
            card.inner_rect.center().x - galley.size().x / 2.0 - 8.0,
            card.inner_rect.bottom() - galley.size().y - 8.0,
        ),
        galley.size() + egui::vec2(16.0, 6.0),
    );
    painter.rect_filled(rect, 8.0, ui.visuals().panel_fill);
    painter.rect_stroke(
        rect,
        8.0,
        egui::Stroke::new(1.5, palette.selection_stroke),
        egui::StrokeKind::Inside,
    );
    painter.galley(
        rect.min + egui::vec2(8.0, 3.0),
        galley,
        palette.selection_stroke,
    );
    let response = ui.interact(
        rect,
        egui::Id::unique("step more below"),
        egui::Sense::hover(),
    );
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, w.more_below));
}

/// A state's name on its state colour.
fn state_chip_ui(ui: &mut Ui, state: TcpState, palette: &Palette) {
    let (fill, _, text) = palette.state(state);
    ui.label(
        RichText::new(format!(" {} ", super::lang(ui.ctx()).texts().state(state)))
            .font(style::bold(18.0))
            .background_color(fill)
            .color(text),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ladder::{LadderOptions, layout};

    fn seed() -> (Session, LadderView) {
        let name = "seed-handshake-client.pcapng";
        let session = crate::session::load_sample(name);
        let view = LadderView::new(layout(&session, 0, &LadderOptions::default()));
        (session, view)
    }

    #[test]
    fn the_receiver_changes_state_when_the_segment_arrives() {
        let (session, view) = seed();
        let mut stepper = Stepper::new(&session, &view);
        for _ in 0..3 {
            stepper.step(&session, &view, StepTo::Next, 10.0);
        }
        // Packet 3 travels client → server for TRAVEL_SECONDS.
        assert!(stepper.progress(10.1, true) < 1.0);
        assert_eq!(
            stepper.states(0.5).of(LaneSide::Right),
            TcpState::SynReceived
        );
        assert!(stepper.states(0.5).newest.is_empty());
        assert_eq!(stepper.progress(10.0 + TRAVEL_SECONDS, true), 1.0);
        assert_eq!(
            stepper.states(1.0).of(LaneSide::Right),
            TcpState::Established
        );
        // Without animation it has arrived at once.
        assert_eq!(stepper.progress(10.0, false), 1.0);
        let stage = stepper.stage(0.5, 1.0, false);
        assert_eq!(stage.travelling.map(|(p, _)| p), stepper.newest_packet());
    }

    #[test]
    fn stepping_stops_at_both_ends_and_cuts_the_bands() {
        let (session, view) = seed();
        let mut stepper = Stepper::new(&session, &view);
        assert_eq!(stepper.revealed(), 0);
        assert_eq!(stepper.shown().rows, 0);
        assert_eq!(stepper.bands().count(), 0);
        stepper.step(&session, &view, StepTo::Previous, 0.0);
        assert_eq!(stepper.revealed(), 0);
        stepper.step(&session, &view, StepTo::Last, 0.0);
        assert_eq!(stepper.revealed(), view.ladder.rows.len());
        stepper.step(&session, &view, StepTo::Next, 0.0);
        assert_eq!(stepper.revealed(), view.ladder.rows.len());
        assert_eq!(stepper.bands().count(), view.ladder.bands.len());
        // Two rows: only the handshake band has begun, and it is cut at row 1.
        stepper.step(&session, &view, StepTo::First, 0.0);
        stepper.step(&session, &view, StepTo::Next, 0.0);
        stepper.step(&session, &view, StepTo::Next, 0.0);
        let bands: Vec<&Band> = stepper.bands().collect();
        assert_eq!(bands.len(), 1);
        assert_eq!(bands.first().map(|b| b.last_row), Some(1));
        // A click on packet 1 rewinds to it.
        let Some(Row::Packet(first)) = view.ladder.rows.first() else {
            panic!("no first row");
        };
        stepper.reveal_packet(&session, &view, first.packet);
        assert_eq!(stepper.revealed(), 1);
        assert_eq!(stepper.newest_packet(), Some(first.packet));
        assert!(stepper.card().is_some_and(|c| !c.explanation.is_empty()));
    }
}
