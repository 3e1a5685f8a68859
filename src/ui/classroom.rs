//! The classroom features (issue #6) behind one command, one piece of runtime state and
//! one block of settings, so the app core only forwards to them:
//!
//! - step mode ([`super::step`]): the ladder revealed one packet at a time (S, Space, ←/→,
//!   Home/End), with the newest packet explained in large type beside it;
//! - predict mode ([`super::predict`], P): in step mode, a question about each packet
//!   before it is revealed;
//! - the RFC 9293 state diagram ([`super::state_diagram`]) beside the ladder;
//! - presentation mode ([`super::presentation`]): F5, projector theme, large type, full
//!   screen (F11), Esc to leave;
//! - zoom remembered between runs (Ctrl +/−/0), one zoom for the desk and one for the
//!   projector;
//! - export ([`super::export`]): File > Export… and the Copy actions.
//!
//! Panels and keys return [`Command::Classroom`]; the app hands each to
//! [`Classroom::apply`] and takes back what must change outside (the selection, a
//! message). The keys, menu items and toolbar buttons are [`super::actions::Action`]s,
//! which say what they do in step mode and out of it; a packet selected in step mode
//! becomes a step ([`Classroom::selecting`]), so the app core never asks whether step
//! mode is on.

use super::actions::{Action, ActionState};
use super::banners::{Message, MessageKind};
use super::canvas::LadderView;
use super::commands::{Command, StepTo};
use super::export::{self, ExportSource, Outcome, PngJob, Started, Toast};
use super::predict::{self as predicting, Predict, PredictCommand};
use super::presentation::{self, Presentation};
use super::settings::Settings;
use super::state_diagram::state_diagram_ui;
use super::step::{self, Stage, Stepper};
use crate::i18n::UiTexts;
use crate::session::Session;
use egui::Ui;
use std::path::PathBuf;

/// One change to the classroom features.
#[derive(Clone, Debug, PartialEq)]
pub enum ClassroomCommand {
    SetStepMode(bool),
    /// Reveal or hide packets in step mode.
    Reveal(StepTo),
    /// Step mode: reveal up to this packet (a click on its arrow).
    RevealPacket(u32),
    SetPresenting(bool),
    ToggleFullscreen,
    /// Ctrl+0 while presenting: back to the presentation zoom that suits the screen.
    ResetPresentationZoom,
    /// The state diagram in the current mode (step mode or not).
    ShowStateDiagram(bool),
    SetAnimation(bool),
    /// Ask for a file, then export to it.
    ExportDialog,
    /// Export to this file (its extension says SVG, PNG or text).
    ExportTo(PathBuf),
    /// The PNG drawn on the worker thread is written, or not.
    Exported(Outcome),
    CopyLadderText,
    CopyTcpdumpLines,
    Predict(PredictCommand),
}

impl From<ClassroomCommand> for Command {
    fn from(command: ClassroomCommand) -> Command {
        Command::Classroom(command)
    }
}

/// What the classroom features remember between runs.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ClassroomSettings {
    /// The interface zoom at the desk (egui's zoom factor).
    pub zoom: f32,
    /// The zoom in presentation mode, once the user changed it; `None`: suit the screen.
    pub presentation_zoom: Option<f32>,
    /// The newest arrow travels from sender to receiver in step mode.
    pub animate: bool,
    pub diagram_in_step: bool,
    pub diagram_outside_step: bool,
}

impl Default for ClassroomSettings {
    fn default() -> Self {
        ClassroomSettings {
            zoom: 1.0,
            presentation_zoom: None,
            animate: true,
            diagram_in_step: true,
            diagram_outside_step: false,
        }
    }
}

impl ClassroomSettings {
    /// The desk zoom, within egui's sensible range.
    pub fn desk_zoom(&self) -> f32 {
        if self.zoom.is_finite() {
            self.zoom.clamp(0.5, 3.0)
        } else {
            1.0
        }
    }
}

/// What the menus and the toolbar show about the classroom features.
#[derive(Clone, Copy, Debug, Default)]
pub struct ClassroomView {
    pub stepping: bool,
    pub presenting: bool,
    pub fullscreen: bool,
    pub can_go_back: bool,
    pub can_go_forward: bool,
    pub diagram_shown: bool,
    pub animate: bool,
    /// A ladder is open (export and copy have something to work on).
    pub has_ladder: bool,
    /// Predict mode is on.
    pub predicting: bool,
}

/// What an applied command changes outside the classroom features.
#[derive(Debug, Default)]
#[must_use = "the app must take over the selection and the message"]
pub struct Applied {
    /// Select this packet (`Some(None)`: nothing) — step mode's newest packet.
    pub select: Option<Option<u32>>,
    pub message: Option<Message>,
}

/// Runtime state of the classroom features.
#[derive(Debug, Default)]
pub struct Classroom {
    stepping: bool,
    /// Present while stepping with a ladder open.
    stepper: Option<Stepper>,
    presentation: Option<Presentation>,
    /// The zoom presentation mode set, to notice when the user zooms.
    presentation_zoom_set: f32,
    png: Option<PngJob>,
    toast: Option<Toast>,
    predict: Predict,
}

impl Classroom {
    pub fn is_stepping(&self) -> bool {
        self.stepping
    }

    pub fn is_presenting(&self) -> bool {
        self.presentation.is_some()
    }

    /// The details panel gives way to the step panel, and to the projector.
    pub fn hides_details(&self) -> bool {
        self.stepping || self.is_presenting()
    }

    pub fn stepper(&self) -> Option<&Stepper> {
        self.stepper.as_ref()
    }

    /// Predict mode's state (tests).
    pub fn predict(&self) -> &Predict {
        &self.predict
    }

    /// Rows revealed in step mode.
    pub fn revealed(&self) -> Option<usize> {
        self.stepper.as_ref().map(Stepper::revealed)
    }

    /// Call at the start of each frame: remembers the zoom the user chose; while
    /// presenting at the automatic zoom, follows the window's height (it becomes full
    /// screen a moment after presentation mode starts).
    pub fn begin_frame(&mut self, ctx: &egui::Context, settings: &mut ClassroomSettings) {
        let zoom = ctx.zoom_factor();
        if self.presentation.is_none() {
            settings.zoom = zoom;
            return;
        }
        if (zoom - self.presentation_zoom_set).abs() > 0.001 {
            // Ctrl +/− while presenting: the user's own presentation zoom.
            settings.presentation_zoom = Some(zoom);
            self.presentation_zoom_set = zoom;
        } else if settings.presentation_zoom.is_none() {
            let auto = presentation::auto_zoom(ctx);
            if (auto - zoom).abs() > 0.01 {
                ctx.set_zoom_factor(auto);
                self.presentation_zoom_set = auto;
            }
        }
    }

    /// In step mode the newest revealed packet is the selection: selecting a packet (a
    /// click, a link, a graph) reveals the ladder up to it instead. `None`: an ordinary
    /// selection.
    pub fn selecting(&self, packet: u32) -> Option<Command> {
        self.stepping
            .then_some(ClassroomCommand::RevealPacket(packet).into())
    }

    pub fn view(
        &self,
        ctx: &egui::Context,
        settings: &Settings,
        has_ladder: bool,
    ) -> ClassroomView {
        let (can_go_back, can_go_forward) = match &self.stepper {
            Some(s) => (s.revealed() > 0, s.revealed() < s.total()),
            None => (false, false),
        };
        ClassroomView {
            stepping: self.stepping,
            presenting: self.is_presenting(),
            fullscreen: presentation::is_fullscreen(ctx),
            can_go_back,
            can_go_forward,
            diagram_shown: self.diagram_shown(&settings.classroom),
            animate: settings.classroom.animate,
            has_ladder,
            predicting: self.predict.on,
        }
    }

    fn diagram_shown(&self, settings: &ClassroomSettings) -> bool {
        if self.stepping {
            settings.diagram_in_step
        } else {
            settings.diagram_outside_step
        }
    }

    /// What step and presentation modes change on the canvas — in step mode, how much of
    /// the ladder is revealed — (and a repaint while the newest arrow travels).
    pub fn stage(&self, ctx: &egui::Context, settings: &ClassroomSettings) -> Stage {
        let emphasis = if self.is_presenting() {
            presentation::EMPHASIS
        } else {
            1.0
        };
        match &self.stepper {
            Some(stepper) if self.stepping => {
                let progress = stepper.progress(ctx.input(|i| i.time), settings.animate);
                if progress < 1.0 {
                    ctx.request_repaint();
                }
                stepper.stage(progress, emphasis, self.is_presenting())
            }
            _ => Stage {
                emphasis,
                compact: self.is_presenting(),
                ..Stage::default()
            },
        }
    }

    /// The ladder was laid out again: step mode follows it (another connection starts
    /// from its first packet).
    pub fn relayout(&mut self, session: Option<&Session>, view: Option<&LadderView>) {
        if !self.stepping {
            return;
        }
        let stream = self.stepper.as_ref().map(Stepper::stream);
        if stream.is_some() && stream != view.map(|v| v.ladder.stream) {
            self.predict.restart();
        }
        // Another language or number mode: the waiting question in its words.
        if let (Some(waiting), Some(session), Some(view)) =
            (self.predict.pending.as_ref(), session, view)
        {
            let again =
                crate::ladder::predict::question(session, waiting.packet, view.lang, view.absolute);
            self.predict.pending = again;
        }
        self.stepper = match (session, view, self.stepper.take()) {
            (Some(session), Some(view), Some(mut stepper)) => {
                stepper.relayout(session, view);
                Some(stepper)
            }
            (Some(session), Some(view), None) => Some(Stepper::new(session, view)),
            _ => None,
        };
        self.sync_titles(session, view);
    }

    /// The panel beside the ladder (step panel and state diagram), the toast, and the
    /// PNG export's outcome when its worker is done.
    #[must_use = "apply the returned command"]
    pub fn panels_ui(
        &mut self,
        ui: &mut Ui,
        view: Option<&LadderView>,
        selected: Option<u32>,
        settings: &ClassroomSettings,
    ) -> Option<Command> {
        let ctx = ui.ctx().clone();
        let lang = super::lang(&ctx);
        let now = ctx.input(|i| i.time);
        let mut command = self
            .png
            .as_ref()
            .and_then(PngJob::poll)
            .map(|outcome| ClassroomCommand::Exported(outcome).into());
        if self.toast.as_ref().is_some_and(|t| now > t.until) {
            self.toast = None;
        }
        if let Some(toast) = &self.toast {
            export::toast_ui(&ctx, toast);
            ctx.request_repaint_after_secs((toast.until - now).max(0.05) as f32);
        }

        if self.is_presenting() {
            egui::Area::new(egui::Id::unique("leave presentation"))
                .order(egui::Order::Foreground)
                .anchor(egui::Align2::RIGHT_TOP, egui::vec2(-6.0, 4.0))
                .show(&ctx, |ui| {
                    let leave = Action::LeavePresentation;
                    if ui
                        .small_button(leave.text_with_keys(lang))
                        .on_hover_text(leave.tooltip(lang))
                        .clicked()
                    {
                        command = Some(ClassroomCommand::SetPresenting(false).into());
                    }
                });
        }
        let diagram = self.diagram_shown(settings);
        let Some(full) = view else {
            return command;
        };
        let Some(stepper) = self.stepper.as_ref().filter(|_| self.stepping) else {
            // Outside step mode the diagram is a window that follows the selection.
            if diagram {
                let rows = selected
                    .and_then(|p| full.ladder.row_of_packet(p))
                    .map_or(0, |row| row + 1);
                let states = full.ladder.states_after(rows);
                let mut open = true;
                let content = super::window_area(&ctx);
                egui::Window::new(lang.ui().cls_diagram_window)
                    .id(egui::Id::unique("state diagram window"))
                    .open(&mut open)
                    .default_size([440.0, 440.0])
                    .default_pos(egui::pos2(content.right() - 820.0, content.top() + 120.0))
                    .min_size([260.0, 240.0])
                    .constrain_to(content)
                    .max_size(content.size())
                    .show(&ctx, |ui| {
                        ui.label(egui::RichText::new(lang.ui().cls_diagram_heading).weak());
                        state_diagram_ui(ui, &full.ladder, &states);
                    });
                if !open {
                    command = Some(ClassroomCommand::ShowStateDiagram(false).into());
                }
            }
            return command;
        };
        let width = ui.available_width();
        let share = if self.is_presenting() { 0.42 } else { 0.34 };
        let max = (width * share).max(240.0);
        egui::Panel::right("classroom")
            .default_size(if self.is_presenting() { max } else { 380.0 })
            .size_range(240.0_f32.min(max)..=max)
            .show(ui, |ui| {
                let states = stepper.states(stepper.progress(now, settings.animate));
                // The diagram keeps its share at the bottom; the step card scrolls.
                // (Not at all when the window is too low for both.)
                // A waiting question takes some of the diagram's share: its choices must
                // fit on a projector's short screen.
                let share = if self.predict.pending.is_some() {
                    0.3
                } else {
                    0.42
                };
                let height = (ui.available_height() * share).min(460.0);
                if diagram && height >= 160.0 {
                    egui::Panel::bottom("classroom diagram")
                        .resizable(false)
                        .exact_size(height)
                        .show(ui, |ui| {
                            state_diagram_ui(ui, &full.ladder, &states);
                        });
                }
                let predict = &mut self.predict;
                let presenting = self.presentation.is_some();
                let at_end = stepper.revealed() >= stepper.total();
                let newest = stepper.newest_packet();
                let mut above_card =
                    |ui: &mut Ui| predicting::predict_ui(ui, predict, newest, at_end, presenting);
                if let Some(c) =
                    step::step_panel_ui(ui, stepper, &full.ladder, &states, &mut above_card)
                {
                    command = Some(c);
                }
            });
        command
    }

    /// Apply one classroom command. `view` is the whole ladder of the open connection.
    pub fn apply(
        &mut self,
        ctx: &egui::Context,
        command: ClassroomCommand,
        session: Option<&Session>,
        view: Option<&LadderView>,
        settings: &mut Settings,
    ) -> Applied {
        let now = ctx.input(|i| i.time);
        let mut applied = Applied::default();
        match command {
            ClassroomCommand::SetStepMode(on) => {
                self.stepping = on;
                self.stepper = None;
                self.predict.restart();
                if on {
                    self.relayout(session, view);
                    applied.select = Some(self.stepper.as_ref().and_then(Stepper::newest_packet));
                }
            }
            ClassroomCommand::Reveal(to) => {
                if !self.stepping {
                    self.stepping = true;
                    self.relayout(session, view);
                }
                if to == StepTo::Next && self.ask_first(session, view) {
                    return applied;
                }
                if to != StepTo::Next {
                    self.predict.moved();
                }
                if let (Some(stepper), Some(session), Some(view)) =
                    (&mut self.stepper, session, view)
                {
                    stepper.step(session, view, to, now);
                    applied.select = Some(stepper.newest_packet());
                }
            }
            ClassroomCommand::RevealPacket(packet) => {
                if let (Some(stepper), Some(session), Some(view)) =
                    (&mut self.stepper, session, view)
                {
                    stepper.reveal_packet(session, view, packet);
                    applied.select = Some(stepper.newest_packet());
                }
                self.predict.moved();
            }
            ClassroomCommand::Predict(command) => {
                let step = match command {
                    PredictCommand::Set(on) => {
                        self.predict.on = on;
                        self.predict.restart();
                        self.sync_titles(session, view);
                        if on && !self.stepping {
                            return self.apply(
                                ctx,
                                ClassroomCommand::SetStepMode(true),
                                session,
                                view,
                                settings,
                            );
                        }
                        None
                    }
                    PredictCommand::Answer(given) => {
                        let scored = !self.is_presenting();
                        self.predict
                            .answer(Some(given), scored)
                            .then_some(StepTo::Next)
                    }
                    PredictCommand::ShowAnswer => {
                        let scored = !self.is_presenting();
                        self.predict.answer(None, scored).then_some(StepTo::Next)
                    }
                    PredictCommand::Restart => {
                        self.predict.restart();
                        Some(StepTo::First)
                    }
                };
                if let (Some(to), Some(stepper), Some(session), Some(view)) =
                    (step, &mut self.stepper, session, view)
                {
                    stepper.step(session, view, to, now);
                    applied.select = Some(stepper.newest_packet());
                }
            }
            ClassroomCommand::SetPresenting(on) => {
                if on && self.presentation.is_none() {
                    let zoom = settings
                        .classroom
                        .presentation_zoom
                        .filter(|z| z.is_finite())
                        .unwrap_or_else(|| presentation::auto_zoom(ctx))
                        .clamp(presentation::MIN_ZOOM * 0.5, 4.0);
                    self.presentation = Some(Presentation::enter(ctx, zoom));
                    self.presentation_zoom_set = zoom;
                } else if !on && let Some(presentation) = self.presentation.take() {
                    presentation.leave(ctx, settings.theme, settings.classroom.desk_zoom());
                }
            }
            ClassroomCommand::ToggleFullscreen => {
                let full = presentation::is_fullscreen(ctx);
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(!full));
            }
            ClassroomCommand::ResetPresentationZoom => {
                settings.classroom.presentation_zoom = None;
                if self.is_presenting() {
                    let zoom = presentation::auto_zoom(ctx);
                    ctx.set_zoom_factor(zoom);
                    self.presentation_zoom_set = zoom;
                }
            }
            ClassroomCommand::ShowStateDiagram(on) => {
                if self.stepping {
                    settings.classroom.diagram_in_step = on;
                } else {
                    settings.classroom.diagram_outside_step = on;
                }
            }
            ClassroomCommand::SetAnimation(on) => settings.classroom.animate = on,
            ClassroomCommand::ExportDialog => {
                if let Some(source) = self.source(session, view, settings)
                    && let Some(path) =
                        export::ask_path(&source.default_file_name(), settings.lang.ui())
                {
                    return self.apply(
                        ctx,
                        ClassroomCommand::ExportTo(path),
                        Some(source.session),
                        view,
                        settings,
                    );
                }
            }
            ClassroomCommand::ExportTo(path) => {
                if let Some(source) = self.source(session, view, settings) {
                    match export::write(path, source, ctx) {
                        Started::Done(outcome) => {
                            applied.message = self.report(outcome, now, settings.lang.ui())
                        }
                        Started::Png(job) => {
                            self.toast = Some(Toast::new(
                                UiTexts::fill(
                                    settings.lang.ui().export_drawing,
                                    &[&file_name(&job.path)],
                                ),
                                now + 60.0,
                            ));
                            self.png = Some(job);
                        }
                    }
                }
            }
            ClassroomCommand::Exported(outcome) => {
                self.png = None;
                applied.message = self.report(outcome, now, settings.lang.ui());
            }
            ClassroomCommand::CopyLadderText => {
                if let Some(source) = self.source(session, view, settings) {
                    ctx.copy_text(source.text());
                    self.toast = Some(Toast::new(
                        settings.lang.ui().export_copied_ladder.to_string(),
                        now,
                    ));
                }
            }
            ClassroomCommand::CopyTcpdumpLines => {
                if let Some(source) = self.source(session, view, settings) {
                    ctx.copy_text(source.tcpdump_lines());
                    self.toast = Some(Toast::new(
                        settings.lang.ui().export_copied_lines.to_string(),
                        now,
                    ));
                }
            }
        }
        applied
    }

    /// In predict mode the bands still going on are named by their phase only.
    fn sync_titles(&mut self, session: Option<&Session>, view: Option<&LadderView>) {
        if let (Some(stepper), Some(session), Some(view)) = (&mut self.stepper, session, view) {
            stepper.set_plain_titles(session, view, self.predict.on);
        }
    }

    /// Predict mode, before stepping forward: ask about the next packet (it then waits
    /// for the answer: returns true), or — a question pending and the step key pressed —
    /// show its answer (in presentation mode, the room's answer) and let the step go on.
    fn ask_first(&mut self, session: Option<&Session>, view: Option<&LadderView>) -> bool {
        if !self.predict.on {
            return false;
        }
        if self.predict.pending.is_some() {
            let scored = !self.is_presenting();
            let _ = self.predict.answer(None, scored);
            return false;
        }
        let (Some(stepper), Some(session), Some(view)) = (&self.stepper, session, view) else {
            return false;
        };
        let next = view
            .ladder
            .rows
            .get(stepper.revealed())
            .and_then(|row| match row {
                crate::ladder::Row::Packet(arrow) => Some(arrow.packet),
                _ => None,
            });
        let question = next.and_then(|packet| {
            crate::ladder::predict::question(session, packet, view.lang, view.absolute)
        });
        self.predict.ask_before(question)
    }

    /// A toast for a saved file, a message for a failure.
    fn report(&mut self, outcome: Outcome, now: f64, w: &UiTexts) -> Option<Message> {
        let name = outcome.file_name();
        match outcome {
            Outcome::Saved(_) => {
                self.toast = Some(Toast::new(UiTexts::fill(w.export_saved, &[&name]), now));
                None
            }
            Outcome::Failed { path, error } => {
                self.toast = None;
                Some(Message {
                    kind: MessageKind::Error,
                    title: UiTexts::fill(w.export_could_not_save, &[&name]),
                    lines: vec![error, path.display().to_string()],
                })
            }
        }
    }

    /// What an export writes: the ladder shown; in step mode, the step shown.
    fn source<'a>(
        &self,
        session: Option<&'a Session>,
        view: Option<&'a LadderView>,
        settings: &Settings,
    ) -> Option<ExportSource<'a>> {
        let view = view?;
        Some(ExportSource {
            session: session?,
            ladder: &view.ladder,
            absolute: settings.absolute,
            mode: view.mode(),
            step: self
                .stepper
                .as_ref()
                .filter(|_| self.stepping)
                .map(Stepper::revealed),
        })
    }

    /// The toast shown now, if any (tests).
    pub fn toast(&self) -> Option<&str> {
        self.toast.as_ref().map(|t| t.text.as_str())
    }
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// File menu entries: Export…, Copy ladder as text, Copy tcpdump lines.
#[must_use = "apply the returned command"]
pub fn file_menu_ui(ui: &mut Ui, view: ClassroomView, actions: ActionState) -> Option<Command> {
    let w = super::ui_texts(ui.ctx());
    let mut command = None;
    ui.add_enabled_ui(view.has_ladder, |ui| {
        command = Action::Export.menu_button(ui, actions);
        if ui.button(w.cls_copy_text).clicked() {
            command = Some(ClassroomCommand::CopyLadderText.into());
        }
        if ui.button(w.cls_copy_lines).clicked() {
            command = Some(ClassroomCommand::CopyTcpdumpLines.into());
        }
    });
    command
}

/// View menu entries: step mode, predict mode, presentation, full screen, state diagram,
/// animation.
#[must_use = "apply the returned command"]
pub fn view_menu_ui(ui: &mut Ui, view: ClassroomView, actions: ActionState) -> Option<Command> {
    let w = super::ui_texts(ui.ctx());
    let mut command = None;
    for (action, on) in [
        (Action::StepMode, view.stepping),
        (Action::Predict, view.predicting),
        (Action::Presentation, view.presenting),
        (Action::FullScreen, view.fullscreen),
    ] {
        if let Some(c) = action.menu_checkbox(ui, on, actions) {
            command = Some(c);
        }
    }
    let mut diagram = view.diagram_shown;
    if ui.checkbox(&mut diagram, w.cls_diagram).changed() {
        command = Some(ClassroomCommand::ShowStateDiagram(diagram).into());
    }
    let mut animate = view.animate;
    if ui.checkbox(&mut animate, w.cls_animate).changed() {
        command = Some(ClassroomCommand::SetAnimation(animate).into());
    }
    command
}

/// Toolbar: Step (with ◀ ▶ and Predict while stepping), Present, Export….
#[must_use = "apply the returned command"]
pub fn toolbar_ui(ui: &mut Ui, view: ClassroomView, actions: ActionState) -> Option<Command> {
    let mut command = None;
    ui.separator();
    let mut take = |c: Option<Command>| {
        if c.is_some() {
            command = c;
        }
    };
    take(Action::StepMode.toolbar_toggle(ui, view.stepping, actions));
    if view.stepping {
        take(Action::StepBack.symbol_button(ui, "◀", actions));
        take(Action::StepForward.symbol_button(ui, "▶", actions));
        take(Action::Predict.toolbar_toggle(ui, view.predicting, actions));
    }
    take(Action::Presentation.toolbar_toggle(ui, view.presenting, actions));
    take(Action::Export.toolbar_button(ui, actions));
    command
}
