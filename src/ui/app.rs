//! The app itself: owns the open [`Session`], the ladder of the selected connection, the
//! packet selection, the load in progress and the [`Settings`]. Each frame it draws the
//! panels — which only read its state and return [`Command`]s — and then applies those
//! commands in [`TcpLadderApp::apply`], the one place where anything changes. Keys are
//! [`super::actions::Action`]s: [`super::actions::keyboard_commands`] turns the keys
//! pressed into commands like any panel's.
//!
//! It runs inside eframe ([`eframe::App`]) or, for tests, inside any `egui::Ui`
//! ([`TcpLadderApp::window_ui`], [`TcpLadderApp::new_for_test`]), where loading happens on
//! the calling thread so a test sees the result at once.

use super::actions;
use super::analysis::{self, AnalysisPanels};
use super::banners::{self, LoadSummary, Message, MessageKind};
use super::canvas::{self, LadderView};
use super::classroom::{self, Classroom, ClassroomCommand};
use super::commands::{Command, StepTo, Zoom};
use super::connections::{self, ConnectionList};
use super::details::{self, DetailsState, PacketDetails};
use super::live::{self, CaptureDialog, Feed, LabPanel, LiveCommand, LiveUi};
use super::loader::{LoadJob, LoadSource, Loaded, load_now};
use super::notes::{NoteCommand, NotesUi};
use super::settings::Settings;
use super::style;
use super::toolbar::{self, ChromeView};
use crate::i18n::UiTexts;
use crate::ladder::{LadderOptions, Row, ViewMode, layout};
use crate::samples::{self, DEFAULT_SAMPLE};
use crate::session::Session;
use crate::timeline::pair::{Both, File};
use egui::{RichText, Ui};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

/// Captures in memory smaller than this load on the UI thread (bundled samples).
const INLINE_LOAD_LIMIT: usize = 4 * 1024 * 1024;

/// How many warnings the banner lists before "… and N more".
const WARNINGS_SHOWN: usize = 5;

/// The tcp-ladder window.
pub struct TcpLadderApp {
    settings: Settings,
    session: Option<Session>,
    summary: Option<LoadSummary>,
    connections: ConnectionList,
    stream: Option<u32>,
    /// Collapsed runs the user expanded (see [`LadderOptions::expanded`]).
    expanded: BTreeSet<u32>,
    view: Option<LadderView>,
    /// Index into `Session::packets`.
    selected: Option<u32>,
    details: Option<PacketDetails>,
    details_state: DetailsState,
    job: Option<LoadJob>,
    /// Load on the calling thread (tests).
    inline_loading: bool,
    message: Option<Message>,
    /// A failure to store the settings has been shown (it is said once per run).
    settings_unsaved_said: bool,
    /// Where the ladder scrolls next frame.
    scroll: canvas::Scroll,
    window_title: String,
    theme_applied: Option<super::settings::ThemeChoice>,
    /// Stream graphs, follow stream, marks legend, connection summary.
    panels: AnalysisPanels,
    /// Step mode, presentation, state diagram, export.
    classroom: Classroom,
    /// A live stream or capture, the Capture dialog, the socket lab.
    live: LiveUi,
    /// The capture taken at the other end of the same connections (a two-ended ladder).
    other: Option<OtherEnd>,
    /// The load in progress is the other end's.
    loading_other: bool,
    /// Once the load in progress is shown, open this as its other end (two-ended
    /// samples, `--other-end`).
    then_other: Option<LoadSource>,
    /// A file dropped while a capture was open, waiting for "as the other end / instead".
    pending_drop: Option<LoadSource>,
    /// The note editor, notes not saved yet, Save as.
    notes: NotesUi,
}

/// The other end's capture and how it matches the open one.
pub struct OtherEnd {
    pub session: Session,
    pub ends: crate::timeline::TwoEnds,
}

impl TcpLadderApp {
    /// The app as eframe starts it: settings from storage, then `file` (or the default
    /// sample) opens.
    pub fn new(
        cc: &eframe::CreationContext<'_>,
        file: Option<PathBuf>,
        other_end: Option<PathBuf>,
    ) -> TcpLadderApp {
        style::install(&cc.egui_ctx);
        let (settings, unreadable) = Settings::load(cc.storage);
        let mut app = TcpLadderApp::with_settings(settings, false);
        if let Some(why) = unreadable {
            app.message = Some(Message {
                kind: MessageKind::Warning,
                title: app.settings.lang.ui().settings_unreadable.to_string(),
                lines: vec![why],
            });
        }
        cc.egui_ctx
            .set_zoom_factor(app.settings.classroom.desk_zoom());
        app.then_other = other_end.map(LoadSource::Path);
        let source = match file {
            // Standard input or a FIFO grows while we watch.
            Some(path) if crate::capture::is_stream_path(&path) => {
                app.start_feed(Feed::from_path(&path));
                return app;
            }
            Some(path) => LoadSource::Path(path),
            None => default_sample(),
        };
        app.start_load(&cc.egui_ctx, source);
        app
    }

    /// The app with default settings, nothing open, loading on the calling thread. Call
    /// [`crate::ui::install_style`] on the test's context before the first frame.
    pub fn new_for_test() -> TcpLadderApp {
        TcpLadderApp::with_settings(Settings::default(), true)
    }

    fn with_settings(settings: Settings, inline_loading: bool) -> TcpLadderApp {
        TcpLadderApp {
            settings,
            session: None,
            summary: None,
            connections: ConnectionList::default(),
            stream: None,
            expanded: BTreeSet::new(),
            view: None,
            selected: None,
            details: None,
            details_state: DetailsState::default(),
            job: None,
            inline_loading,
            message: None,
            settings_unsaved_said: false,
            scroll: canvas::Scroll::Keep,
            window_title: String::new(),
            theme_applied: None,
            panels: AnalysisPanels::default(),
            classroom: Classroom::default(),
            live: LiveUi::default(),
            other: None,
            loading_other: false,
            then_other: None,
            pending_drop: None,
            notes: NotesUi::default(),
        }
    }

    /// The other end's capture, when two are open.
    pub fn other_end(&self) -> Option<&OtherEnd> {
        self.other.as_ref()
    }

    /// Load `source` on the calling thread and show it (tests, scripts).
    pub fn load_blocking(&mut self, source: LoadSource) {
        let loaded = load_now(source);
        self.finish_load(loaded);
    }

    /// Load `source` on the calling thread as the other end of the open capture (tests).
    pub fn load_other_end_blocking(&mut self, source: LoadSource) {
        self.loading_other = true;
        self.load_blocking(source);
    }

    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn message(&self) -> Option<&Message> {
        self.message.as_ref()
    }

    pub fn selected_stream(&self) -> Option<u32> {
        self.stream
    }

    /// The selected packet (index into `Session::packets`).
    pub fn selected_packet(&self) -> Option<u32> {
        self.selected
    }

    /// The ladder shown (the whole connection, also in step mode) and its layout.
    pub fn view(&self) -> Option<&LadderView> {
        self.view.as_ref()
    }

    pub fn is_loading(&self) -> bool {
        self.job.is_some()
    }

    /// Step mode, presentation and export state (tests).
    pub fn classroom(&self) -> &Classroom {
        &self.classroom
    }

    /// The note editor and the notes not saved yet (tests).
    pub fn notes(&self) -> &NotesUi {
        &self.notes
    }

    /// Type into the open note editor (tests).
    pub fn type_note(&mut self, text: &str) {
        self.notes.set_editor_text(text);
    }

    /// Draw the whole window into `ui` and apply what the user did.
    pub fn window_ui(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        super::set_lang(&ctx, self.settings.lang);
        if self.theme_applied != Some(self.settings.theme) {
            ctx.set_theme(self.settings.theme.egui_theme());
            self.theme_applied = Some(self.settings.theme);
        }
        self.poll_job();
        self.continue_both_ends(&ctx);
        self.poll_live();
        self.classroom
            .begin_frame(&ctx, &mut self.settings.classroom);

        let mut commands: Vec<Command> = Vec::new();
        let hovered_files = self.file_drop_commands(&ctx, &mut commands);
        // Closing the window with notes not saved asks first (Quit is held back).
        if ctx.input(|i| i.viewport().close_requested()) && self.notes.has_unsaved() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            commands.push(Command::Quit);
        }
        let chrome = ChromeView {
            settings: &self.settings,
            zoom: ctx.zoom_factor(),
            has_expanded: !self.expanded.is_empty(),
            analysis: self.panels.chrome(),
            classroom: self
                .classroom
                .view(&ctx, &self.settings, self.view.is_some()),
            capturing: self
                .live
                .feed
                .as_ref()
                .is_some_and(|f| f.is_capture() && !f.ended()),
            has_session: self.session.is_some(),
            two_ended: self.other.is_some(),
            selected: self.selected,
        };
        // Every key is an action's (the zoom keys too: egui's own would bypass the
        // app's zoom range).
        ctx.options_mut(|o| o.zoom_with_keyboard = false);
        commands.extend(actions::keyboard_commands(&ctx, chrome.actions()));
        let menu_bar = egui::Panel::top("menu bar").show(ui, |ui| {
            commands.extend(toolbar::menu_bar_ui(ui, chrome));
        });
        super::set_menu_bar_bottom(&ctx, menu_bar.response.rect.bottom());
        // The projector shows the menus and the diagram; the toolbar and the status bar
        // would only take room from it.
        if !self.classroom.is_presenting() {
            egui::Panel::top("toolbar").show(ui, |ui| {
                ui.add_space(2.0);
                commands.extend(toolbar::toolbar_ui(ui, chrome));
            });
            egui::Panel::bottom("status bar").show(ui, |ui| {
                banners::status_bar_ui(
                    ui,
                    self.summary.as_ref(),
                    &self.notes.status_line(self.settings.lang),
                );
            });
        }
        // Side panels give way when the window is narrow or zoomed in: the ladder keeps
        // at least about half of the width.
        let width = ui.available_width();
        let panel_range = |share: f32, min: f32| {
            let max = (width * share).max(120.0);
            min.min(max)..=max
        };
        if self.settings.show_connections && !self.classroom.is_presenting() {
            egui::Panel::left("connections")
                .default_size(280.0)
                .size_range(panel_range(0.25, 200.0))
                .show(ui, |ui| {
                    commands.extend(connections::connections_ui(
                        ui,
                        &mut self.connections,
                        self.stream,
                    ));
                });
        }
        if self.settings.show_details && !self.classroom.hides_details() {
            egui::Panel::right("details")
                .default_size(340.0)
                .size_range(panel_range(0.3, 220.0))
                .show(ui, |ui| {
                    commands.extend(details::details_ui(
                        ui,
                        self.details.as_ref(),
                        self.panels.summary.as_ref(),
                        &mut self.details_state,
                    ));
                });
        }
        commands.extend(self.classroom.panels_ui(
            ui,
            self.view.as_ref(),
            self.selected,
            &self.settings.classroom,
        ));
        let mut stage = self.classroom.stage(&ctx, &self.settings.classroom);
        // The socket lab's connection: the kernel's states beside the lifelines.
        if let (Some(lab), Some(view)) = (&self.live.lab, self.view.as_ref()) {
            let inferred = stage
                .now
                .unwrap_or_else(|| view.ladder.states_after(view.ladder.rows.len()).now);
            stage.kernel = lab.kernel_beside(
                &view.ladder,
                inferred,
                crate::i18n::live_texts(self.settings.lang),
            );
        }
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(job) = &self.job {
                commands.extend(banners::loading_ui(ui, job));
            }
            if let Some(message) = &self.message {
                commands.extend(banners::message_ui(ui, message));
            }
            if !self.settings.first_run_done {
                commands.extend(banners::first_run_ui(ui));
            }
            if !self.expanded.is_empty() {
                // Beside the ladder it acts on, not in the toolbar (which would wrap).
                let w = self.settings.lang.ui();
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Min), |ui| {
                    if ui
                        .small_button(w.collapse_runs)
                        .on_hover_text(w.collapse_runs_hint)
                        .clicked()
                    {
                        commands.push(Command::CollapseAll);
                    }
                });
            }
            commands.extend(live::status_ui(ui, &self.live, self.settings.lang));
            if let Some(view) = &self.view {
                let chrome = self.panels.chrome();
                commands.extend(analysis::legend_strip_ui(ui, &view.mark_flags, chrome));
            }
            match self.view.as_ref() {
                Some(view) => commands.extend(canvas::ladder_ui(
                    ui,
                    view,
                    self.selected,
                    self.scroll,
                    stage,
                )),
                None => {
                    ui.centered_and_justified(|ui| {
                        let w = self.settings.lang.ui();
                        ui.label(if self.session.is_some() {
                            w.nothing_to_draw
                        } else {
                            w.open_or_pick
                        });
                    });
                }
            }
        });
        commands.extend(analysis::windows_ui(
            ui,
            &mut self.panels,
            self.session.as_ref(),
            self.stream,
            self.selected,
        ));
        commands.extend(live::windows_ui(ui, &mut self.live, self.settings.lang));
        commands.extend(
            self.notes
                .windows_ui(ui, self.session.as_ref(), self.settings.lang),
        );
        if let Some(source) = &self.pending_drop {
            commands.extend(drop_question_ui(
                ui,
                &source.display_name(),
                self.settings.lang,
            ));
        }
        banners::drop_overlay(ui, &hovered_files);

        self.scroll = canvas::Scroll::Keep;
        for command in commands {
            self.apply(&ctx, command);
        }
        self.update_title(&ctx);
        if self.job.is_some() {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        if self.live.active() {
            ctx.request_repaint_after(live::KERNEL_POLL);
        }
    }

    /// Apply one command: the only place the app's state changes.
    pub fn apply(&mut self, ctx: &egui::Context, command: Command) {
        // Opening another capture or quitting with notes not saved asks first.
        let Some(command) = self.notes.hold_if_unsaved(command) else {
            return;
        };
        if command.shows_the_user_knows_the_way() {
            self.settings.first_run_done = true;
        }
        match command {
            Command::OpenDialog => {
                let w = self.settings.lang.ui();
                let picked = rfd::FileDialog::new()
                    .set_title(w.open_dialog_title)
                    .add_filter(w.captures_filter, &["pcap", "pcapng", "cap", "gz"])
                    .add_filter(w.all_files, &["*"])
                    .pick_file();
                if let Some(path) = picked {
                    self.start_load(ctx, LoadSource::Path(path));
                }
            }
            Command::Open(source) => {
                self.then_other = None;
                self.start_load(ctx, source);
            }
            Command::AddOtherEndDialog => {
                let w = self.settings.lang.ui();
                let picked = rfd::FileDialog::new()
                    .set_title(self.settings.lang.ends().add_other_end)
                    .add_filter(w.captures_filter, &["pcap", "pcapng", "cap", "gz"])
                    .add_filter(w.all_files, &["*"])
                    .pick_file();
                if let Some(path) = picked {
                    self.apply(ctx, Command::OpenOtherEnd(LoadSource::Path(path)));
                }
            }
            Command::OpenOtherEnd(source) => {
                if self.session.is_some() {
                    self.loading_other = true;
                    self.start_load(ctx, source);
                }
            }
            Command::OpenBothEnds(first, other) => {
                self.then_other = Some(other);
                self.start_load(ctx, first);
                self.continue_both_ends(ctx);
            }
            Command::CloseOtherEnd => {
                self.other = None;
                self.rebuild_view();
                self.select_first_packet();
            }
            Command::OfferDrop(source) => self.pending_drop = Some(source),
            Command::AnswerDrop(answer) => {
                if let Some(source) = self.pending_drop.take() {
                    match answer {
                        Some(true) => self.apply(ctx, Command::OpenOtherEnd(source)),
                        Some(false) => self.apply(ctx, Command::Open(source)),
                        None => {}
                    }
                }
            }
            Command::SetClockOffset(offset) => {
                if let (Some(session), Some(other)) = (&self.session, &mut self.other) {
                    other.ends = crate::timeline::TwoEnds::match_with_clock(
                        Both::new(session, &other.session),
                        offset,
                    );
                    self.rebuild_view();
                }
            }
            Command::CancelLoad => {
                if let Some(job) = &self.job {
                    job.cancel();
                }
            }
            Command::DismissMessage => self.message = None,
            Command::DismissFirstRunHint => self.settings.first_run_done = true,
            Command::SelectConnection(stream) => {
                if self.stream != Some(stream) {
                    self.stream = Some(stream);
                    self.expanded.clear();
                    self.selected = None;
                    self.rebuild_view();
                    self.select_first_packet();
                    self.scroll = canvas::Scroll::Top;
                }
            }
            // The classroom may take it over (in step mode a selection is a step).
            Command::SelectPacket(packet) => match self.classroom.selecting(packet) {
                Some(step) => self.apply(ctx, step),
                None => self.select(packet),
            },
            Command::GoToPacket(packet) => self.go_to_packet(ctx, packet),
            Command::ShowAnalysis(view, on) => self.panels.show(view, on),
            Command::Step(to) => {
                if let Some(packet) = self.step_target(to) {
                    self.select(packet);
                    self.scroll = canvas::Scroll::Selected;
                }
            }
            Command::SetAbsolute(absolute) => {
                self.settings.absolute = absolute;
                self.rebuild_view();
            }
            Command::ToggleAbsolute => {
                self.settings.absolute = !self.settings.absolute;
                self.rebuild_view();
            }
            Command::SetTimeMode(mode) => {
                self.settings.time_mode = mode;
                self.rebuild_view();
            }
            Command::SetViewMode(mode) => {
                self.settings.view_mode = mode;
                self.rebuild_view();
                self.scroll = canvas::Scroll::Selected;
            }
            Command::ToggleViewMode => {
                self.settings.view_mode = match self.settings.view_mode {
                    ViewMode::Rows => ViewMode::Time,
                    ViewMode::Time => ViewMode::Rows,
                };
                self.rebuild_view();
                self.scroll = canvas::Scroll::Selected;
            }
            Command::Expand(first) => {
                self.expanded.insert(first);
                self.rebuild_view();
            }
            Command::CollapseAll => {
                self.expanded.clear();
                self.rebuild_view();
            }
            Command::Zoom(zoom) => apply_zoom(ctx, zoom),
            Command::SetTheme(theme) => self.settings.theme = theme,
            Command::SetLang(lang) => {
                if self.settings.lang != lang {
                    self.settings.lang = lang;
                    if let Some(session) = &self.session {
                        self.connections.relabel(session, lang);
                    }
                    self.rebuild_view();
                    self.refresh_details();
                }
            }
            Command::ShowConnections(show) => self.settings.show_connections = show,
            Command::ShowDetails(show) => self.settings.show_details = show,
            Command::ClearRecent => self.settings.recent_files.clear(),
            Command::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Command::Live(command) => self.apply_live(command),
            Command::Notes(command) => self.apply_notes(ctx, command),
            Command::Classroom(command) => {
                // Entering or leaving presentation changes every size: keep the packet
                // that was at the top of the view there.
                let keep_in_view = matches!(command, ClassroomCommand::SetPresenting(_))
                    .then(|| canvas::packet_at_top(ctx))
                    .flatten();
                let applied = self.classroom.apply(
                    ctx,
                    command,
                    self.session.as_ref(),
                    self.view.as_ref(),
                    &mut self.settings,
                );
                self.take_classroom(applied);
                if let Some(packet) = keep_in_view {
                    self.scroll = canvas::Scroll::PacketAtTop(packet);
                }
            }
        }
    }

    fn start_load(&mut self, ctx: &egui::Context, source: LoadSource) {
        let small =
            matches!(&source, LoadSource::Bytes { bytes, .. } if bytes.len() <= INLINE_LOAD_LIMIT);
        if self.inline_loading || small {
            self.finish_load(load_now(source));
            return;
        }
        if let Some(previous) = self.job.take() {
            previous.cancel();
        }
        self.job = Some(LoadJob::spawn(source, ctx));
    }

    fn poll_job(&mut self) {
        let Some(loaded) = self.job.as_ref().and_then(LoadJob::poll) else {
            return;
        };
        self.job = None;
        self.finish_load(loaded);
    }

    /// Show a finished load, or say why not; what was open stays open on failure.
    fn finish_load(&mut self, loaded: Loaded) {
        let name = loaded.source.display_name();
        let w = self.settings.lang.ui();
        let still_open = match &self.session {
            Some(s) => UiTexts::fill(w.still_open, &[&s.name]),
            None => w.none_open.to_string(),
        };
        if loaded.cancelled {
            self.message = Some(Message {
                kind: MessageKind::Info,
                title: UiTexts::fill(w.load_cancelled, &[&name]),
                lines: vec![still_open],
            });
            return;
        }
        let session = match loaded.result {
            Ok(session) => session,
            Err(error) => {
                self.message = Some(Message {
                    kind: MessageKind::Error,
                    title: UiTexts::fill(w.could_not_open, &[&name]),
                    lines: vec![error.to_string(), still_open],
                });
                return;
            }
        };
        let warnings = warning_lines(&session, w);
        if session.stats.frames == 0 {
            let mut lines = vec![w.no_packet_read.to_string()];
            lines.extend(warnings);
            lines.push(still_open);
            self.message = Some(Message {
                kind: MessageKind::Error,
                title: UiTexts::fill(w.nothing_to_show, &[&name]),
                lines,
            });
            return;
        }

        if std::mem::take(&mut self.loading_other) {
            self.attach_other_end(session, &name);
            return;
        }
        let summary = LoadSummary::of(&session, loaded.elapsed);
        let not_decoded = session.stats.not_decoded();
        // A file another program cut short is not damaged: the title says what happened.
        let cut_short = session
            .warnings
            .iter()
            .any(|warning| matches!(warning.kind, crate::capture::WarningKind::CutShort { .. }));
        self.message = if !warnings.is_empty() {
            Some(Message {
                kind: MessageKind::Warning,
                title: UiTexts::fill(
                    if cut_short {
                        w.cut_short_kept
                    } else {
                        w.damaged_kept
                    },
                    &[
                        &name,
                        &summary.frames.to_string(),
                        &summary.tcp_packets.to_string(),
                    ],
                ),
                lines: warnings.into_iter().chain(not_decoded).collect(),
            })
        } else if !not_decoded.is_empty() {
            Some(Message {
                kind: MessageKind::Info,
                title: UiTexts::fill(w.not_decoded_title, &[&name]),
                lines: not_decoded,
            })
        } else if session.packets.is_empty() {
            Some(Message {
                kind: MessageKind::Info,
                title: UiTexts::fill(w.no_tcp_title, &[&name]),
                lines: vec![{
                    let other = summary.other(w);
                    let other = if other.is_empty() {
                        String::new()
                    } else {
                        UiTexts::fill(w.paren, &[&other])
                    };
                    UiTexts::fill(w.no_tcp_line, &[&summary.frames.to_string(), &other])
                }],
            })
        } else {
            None
        };
        if let Some(path) = loaded.source.path() {
            self.settings.remember_file(path);
        }
        self.connections = ConnectionList::new(&session, self.settings.lang);
        self.stream = session.first_handshake();
        self.session = Some(session);
        self.notes.forget();
        self.other = None;
        self.summary = Some(summary);
        self.expanded.clear();
        self.selected = None;
        self.rebuild_view();
        self.select_first_packet();
        self.scroll = canvas::Scroll::Top;
    }

    /// After a load: open the other end that was asked for with it.
    fn continue_both_ends(&mut self, ctx: &egui::Context) {
        if self.job.is_none()
            && self.session.is_some()
            && let Some(next) = self.then_other.take()
        {
            self.loading_other = true;
            self.start_load(ctx, next);
        }
    }

    /// Match `session` against the open capture as its other end, and show the two-ended
    /// ladder (or say why not).
    fn attach_other_end(&mut self, session: Session, name: &str) {
        let Some(first) = &self.session else {
            return;
        };
        let ends = crate::timeline::TwoEnds::match_files(Both::new(first, &session));
        let words = self.settings.lang.ends();
        if ends.connections.is_empty() {
            self.message = Some(Message {
                kind: MessageKind::Warning,
                title: (words.no_match)(name, &first.name),
                lines: vec![words.no_match_why.to_string()],
            });
            return;
        }
        self.message = Some(Message {
            kind: MessageKind::Info,
            title: (words.matched)(name, ends.connections.len()),
            lines: Vec::new(),
        });
        // Stay on the connection shown when it has a counterpart, else the first that has.
        if self
            .stream
            .is_none_or(|s| ends.connection(File::First, s).is_none())
        {
            self.stream = ends.connections.first().map(|c| c.streams[File::First]);
        }
        self.other = Some(OtherEnd { session, ends });
        self.expanded.clear();
        self.selected = None;
        self.rebuild_view();
        self.select_first_packet();
        self.scroll = canvas::Scroll::Top;
    }

    fn options(&self) -> LadderOptions {
        let defaults = LadderOptions::default();
        LadderOptions {
            absolute: self.settings.absolute,
            time_mode: self.settings.time_mode,
            collapse_over: defaults.collapse_over,
            expanded: self.expanded.clone(),
            lang: self.settings.lang,
        }
    }

    /// Lay out the selected connection again (after a change of stream or options).
    fn rebuild_view(&mut self) {
        self.view = match (&self.session, self.stream) {
            (Some(session), Some(stream)) => {
                let two_ended = self.other.as_ref().and_then(|o| {
                    let pair = o.ends.connection(File::First, stream)?;
                    Some(crate::ladder::layout_two(
                        &o.ends,
                        Both::new(session, &o.session),
                        pair,
                        &self.options(),
                    ))
                });
                let ladder = two_ended.unwrap_or_else(|| layout(session, stream, &self.options()));
                let mut view = LadderView::in_mode(ladder, self.settings.view_mode);
                view.lang = self.settings.lang;
                view.absolute = self.settings.absolute;
                Some(view)
            }
            _ => None,
        };
        self.panels.connection_changed(
            self.session.as_ref(),
            self.stream,
            self.view.as_ref().map(|v| v.mark_flags.as_slice()),
            self.settings.lang,
        );
        // Both ends: the summary says what the two captures tell together.
        if let (Some(summary), Some(ends)) = (
            self.panels.summary.as_mut(),
            self.view.as_ref().and_then(|v| v.ladder.time.ends.as_ref()),
        ) {
            summary.both_ends = crate::ladder::two_ends::summary_lines(ends, self.settings.lang);
            summary.clock = Some(ends.clock);
            summary.capture_point = (self.settings.lang.time().point_sentence)(
                crate::timeline::CapturePoint::BothEnds,
                &crate::timeline::PointEvidence {
                    handshake: None,
                    data_to_server: None,
                    data_to_client: None,
                },
                None,
            );
        }
        self.classroom
            .relayout(self.session.as_ref(), self.view.as_ref());
        self.refresh_details();
    }

    /// Take over what a classroom command changed outside it: step mode's selection
    /// (the newest revealed packet) and an export's error.
    fn take_classroom(&mut self, applied: classroom::Applied) {
        if let Some(message) = applied.message {
            self.message = Some(message);
        }
        if let Some(newest) = applied.select {
            match newest {
                Some(packet) => self.select(packet),
                None => {
                    self.selected = None;
                    self.refresh_details();
                }
            }
            self.scroll = canvas::Scroll::Selected;
        }
    }

    /// Select `packet` from a link or a graph: switch to its connection, expand the
    /// collapsed run that hides it, and scroll the ladder to it.
    fn go_to_packet(&mut self, ctx: &egui::Context, packet: u32) {
        let Some((stream, index)) = self
            .session
            .as_ref()
            .and_then(|s| s.packets.get(packet as usize))
            .map(|p| (p.stream, p.index))
        else {
            return;
        };
        if self.stream != Some(stream) {
            self.apply(ctx, Command::SelectConnection(stream));
        }
        if let Some(first) = self
            .view
            .as_ref()
            .and_then(|v| analysis::run_hiding(&v.ladder, index))
        {
            self.expanded.insert(first);
            self.rebuild_view();
        }
        match self.classroom.selecting(packet) {
            Some(step) => self.apply(ctx, step),
            None => self.select(packet),
        }
        self.scroll = canvas::Scroll::Selected;
    }

    fn refresh_details(&mut self) {
        self.details = match (&self.session, &self.view, self.selected) {
            (Some(session), Some(view), Some(packet)) => PacketDetails::of(
                session,
                self.other.as_ref().map(|o| &o.session),
                view,
                packet,
            ),
            _ => None,
        };
    }

    fn select(&mut self, packet: u32) {
        if self.selected != Some(packet) {
            self.selected = Some(packet);
            self.details_state = DetailsState::default();
            self.refresh_details();
        }
    }

    fn select_first_packet(&mut self) {
        if let Some(packet) = self.step_target(StepTo::First) {
            self.select(packet);
        }
    }

    /// The packet a keyboard step lands on (only packets with their own row).
    fn step_target(&self, to: StepTo) -> Option<u32> {
        let view = self.view.as_ref()?;
        let packets: Vec<u32> = view
            .ladder
            .rows
            .iter()
            .filter_map(|r| match r {
                Row::Packet(a) => Some(a.packet),
                Row::Collapsed { .. } | Row::Unseen(_) => None,
            })
            .collect();
        let current = self
            .selected
            .and_then(|p| packets.iter().position(|&q| q == p));
        let index = match (to, current) {
            (StepTo::First, _) | (StepTo::Next, None) => 0,
            (StepTo::Last, _) | (StepTo::Previous, None) => packets.len().checked_sub(1)?,
            (StepTo::Next, Some(i)) => (i + 1).min(packets.len().checked_sub(1)?),
            (StepTo::Previous, Some(i)) => i.saturating_sub(1),
        };
        packets.get(index).copied()
    }

    /// Files dragged over the window (their names) and dropped on it (a command).
    fn file_drop_commands(&self, ctx: &egui::Context, commands: &mut Vec<Command>) -> Vec<String> {
        let (hovered, dropped) =
            ctx.input(|i| (i.raw.hovered_files.clone(), i.raw.dropped_files.clone()));
        if let Some(file) = dropped.first() {
            let path = file.path().to_path_buf();
            let source = if path.is_file() {
                LoadSource::Path(path)
            } else if let Ok(bytes) = file.bytes() {
                LoadSource::Bytes {
                    name: path,
                    bytes: bytes.into(),
                }
            } else {
                // Loading the path reports what is wrong with it.
                LoadSource::Path(path)
            };
            // With a capture open, it may be the other end of it: ask.
            if self.session.is_some() {
                commands.push(Command::OfferDrop(source));
            } else {
                commands.push(Command::Open(source));
            }
        }
        hovered
            .iter()
            .map(|f| match &f.path {
                Some(p) => p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| p.display().to_string()),
                None if !f.mime.is_empty() => f.mime.clone(),
                None => self.settings.lang.ui().the_file.to_string(),
            })
            .collect()
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let mut title = match &self.session {
            Some(s) => UiTexts::fill(self.settings.lang.ui().window_title, &[&s.name]),
            None => "tcp-ladder".to_string(),
        };
        if self.notes.has_unsaved() {
            title = format!(
                "{title} ({})",
                self.settings.lang.note_editing().unsaved_mark
            );
        }
        if title != self.window_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.window_title = title;
        }
    }
}

/// "A capture is open: open the dropped file as its other end, or instead of it?"
fn drop_question_ui(ui: &Ui, name: &str, lang: crate::i18n::Lang) -> Option<Command> {
    let words = lang.ends();
    let mut answer = None;
    let modal = egui::Modal::new(egui::Id::unique("dropped file question")).show(ui.ctx(), |ui| {
        ui.set_max_width(420.0);
        ui.label(RichText::new((words.drop_question)(name)).size(16.0));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            if ui
                .button(words.as_other_end)
                .on_hover_text(words.add_other_end_hint)
                .clicked()
            {
                answer = Some(Command::AnswerDrop(Some(true)));
            }
            if ui.button(words.instead).clicked() {
                answer = Some(Command::AnswerDrop(Some(false)));
            }
            if ui.button(words.cancel).clicked() {
                answer = Some(Command::AnswerDrop(None));
            }
        });
    });
    if answer.is_none() && modal.should_close() {
        answer = Some(Command::AnswerDrop(None));
    }
    answer
}

/// Packet notes: the editor, Save as (see [`super::notes`]).
impl TcpLadderApp {
    fn apply_notes(&mut self, ctx: &egui::Context, command: NoteCommand) {
        let origin = self
            .live
            .feed
            .as_ref()
            .map(|f| f.origin.clone())
            .unwrap_or_default();
        let applied = self
            .notes
            .apply(command, self.session.as_mut(), &origin, self.settings.lang);
        if applied.changed {
            self.rebuild_view();
        }
        if let Some(packet) = applied.select {
            self.select(packet);
        }
        if let Some(problem) = applied.problem {
            self.message = Some(Message {
                kind: MessageKind::Info,
                title: problem,
                lines: Vec::new(),
            });
        }
        if let Some((title, why)) = applied.save_failed {
            let w = self.settings.lang.ui();
            let still_open = self
                .session
                .as_ref()
                .map(|s| UiTexts::fill(w.still_open, &[&s.name]));
            self.message = Some(Message {
                kind: MessageKind::Error,
                title,
                lines: std::iter::once(why).chain(still_open).collect(),
            });
        }
        if let Some((title, lines)) = applied.damaged {
            self.message = Some(Message {
                kind: MessageKind::Warning,
                title,
                lines,
            });
        }
        if let Some(next) = applied.next {
            self.apply(ctx, next);
        }
    }
}

/// Live: a growing stream, the Capture dialog, the socket lab (see [`super::live`]).
impl TcpLadderApp {
    /// The live parts of the app (tests).
    pub fn live(&self) -> &LiveUi {
        &self.live
    }

    /// Use this capture tool instead of looking for one; `None`: behave as if none were
    /// installed (tests).
    pub fn override_capture_tool(&mut self, tool: Option<crate::live::capture_child::Tool>) {
        self.live.tool_override = Some(tool);
    }

    fn apply_live(&mut self, command: LiveCommand) {
        match command {
            LiveCommand::OpenCaptureDialog => {
                self.live.dialog = Some(CaptureDialog::new(self.live.tool()));
            }
            LiveCommand::CloseCaptureDialog => self.live.dialog = None,
            LiveCommand::SelectInterface(name) => {
                if let Some(d) = &mut self.live.dialog {
                    d.selected = Some(name);
                }
            }
            LiveCommand::SetFilter(filter) => {
                if let Some(d) = &mut self.live.dialog {
                    d.filter = filter;
                }
            }
            LiveCommand::StartCapture => {
                let Some(dialog) = &mut self.live.dialog else {
                    return;
                };
                let (Some(tool), Some(iface)) = (dialog.tool.clone(), dialog.selected.clone())
                else {
                    return;
                };
                match Feed::capture(&iface, &dialog.filter, tool) {
                    Ok(feed) => {
                        self.live.dialog = None;
                        self.start_feed(Ok(feed));
                    }
                    Err(e) => dialog.problem = Some(live::start_problem(&e)),
                }
            }
            LiveCommand::StopCapture => {
                if let Some(feed) = &mut self.live.feed {
                    feed.stop();
                }
            }
            LiveCommand::OpenLab => {
                if self.live.lab.is_none() {
                    self.live.lab = Some(LabPanel::start(true));
                }
            }
            LiveCommand::CloseLab => self.live.lab = None,
            LiveCommand::LabStep(step) => {
                if let Some(lab) = &mut self.live.lab {
                    lab.run(step);
                }
            }
            LiveCommand::FollowNewest => {
                self.live.unseen = 0;
                if let Some(packet) = self.step_target(StepTo::Last) {
                    self.select(packet);
                    self.scroll = canvas::Scroll::Selected;
                }
            }
        }
    }

    /// Show a stream that has just started: an empty session that grows.
    fn start_feed(&mut self, feed: Result<Feed, String>) {
        let w = self.settings.lang.ui();
        match feed {
            Ok(feed) => {
                let session = feed.empty_session();
                self.connections = ConnectionList::new(&session, self.settings.lang);
                self.stream = None;
                self.session = Some(session);
                self.notes.forget();
                self.summary = None;
                self.expanded.clear();
                self.selected = None;
                self.message = None;
                self.live.unseen = 0;
                self.live.feed = Some(feed);
                self.rebuild_view();
            }
            Err(e) => {
                self.message = Some(Message {
                    kind: MessageKind::Error,
                    title: UiTexts::fill(w.could_not_open, &["-"]),
                    lines: vec![e],
                });
            }
        }
    }

    /// Take what the live stream or the lab brought since the last frame.
    fn poll_live(&mut self) {
        let polled = self.live.poll();
        if let Some(delta) = polled.delta {
            self.grow(delta);
        }
        if let Some(session) = polled.lab_session {
            // The lab's capture replaces what was shown (the status bar says so too); its
            // newest connection is drawn.
            self.connections = ConnectionList::new(&session, self.settings.lang);
            self.stream = session
                .connections
                .last()
                .map(crate::flow::Connection::stream);
            self.summary = Some(LoadSummary::of(&session, Duration::ZERO));
            self.session = Some(session);
            self.other = None;
            self.expanded.clear();
            self.selected = None;
            self.rebuild_view();
            if let Some(packet) = self.step_target(StepTo::Last) {
                self.select(packet);
                self.scroll = canvas::Scroll::Selected;
            }
        }
    }

    /// Add a delta to the open session; the ladder follows the newest packet unless the
    /// user has selected an older one (then "n new packets ↓" offers to catch up).
    fn grow(&mut self, delta: crate::live::Delta) {
        let following = self.selected.is_none() || self.selected == self.step_target(StepTo::Last);
        let new_here = delta
            .packets
            .iter()
            .filter(|p| Some(p.record.stream) == self.stream)
            .count();
        let elapsed = self
            .live
            .feed
            .as_ref()
            .map(|f| f.started.elapsed())
            .unwrap_or_default();
        let Some(session) = &mut self.session else {
            return;
        };
        session.apply(delta);
        self.summary = Some(LoadSummary::of(session, elapsed));
        self.connections = ConnectionList::new(session, self.settings.lang);
        if self.stream.is_none() {
            self.stream = session.first_handshake();
        }
        self.rebuild_view();
        if following {
            self.live.unseen = 0;
            if let Some(packet) = self.step_target(StepTo::Last) {
                self.select(packet);
                self.scroll = canvas::Scroll::Selected;
            }
        } else {
            self.live.unseen += new_here;
        }
    }
}

impl eframe::App for TcpLadderApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.window_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        // eframe saves every half minute and on exit: a failure is said once, not each time.
        if let Err(why) = self.settings.save(storage)
            && !self.settings_unsaved_said
        {
            self.settings_unsaved_said = true;
            self.message = Some(Message {
                kind: MessageKind::Warning,
                title: self.settings.lang.ui().settings_unsaved.to_string(),
                lines: vec![why],
            });
        }
    }
}

fn default_sample() -> LoadSource {
    match samples::find(DEFAULT_SAMPLE) {
        Some(sample) => LoadSource::sample(sample),
        None => LoadSource::Bytes {
            name: PathBuf::from(DEFAULT_SAMPLE),
            bytes: std::sync::Arc::from(&[][..]),
        },
    }
}

fn warning_lines(session: &Session, w: &UiTexts) -> Vec<String> {
    let mut lines: Vec<String> = session
        .warnings
        .iter()
        .take(WARNINGS_SHOWN)
        .map(ToString::to_string)
        .collect();
    if session.warnings.len() > WARNINGS_SHOWN {
        lines.push(UiTexts::fill(
            w.and_more,
            &[&(session.warnings.len() - WARNINGS_SHOWN).to_string()],
        ));
    }
    lines
}

fn apply_zoom(ctx: &egui::Context, zoom: Zoom) {
    ctx.set_zoom_factor(zoom.apply(ctx.zoom_factor()));
}
