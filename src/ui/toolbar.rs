//! The menu bar (File, View, Samples, Help) and the toolbar under it (Open, relative ⇄
//! absolute numbers, time mode, zoom). Both read a [`ChromeView`] of the app and return a
//! [`Command`]; neither changes anything itself.

use super::commands::{Command, Zoom};
use super::loader::LoadSource;
use super::settings::{Settings, ThemeChoice};
use super::spoken_name;
use crate::ladder::TimeMode;
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
}

pub fn time_mode_name(mode: TimeMode) -> &'static str {
    match mode {
        TimeMode::Relative => "Relative",
        TimeMode::Absolute => "Time of day",
        TimeMode::Delta => "Delta",
    }
}

fn time_mode_words(mode: TimeMode) -> &'static str {
    match mode {
        TimeMode::Relative => "seconds since the first packet of the capture",
        TimeMode::Absolute => "wall-clock time of day",
        TimeMode::Delta => "seconds since the previous packet of this connection",
    }
}

const TIME_MODES: [TimeMode; 3] = [TimeMode::Relative, TimeMode::Absolute, TimeMode::Delta];

/// File, View, Samples, Help.
#[must_use = "apply the returned command"]
pub fn menu_bar_ui(ui: &mut Ui, view: ChromeView<'_>) -> Option<Command> {
    let mut command = None;
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            if ui
                .add(egui::Button::new("Open…").shortcut_text("Ctrl+O"))
                .clicked()
            {
                command = Some(Command::OpenDialog);
            }
            ui.menu_button("Open recent", |ui| {
                if view.settings.recent_files.is_empty() {
                    ui.label(RichText::new("No recent files").italics());
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
                    if ui.button("Clear recent files").clicked() {
                        command = Some(Command::ClearRecent);
                    }
                }
            });
            ui.separator();
            if let Some(c) = super::classroom::file_menu_ui(ui, view.classroom) {
                command = Some(c);
            }
            ui.separator();
            if ui.button("Quit").clicked() {
                command = Some(Command::Quit);
            }
        });
        ui.menu_button("View", |ui| {
            let absolute = view.settings.absolute;
            if ui.radio(!absolute, "Relative sequence numbers").clicked() {
                command = Some(Command::SetAbsolute(false));
            }
            if ui
                .radio(absolute, "Absolute (raw) sequence numbers")
                .clicked()
            {
                command = Some(Command::SetAbsolute(true));
            }
            ui.separator();
            for mode in TIME_MODES {
                let text = format!("Time: {}", time_mode_name(mode));
                if ui
                    .radio(view.settings.time_mode == mode, text)
                    .on_hover_text(time_mode_words(mode))
                    .clicked()
                {
                    command = Some(Command::SetTimeMode(mode));
                }
            }
            ui.separator();
            let mut connections = view.settings.show_connections;
            if ui.checkbox(&mut connections, "Connections panel").changed() {
                command = Some(Command::ShowConnections(connections));
            }
            let mut details = view.settings.show_details;
            if ui.checkbox(&mut details, "Details panel").changed() {
                command = Some(Command::ShowDetails(details));
            }
            ui.separator();
            if let Some(c) = super::analysis::view_menu_ui(ui, view.analysis) {
                command = Some(c);
            }
            ui.separator();
            if let Some(c) = super::classroom::view_menu_ui(ui, view.classroom) {
                command = Some(c);
            }
            ui.separator();
            for (theme, name) in [
                (ThemeChoice::Light, "Light theme"),
                (ThemeChoice::Dark, "Dark theme"),
            ] {
                if ui.radio(view.settings.theme == theme, name).clicked() {
                    command = Some(Command::SetTheme(theme));
                }
            }
            ui.separator();
            if ui
                .add(egui::Button::new("Zoom in").shortcut_text("Ctrl +"))
                .clicked()
            {
                command = Some(Command::Zoom(Zoom::In));
            }
            if ui
                .add(egui::Button::new("Zoom out").shortcut_text("Ctrl −"))
                .clicked()
            {
                command = Some(Command::Zoom(Zoom::Out));
            }
            if ui
                .add(egui::Button::new("Actual size").shortcut_text("Ctrl 0"))
                .clicked()
            {
                command = Some(Command::Zoom(Zoom::Reset));
            }
        });
        ui.menu_button("Samples", |ui| {
            ui.set_max_width(460.0);
            ui.label(RichText::new("Teaching captures built into the app").italics());
            // Twenty samples are taller than a 720-pixel window.
            let max_height = (ui.ctx().content_rect().height() - 90.0).max(200.0);
            egui::ScrollArea::vertical()
                .max_height(max_height)
                .min_scrolled_height(max_height)
                .show(ui, |ui| {
                    ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                        for sample in SAMPLES {
                            ui.separator();
                            let title = if sample.file_name == DEFAULT_SAMPLE {
                                format!("{} (opens first)", sample.title)
                            } else {
                                sample.title.to_string()
                            };
                            if ui
                                .button(RichText::new(title).strong())
                                .on_hover_text(sample.file_name)
                                .clicked()
                            {
                                command = Some(Command::Open(LoadSource::sample(sample)));
                            }
                            ui.label(RichText::new(sample.description).small());
                        }
                    });
                });
        });
        ui.menu_button("Help", |ui| {
            ui.set_max_width(420.0);
            ui.label(RichText::new("Keys").strong());
            for (key, what) in [
                ("↑ / ↓", "previous / next packet"),
                ("Home / End", "first / last packet"),
                ("A", "relative ⇄ absolute numbers"),
                ("Ctrl + / Ctrl − / Ctrl 0", "zoom in / out / actual size"),
                ("Ctrl + mouse wheel", "zoom"),
                ("Ctrl O", "open a capture"),
            ] {
                ui.label(format!("{key}: {what}"));
            }
            for (key, what) in super::classroom::KEYS {
                ui.label(format!("{key}: {what}"));
            }
            ui.separator();
            ui.label(
                "Drop a pcap or pcapng file (optionally .gz) anywhere on the window to open it.",
            );
            ui.separator();
            ui.label(format!("tcp-ladder {}", env!("CARGO_PKG_VERSION")));
            ui.label(RichText::new(env!("CARGO_PKG_DESCRIPTION")).small());
        });
    });
    command
}

/// The row of buttons under the menus.
#[must_use = "apply the returned command"]
pub fn toolbar_ui(ui: &mut Ui, view: ChromeView<'_>) -> Option<Command> {
    let mut command = None;
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("Open…")
            .on_hover_text("Open a pcap or pcapng capture (Ctrl+O)")
            .clicked()
        {
            command = Some(Command::OpenDialog);
        }
        ui.separator();
        ui.label("Numbers:");
        let absolute = view.settings.absolute;
        if ui
            .selectable_label(!absolute, "Relative")
            .on_hover_text("Sequence numbers counted from each side's first (ISN = 0), like Wireshark. Key A toggles.")
            .clicked()
        {
            command = Some(Command::SetAbsolute(false));
        }
        if ui
            .selectable_label(absolute, "Absolute")
            .on_hover_text("The raw 32-bit numbers on the wire, like tcpdump -S. Key A toggles.")
            .clicked()
        {
            command = Some(Command::SetAbsolute(true));
        }
        ui.separator();
        let label = ui.label("Time:");
        egui::ComboBox::from_id_salt("time mode")
            .selected_text(time_mode_name(view.settings.time_mode))
            .show_ui(ui, |ui| {
                for mode in TIME_MODES {
                    if ui
                        .selectable_label(view.settings.time_mode == mode, time_mode_name(mode))
                        .on_hover_text(time_mode_words(mode))
                        .clicked()
                    {
                        command = Some(Command::SetTimeMode(mode));
                    }
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text(time_mode_words(view.settings.time_mode));
        if view.has_expanded {
            ui.separator();
            if ui
                .button("Collapse runs")
                .on_hover_text("Fold long runs of data segments back into one row")
                .clicked()
            {
                command = Some(Command::CollapseAll);
            }
        }
        ui.separator();
        if let Some(c) = super::analysis::toolbar_buttons_ui(ui, view.analysis) {
            command = Some(c);
        }
        if let Some(c) = super::classroom::toolbar_ui(ui, view.classroom) {
            command = Some(c);
        }
        ui.separator();
        ui.label("Zoom:");
        let zoom_out = ui.button("−").on_hover_text("Zoom out (Ctrl −)");
        if spoken_name(&zoom_out, "Zoom out").clicked() {
            command = Some(Command::Zoom(Zoom::Out));
        }
        let reset = ui
            .button(format!("{:.0} %", view.zoom * 100.0))
            .on_hover_text("Actual size (Ctrl 0)");
        if spoken_name(&reset, &format!("Zoom {:.0} %, reset", view.zoom * 100.0)).clicked() {
            command = Some(Command::Zoom(Zoom::Reset));
        }
        let zoom_in = ui.button("+").on_hover_text("Zoom in (Ctrl +)");
        if spoken_name(&zoom_in, "Zoom in").clicked() {
            command = Some(Command::Zoom(Zoom::In));
        }
    });
    command
}
