//! Export from the app: File > Export… writes the current ladder (in the current number
//! mode, with the runs collapsed as on screen) as SVG, PNG (twice the size, for slides)
//! or text (the ASCII ladder and the tcpdump lines), chosen by the file's extension;
//! two Copy actions put the text or the tcpdump lines on the clipboard. In step mode the
//! drawing and the ladder text are of the step shown: the rows revealed and each lane's
//! state then ([`crate::ladder::Ladder::step`]). The drawing and
//! the text come from [`crate::export`]; this module only picks the file, writes it and
//! says what happened. PNGs are rasterised on a worker thread ([`PngJob`]).

use crate::export::{svg, text};
use crate::ladder::Ladder;
use crate::session::Session;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// PNGs are drawn at twice the SVG's size (sharp on slides)…
const PNG_SCALE: f32 = 2.0;
/// …unless that makes more pixels than this (4 bytes each in memory).
const PNG_MAX_PIXELS: f64 = 64.0e6;
/// Below this scale the text is unreadable: refuse.
const PNG_MIN_SCALE: f64 = 0.5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Svg,
    Png,
    Text,
}

impl Format {
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
        match ext.as_str() {
            "svg" => Some(Format::Svg),
            "png" => Some(Format::Png),
            "txt" | "text" => Some(Format::Text),
            _ => None,
        }
    }
}

/// What an export reads: the capture, the ladder as shown, the number mode.
#[derive(Clone, Copy)]
pub struct ExportSource<'a> {
    pub session: &'a Session,
    pub ladder: &'a Ladder,
    pub absolute: bool,
    /// The view shown: SVG and PNG are drawn the same way.
    pub mode: crate::ladder::ViewMode,
    /// Step mode: the rows revealed.
    pub step: Option<usize>,
}

impl ExportSource<'_> {
    /// "seed-handshake-client-0.svg".
    pub fn default_file_name(&self) -> String {
        let stem = Path::new(&self.session.name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "ladder".to_string());
        match self.step {
            Some(step) => format!("{stem}-{}-step{step}.svg", self.ladder.stream),
            None => format!("{stem}-{}.svg", self.ladder.stream),
        }
    }

    /// The ASCII ladder and the tcpdump lines (in step mode, of the step shown).
    pub fn text(&self) -> String {
        let stream = self.ladder.stream;
        match self.step {
            Some(rows) => {
                text::step_text(self.session, stream, &self.ladder.step(rows), self.absolute)
            }
            None => text::connection_text(self.session, stream, self.ladder, self.absolute),
        }
    }

    /// The SVG document and its size (in step mode, of the step shown).
    fn svg(&self) -> (String, (f64, f64)) {
        match self.step {
            Some(rows) => {
                let step = self.ladder.step(rows);
                let document = svg::render_step(&step, self.mode);
                (document, svg::step_size_in(&step, self.mode))
            }
            None => (
                svg::render_view(self.ladder, self.mode),
                svg::size_in(self.ladder, self.mode),
            ),
        }
    }

    pub fn tcpdump_lines(&self) -> String {
        let mut out =
            text::tcpdump_lines(self.session, self.ladder.stream, self.absolute).join("\n");
        out.push('\n');
        out
    }
}

/// The native save dialog; `None` when cancelled (or when no dialog can be shown).
pub fn ask_path(default_name: &str, w: &crate::i18n::UiTexts) -> Option<PathBuf> {
    rfd::FileDialog::new()
        .set_title(w.export_dialog_title)
        .set_file_name(default_name)
        .add_filter("SVG", &["svg"])
        .add_filter("PNG", &["png"])
        .add_filter(w.export_text_filter, &["txt"])
        .save_file()
}

/// How an export ended: the confirmation or the error, for the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Saved(PathBuf),
    Failed { path: PathBuf, error: String },
}

impl Outcome {
    pub fn file_name(&self) -> String {
        let path = match self {
            Outcome::Saved(path) | Outcome::Failed { path, .. } => path,
        };
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string())
    }
}

/// A PNG being drawn and written on a worker thread.
#[derive(Debug)]
pub struct PngJob {
    pub path: PathBuf,
    done: mpsc::Receiver<Outcome>,
    /// The error if the worker dies, in the language of the export.
    worker_stopped: &'static str,
}

impl PngJob {
    /// The outcome, once the worker has finished.
    pub fn poll(&self) -> Option<Outcome> {
        match self.done.try_recv() {
            Ok(outcome) => Some(outcome),
            Err(mpsc::TryRecvError::Empty) => None,
            Err(mpsc::TryRecvError::Disconnected) => Some(Outcome::Failed {
                path: self.path.clone(),
                error: self.worker_stopped.to_string(),
            }),
        }
    }
}

/// What [`write()`] started.
#[derive(Debug)]
pub enum Started {
    Done(Outcome),
    Png(PngJob),
}

/// Write `source` to `path` in the format its extension names. SVG and text are written
/// at once; a PNG is drawn on a worker thread, which wakes `ctx` when it is done.
pub fn write(path: PathBuf, source: ExportSource<'_>, ctx: &egui::Context) -> Started {
    let words = crate::ui::ui_texts(ctx);
    let failed = |path: PathBuf, error: String| Started::Done(Outcome::Failed { path, error });
    let Some(format) = Format::of(&path) else {
        return failed(path, words.export_unknown_kind.to_string());
    };
    let contents = match format {
        Format::Svg => source.svg().0,
        Format::Text => source.text(),
        Format::Png => {
            let (document, (w, h)) = source.svg();
            let fit = (PNG_MAX_PIXELS / (w * h).max(1.0)).sqrt();
            let scale = f64::from(PNG_SCALE).min(fit);
            if scale < PNG_MIN_SCALE {
                return failed(path, words.export_too_tall.to_string());
            }
            let (tx, rx) = mpsc::channel();
            let worker_path = path.clone();
            let ctx = ctx.clone();
            let spawned = std::thread::Builder::new()
                .name("png export".to_string())
                .spawn(move || {
                    let outcome = match svg::png(&document, scale as f32) {
                        Ok(bytes) => save(worker_path, &bytes),
                        Err(error) => Outcome::Failed {
                            path: worker_path,
                            error,
                        },
                    };
                    let _ = tx.send(outcome);
                    ctx.request_repaint();
                });
            return match spawned {
                Ok(_) => Started::Png(PngJob {
                    path,
                    done: rx,
                    worker_stopped: words.export_worker_stopped,
                }),
                Err(e) => failed(path, e.to_string()),
            };
        }
    };
    Started::Done(save(path, contents.as_bytes()))
}

fn save(path: PathBuf, bytes: &[u8]) -> Outcome {
    match std::fs::write(&path, bytes) {
        Ok(()) => Outcome::Saved(path),
        Err(e) => Outcome::Failed {
            path,
            error: e.to_string(),
        },
    }
}

/// A short confirmation at the bottom of the window, gone after a few seconds.
#[derive(Clone, Debug)]
pub struct Toast {
    pub text: String,
    /// egui time after which it is gone.
    pub until: f64,
}

/// How long a toast stays.
pub const TOAST_SECONDS: f64 = 3.0;

impl Toast {
    pub fn new(text: String, now: f64) -> Toast {
        Toast {
            text,
            until: now + TOAST_SECONDS,
        }
    }
}

/// Draw `toast` over everything, centred near the bottom of the window.
pub fn toast_ui(ctx: &egui::Context, toast: &Toast) {
    egui::Area::new(egui::Id::unique("classroom toast"))
        .order(egui::Order::Tooltip)
        .anchor(egui::Align2::CENTER_BOTTOM, egui::vec2(0.0, -48.0))
        .interactable(false)
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style())
                .inner_margin(egui::Margin::symmetric(16, 10))
                .show(ui, |ui| {
                    ui.label(
                        egui::RichText::new(format!("✔ {}", toast.text))
                            .font(super::style::bold(16.0)),
                    );
                });
        });
}
