//! The analysis views' state, owned by the app: which windows are open, the stream graphs
//! and follow stream caches, the connection summary — and the View menu entries and
//! toolbar buttons that open them. It changes only through [`Command::ShowAnalysis`] and
//! when the ladder is laid out again ([`AnalysisPanels::connection_changed`]).

use crate::session::Session;
use crate::ui::commands::Command;
use crate::ui::follow::{self, FollowState};
use crate::ui::graphs::{self, GraphsState};
use crate::ui::style::Palette;
use crate::ui::summary::ConnectionSummary;
use egui::Ui;

/// The analysis views that can be shown or hidden.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnalysisView {
    Graphs,
    Follow,
    Legend,
}

/// Which analysis views are open, for the menus and the toolbar.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AnalysisChrome {
    pub graphs: bool,
    pub follow: bool,
    pub legend: bool,
    /// The selected connection has analysis marks (the legend has something to show).
    pub has_marks: bool,
}

/// The analysis views' state, owned by the app.
#[derive(Debug)]
pub struct AnalysisPanels {
    show_graphs: bool,
    show_follow: bool,
    show_legend: bool,
    has_marks: bool,
    pub graphs: GraphsState,
    pub follow: FollowState,
    pub summary: Option<ConnectionSummary>,
    shown: Option<Shown>,
}

impl Default for AnalysisPanels {
    fn default() -> Self {
        AnalysisPanels {
            show_graphs: false,
            show_follow: false,
            // Shown whenever the connection has marks, until the user closes it.
            show_legend: true,
            has_marks: false,
            graphs: GraphsState::default(),
            follow: FollowState::default(),
            summary: None,
            shown: None,
        }
    }
}

impl AnalysisPanels {
    pub fn chrome(&self) -> AnalysisChrome {
        AnalysisChrome {
            graphs: self.show_graphs,
            follow: self.show_follow,
            legend: self.show_legend,
            has_marks: self.has_marks,
        }
    }

    pub fn show(&mut self, view: AnalysisView, on: bool) {
        match view {
            AnalysisView::Graphs => self.show_graphs = on,
            AnalysisView::Follow => self.show_follow = on,
            AnalysisView::Legend => self.show_legend = on,
        }
    }

    /// The ladder was laid out again: when the capture or the connection changed,
    /// recompute the summary and forget the cached graphs and followed stream (a new
    /// numbering or an expanded run changes none of them).
    pub fn connection_changed(
        &mut self,
        session: Option<&Session>,
        stream: Option<u32>,
        // The flags the connection's marks use (the legend's entries).
        marks: Option<&[crate::flow::Flag]>,
        lang: crate::i18n::Lang,
    ) {
        self.has_marks = marks.is_some_and(|m| !m.is_empty());
        let shown = session.zip(stream).map(|(s, stream)| Shown {
            capture: s.name.clone(),
            packets: s.packets.len(),
            connections: s.connections.len(),
            stream,
        });
        if shown == self.shown {
            if self.summary.as_ref().is_some_and(|s| s.lang != lang) {
                self.summary = session
                    .zip(stream)
                    .and_then(|(session, stream)| ConnectionSummary::of(session, stream, lang));
            }
            return;
        }
        self.summary = session
            .zip(stream)
            .and_then(|(session, stream)| ConnectionSummary::of(session, stream, lang));
        self.graphs.forget();
        self.follow.forget();
        self.shown = shown;
    }
}

/// Which capture and connection the cached views were made for.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Shown {
    capture: String,
    packets: usize,
    connections: usize,
    stream: u32,
}

/// The analysis windows (stream graphs, follow stream) of the selected connection.
#[must_use = "apply the returned commands"]
pub fn windows_ui(
    ui: &Ui,
    panels: &mut AnalysisPanels,
    session: Option<&Session>,
    stream: Option<u32>,
    selected: Option<u32>,
) -> Vec<Command> {
    let ctx = ui.ctx().clone();
    let palette = Palette::of(ui);
    let mut commands = Vec::new();
    let connection = session.zip(stream);
    if panels.show_graphs {
        commands.extend(graphs::graphs_window(
            &ctx,
            &mut panels.graphs,
            connection,
            selected,
            &palette,
        ));
    }
    if panels.show_follow {
        commands.extend(follow::follow_window(
            &ctx,
            &mut panels.follow,
            connection,
            &palette,
        ));
    }
    commands
}

/// The analysis entries of the View menu.
#[must_use = "apply the returned command"]
pub fn view_menu_ui(ui: &mut Ui, chrome: AnalysisChrome) -> Option<Command> {
    let mut command = None;
    let w = crate::ui::ui_texts(ui.ctx());
    let legend_hover = if chrome.has_marks {
        w.legend_hover
    } else {
        w.legend_hover_none
    };
    for (view, on, text, hover) in [
        (
            AnalysisView::Graphs,
            chrome.graphs,
            w.graphs_window,
            w.graphs_menu_hint,
        ),
        (
            AnalysisView::Follow,
            chrome.follow,
            w.follow_window,
            w.follow_menu_hint,
        ),
        (
            AnalysisView::Legend,
            chrome.legend,
            w.marks_legend,
            legend_hover,
        ),
    ] {
        let mut checked = on;
        if ui
            .checkbox(&mut checked, text)
            .on_hover_text(hover)
            .changed()
        {
            command = Some(Command::ShowAnalysis(view, checked));
        }
    }
    command
}

/// The toolbar buttons "Graphs" and "Follow stream" (toggles). The legend shows by
/// itself when the connection has marks; the View menu hides it or brings it back.
#[must_use = "apply the returned command"]
pub fn toolbar_buttons_ui(ui: &mut Ui, chrome: AnalysisChrome) -> Option<Command> {
    let mut command = None;
    let w = crate::ui::ui_texts(ui.ctx());
    for (view, on, text, hover) in [
        (AnalysisView::Graphs, chrome.graphs, w.graphs, w.graphs_hint),
        (
            AnalysisView::Follow,
            chrome.follow,
            w.follow_window,
            w.follow_hint,
        ),
    ] {
        let response = ui
            .add(egui::Button::selectable(on, text))
            .on_hover_text(hover);
        if response.clicked() {
            command = Some(Command::ShowAnalysis(view, !on));
        }
    }
    command
}

/// What differs between the windows about one connection (graphs, follow stream).
pub struct ConnectionWindow {
    pub view: AnalysisView,
    /// The window's name ("Stream graphs"), followed by the connection number.
    pub name: &'static str,
    /// Said when no connection is selected.
    pub pick: &'static str,
    /// Default position relative to the top centre of the content area.
    pub offset: egui::Vec2,
    pub min_size: [f32; 2],
}

/// A closable window about the selected connection: its title names the connection, it
/// asks for one when none is selected, and closing it hides the view. `body` draws the
/// content and may return a command.
#[must_use = "apply the returned command"]
pub fn connection_window(
    ctx: &egui::Context,
    spec: &ConnectionWindow,
    connection: Option<(&crate::session::Session, u32)>,
    body: impl FnOnce(&mut egui::Ui, &crate::session::Session, u32) -> Option<Command>,
) -> Option<Command> {
    let mut open = true;
    let mut command = None;
    let area = crate::ui::window_area(ctx);
    let w = crate::ui::ui_texts(ctx);
    let title = match connection {
        Some((_, stream)) => format!("{} — {} {stream}", spec.name, w.window_connection),
        None => spec.name.to_string(),
    };
    egui::Window::new(title)
        .id(egui::Id::unique(("connection window", spec.view as u8)))
        .open(&mut open)
        .default_size([720.0_f32.min(area.width()), 480.0_f32.min(area.height())])
        .default_pos(egui::pos2(area.center().x, area.top()) + spec.offset)
        .min_size(spec.min_size)
        // Below the menus, and never larger than the window, whatever the zoom.
        .constrain_to(area)
        .max_size(area.size())
        .show(ctx, |ui| {
            let Some((session, stream)) = connection else {
                ui.label(spec.pick);
                return;
            };
            command = body(ui, session, stream);
        });
    if open {
        command
    } else {
        Some(Command::ShowAnalysis(spec.view, false))
    }
}
