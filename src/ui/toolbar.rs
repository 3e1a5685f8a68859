//! The menu bar (File, View, Samples, Help) and the toolbar under it (Open, relative ⇄
//! absolute numbers, time mode, zoom). Both read a [`ChromeView`] of the app and return a
//! [`Command`]; neither changes anything itself. Items that have a key are made from
//! their [`Action`] (name, key, tooltip, command), and the Help menu's key list is
//! [`super::actions::key_help`].

use super::actions::{Action, ActionState};
use super::commands::Command;
use super::loader::LoadSource;
use super::settings::{Settings, ThemeChoice};
use super::spoken_name;
use crate::ladder::{TimeMode, ViewMode};
use crate::samples::{DEFAULT_SAMPLE, SAMPLES};
use egui::{RichText, Ui};

/// What the menus and the toolbar need to know about the app.
#[derive(Clone, Copy, Debug)]
pub struct ChromeView<'a> {
    pub settings: &'a Settings,
    pub zoom: f32,
    /// Some collapsed runs are expanded (the "Collapse runs" action has work to do).
    pub has_expanded: bool,
    /// Which analysis windows are open.
    pub analysis: super::analysis::AnalysisChrome,
    /// Step mode, presentation, state diagram, export.
    pub classroom: super::classroom::ClassroomView,
    /// A live capture is running (the Capture menu offers Stop).
    pub capturing: bool,
    /// A capture is open (the other end can be added), and the other end is open too.
    pub has_session: bool,
    pub two_ended: bool,
    /// The selected packet (a note can be added to it).
    pub selected: Option<u32>,
}

impl ChromeView<'_> {
    /// What the actions need to know to say what they do now.
    pub fn actions(&self) -> ActionState {
        ActionState {
            stepping: self.classroom.stepping,
            presenting: self.classroom.presenting,
            predicting: self.classroom.predicting,
            can_go_back: self.classroom.can_go_back,
            can_go_forward: self.classroom.can_go_forward,
            selected: self.selected,
            has_session: self.has_session,
            has_ladder: self.classroom.has_ladder,
        }
    }
}

pub fn time_mode_name(mode: TimeMode) -> &'static str {
    time_mode_name_in(crate::i18n::Lang::En, mode)
}

/// The time mode's name in `lang`.
pub fn time_mode_name_in(lang: crate::i18n::Lang, mode: TimeMode) -> &'static str {
    let w = lang.ui();
    match mode {
        TimeMode::Relative => w.time_relative,
        TimeMode::Absolute => w.time_absolute,
        TimeMode::Delta => w.time_delta,
        TimeMode::SinceConnection => lang.time().since_connection,
    }
}

fn time_mode_words(lang: crate::i18n::Lang, mode: TimeMode) -> &'static str {
    let w = lang.ui();
    match mode {
        TimeMode::Relative => w.time_relative_hint,
        TimeMode::Absolute => w.time_absolute_hint,
        TimeMode::Delta => w.time_delta_hint,
        TimeMode::SinceConnection => lang.time().since_connection_hint,
    }
}

const TIME_MODES: [TimeMode; 4] = TimeMode::ALL;

/// A menu whose items scroll when they would run off the bottom of the window (the View
/// menu in presentation mode's large type on a 720-line projector), so every item can be
/// reached.
fn fitted_menu(ui: &mut Ui, title: &str, add_items: impl FnOnce(&mut Ui)) {
    ui.menu_button(title, |ui| {
        let room = ui.ctx().content_rect().bottom() - ui.cursor().top() - 12.0;
        // The height the items took when last shown: scroll only when they do not fit
        // (a plain menu keeps its submenus working as usual).
        let id = egui::Id::unique(("menu height", title));
        let needed: Option<f32> = ui.ctx().data(|d| d.get_temp(id));
        let height = if needed.is_some_and(|h| h > room) {
            egui::ScrollArea::vertical()
                .id_salt(("menu", title))
                .max_height(room.max(120.0))
                // As tall as the window allows, not the popup's default height.
                .min_scrolled_height(room.max(120.0))
                .show(ui, add_items)
                .content_size
                .y
        } else {
            let top = ui.cursor().top();
            add_items(ui);
            ui.min_rect().bottom() - top
        };
        ui.ctx().data_mut(|d| d.insert_temp(id, height));
    });
}

/// File, View, Samples, Help.
#[must_use = "apply the returned command"]
pub fn menu_bar_ui(ui: &mut Ui, view: ChromeView<'_>) -> Option<Command> {
    let lang = view.settings.lang;
    let w = lang.ui();
    let actions = view.actions();
    let mut command = None;
    egui::MenuBar::new().ui(ui, |ui| {
        fitted_menu(ui, w.menu_file, |ui| {
            if let Some(c) = Action::Open.menu_button(ui, actions) {
                command = Some(c);
            }
            ui.menu_button(w.open_recent, |ui| {
                if view.settings.recent_files.is_empty() {
                    ui.label(RichText::new(w.no_recent).italics());
                }
                for path in &view.settings.recent_files {
                    let name = path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_else(|| path.display().to_string());
                    if ui
                        .button(name)
                        .on_hover_text(path.display().to_string())
                        .clicked()
                    {
                        command = Some(Command::Open(LoadSource::Path(path.clone())));
                    }
                }
                if !view.settings.recent_files.is_empty() {
                    ui.separator();
                    if ui.button(w.clear_recent).clicked() {
                        command = Some(Command::ClearRecent);
                    }
                }
            });
            let ends = lang.ends();
            if ui
                .add_enabled(view.has_session, egui::Button::new(ends.add_other_end))
                .on_hover_text(ends.add_other_end_hint)
                .clicked()
            {
                command = Some(Command::AddOtherEndDialog);
            }
            if view.two_ended && ui.button(ends.drop_other_end).clicked() {
                command = Some(Command::CloseOtherEnd);
            }
            if let Some(c) = Action::SaveAs.menu_button(ui, actions) {
                command = Some(c);
            }
            // Only with a packet selected.
            if view.selected.is_some()
                && let Some(c) = Action::AddNote.menu_button(ui, actions)
            {
                command = Some(c);
            }
            ui.separator();
            if let Some(c) = super::classroom::file_menu_ui(ui, view.classroom, actions) {
                command = Some(c);
            }
            ui.separator();
            if ui.button(w.quit).clicked() {
                command = Some(Command::Quit);
            }
        });
        fitted_menu(ui, w.menu_view, |ui| {
            let absolute = view.settings.absolute;
            if ui.radio(!absolute, w.relative_seq).clicked() {
                command = Some(Command::SetAbsolute(false));
            }
            if ui.radio(absolute, w.absolute_seq).clicked() {
                command = Some(Command::SetAbsolute(true));
            }
            ui.separator();
            for mode in TIME_MODES {
                let text = w.time_item(time_mode_name_in(lang, mode));
                if ui
                    .radio(view.settings.time_mode == mode, text)
                    .on_hover_text(time_mode_words(lang, mode))
                    .clicked()
                {
                    command = Some(Command::SetTimeMode(mode));
                }
            }
            let timed = view.settings.view_mode == ViewMode::Time;
            if let Some(c) = Action::ToggleTimeView.menu_checkbox(ui, timed, actions) {
                command = Some(c);
            }
            ui.separator();
            let mut connections = view.settings.show_connections;
            if ui.checkbox(&mut connections, w.connections_panel).changed() {
                command = Some(Command::ShowConnections(connections));
            }
            let mut details = view.settings.show_details;
            if ui.checkbox(&mut details, w.details_panel).changed() {
                command = Some(Command::ShowDetails(details));
            }
            ui.separator();
            if let Some(c) = super::analysis::view_menu_ui(ui, view.analysis) {
                command = Some(c);
            }
            ui.separator();
            if let Some(c) = super::classroom::view_menu_ui(ui, view.classroom, actions) {
                command = Some(c);
            }
            ui.separator();
            ui.menu_button(w.menu_language, |ui| {
                for choice in crate::i18n::Lang::ALL {
                    if ui.radio(lang == choice, choice.native_name()).clicked() {
                        command = Some(Command::SetLang(choice));
                    }
                }
            });
            ui.separator();
            for (theme, name) in [
                (ThemeChoice::Light, w.light_theme),
                (ThemeChoice::Dark, w.dark_theme),
            ] {
                if ui.radio(view.settings.theme == theme, name).clicked() {
                    command = Some(Command::SetTheme(theme));
                }
            }
            ui.separator();
            for action in [Action::ZoomIn, Action::ZoomOut, Action::ActualSize] {
                if let Some(c) = action.menu_button(ui, actions) {
                    command = Some(c);
                }
            }
        });
        ui.menu_button(w.menu_samples, |ui| {
            ui.set_max_width(460.0);
            ui.label(RichText::new(w.samples_intro).italics());
            // Twenty samples are taller than a 720-pixel window.
            let max_height = (ui.ctx().content_rect().height() - 90.0).max(200.0);
            egui::ScrollArea::vertical()
                .max_height(max_height)
                .min_scrolled_height(max_height)
                .show(ui, |ui| {
                    ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                        let texts = crate::ui::lang(ui.ctx()).texts();
                        for sample in SAMPLES {
                            ui.separator();
                            let (sample_title, description) = texts
                                .sample(sample.file_name)
                                .unwrap_or((sample.title, sample.description));
                            let title = if sample.file_name == DEFAULT_SAMPLE {
                                format!("{sample_title} {}", w.opens_first)
                            } else {
                                sample_title.to_string()
                            };
                            if ui
                                .button(RichText::new(title).strong())
                                .on_hover_text(sample.file_name)
                                .clicked()
                            {
                                command = Some(Command::Open(LoadSource::sample(sample)));
                            }
                            ui.label(RichText::new(description).small());
                        }
                        ui.separator();
                        let ends = crate::ui::lang(ui.ctx()).ends();
                        ui.label(RichText::new(ends.samples_heading).strong().italics());
                        for pair in crate::samples::SAMPLE_PAIRS {
                            ui.separator();
                            let (title, description) = texts
                                .sample_pair(pair.first.file_name)
                                .unwrap_or((pair.title, pair.description));
                            if ui
                                .button(RichText::new(title).strong())
                                .on_hover_text(format!(
                                    "{} + {}",
                                    pair.first.file_name, pair.other.file_name
                                ))
                                .clicked()
                            {
                                command = Some(Command::OpenBothEnds(
                                    LoadSource::sample(&pair.first),
                                    LoadSource::sample(&pair.other),
                                ));
                            }
                            ui.label(RichText::new(description).small());
                        }
                    });
                });
        });
        if let Some(c) = super::live::capture_menu_ui(ui, lang, view.capturing) {
            command = Some(c);
        }
        fitted_menu(ui, w.menu_help, |ui| {
            ui.set_max_width(420.0);
            ui.label(RichText::new(w.keys).strong());
            for line in super::actions::key_help(lang) {
                ui.label(line);
            }
            ui.separator();
            ui.label(w.drop_hint);
            ui.separator();
            ui.label(format!("tcp-ladder {}", env!("CARGO_PKG_VERSION")));
            ui.label(RichText::new(w.about).small());
        });
    });
    command
}

/// The row of buttons under the menus.
#[must_use = "apply the returned command"]
pub fn toolbar_ui(ui: &mut Ui, view: ChromeView<'_>) -> Option<Command> {
    let lang = view.settings.lang;
    let w = lang.ui();
    let actions = view.actions();
    let mut command = None;
    ui.horizontal_wrapped(|ui| {
        if let Some(c) = Action::Open.toolbar_button(ui, actions) {
            command = Some(c);
        }
        ui.separator();
        ui.label(w.numbers);
        let absolute = view.settings.absolute;
        if ui
            .selectable_label(!absolute, w.relative)
            .on_hover_text(w.relative_hint)
            .clicked()
        {
            command = Some(Command::SetAbsolute(false));
        }
        if ui
            .selectable_label(absolute, w.absolute)
            .on_hover_text(w.absolute_hint)
            .clicked()
        {
            command = Some(Command::SetAbsolute(true));
        }
        ui.separator();
        let label = ui.label(w.time);
        egui::ComboBox::from_id_salt("time mode")
            .selected_text(time_mode_name_in(lang, view.settings.time_mode))
            .show_ui(ui, |ui| {
                for mode in TIME_MODES {
                    if ui
                        .selectable_label(
                            view.settings.time_mode == mode,
                            time_mode_name_in(lang, mode),
                        )
                        .on_hover_text(time_mode_words(lang, mode))
                        .clicked()
                    {
                        command = Some(Command::SetTimeMode(mode));
                    }
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text(time_mode_words(lang, view.settings.time_mode));
        let timed = view.settings.view_mode == ViewMode::Time;
        if let Some(c) = Action::ToggleTimeView.toolbar_toggle(ui, timed, actions) {
            command = Some(c);
        }
        ui.separator();
        if let Some(c) = super::analysis::toolbar_buttons_ui(ui, view.analysis) {
            command = Some(c);
        }
        if let Some(c) = super::classroom::toolbar_ui(ui, view.classroom, actions) {
            command = Some(c);
        }
        // The buttons say what they do on hover; no "Zoom:" label. When the row has no
        // room left for them (step mode's buttons at 1280 px), they give way rather than
        // wrap the toolbar onto a second row: zoom stays in the View menu and on Ctrl +/−.
        let zoom_width = 3.0 * ui.spacing().interact_size.x + 2.0 * ui.spacing().item_spacing.x;
        if ui.available_size_before_wrap().x < zoom_width + 12.0 {
            return;
        }
        ui.separator();
        if let Some(c) = Action::ZoomOut.symbol_button(ui, "−", actions) {
            command = Some(c);
        }
        let reset = ui
            .button(format!("{:.0} %", view.zoom * 100.0))
            .on_hover_text(Action::ActualSize.tooltip_with_keys(lang));
        if spoken_name(&reset, &format!("Zoom {:.0} %, reset", view.zoom * 100.0)).clicked() {
            command = Action::ActualSize.command(actions);
        }
        if let Some(c) = Action::ZoomIn.symbol_button(ui, "+", actions) {
            command = Some(c);
        }
    });
    command
}
