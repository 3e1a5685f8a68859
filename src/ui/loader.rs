//! Loading a capture off the UI thread. A [`LoadJob`] runs [`Session::load_path`] or
//! [`Session::load_bytes`] on a worker thread and shares a [`LoadControl`] with the UI, which
//! reads the bytes-read counter for the progress bar and sets the cancel flag. The result
//! comes back once, through a channel, as a [`Loaded`]; the app decides what to do with it.
//! [`load_now`] does the same work on the calling thread (tests, and the inline mode).

use crate::capture::CaptureError;
use crate::samples::Sample;
use crate::session::{LoadControl, Session};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

/// What to load.
#[derive(Clone, Debug)]
pub enum LoadSource {
    /// A file on disk (File > Open, the command line, a dropped file, a recent file).
    Path(PathBuf),
    /// Bytes in memory: a bundled sample, or a dropped file that has no path.
    Bytes { name: PathBuf, bytes: Arc<[u8]> },
}

impl LoadSource {
    pub fn sample(sample: &Sample) -> LoadSource {
        LoadSource::Bytes {
            name: PathBuf::from(sample.file_name),
            bytes: Arc::from(sample.bytes),
        }
    }

    /// The file name, for messages and the window title.
    pub fn display_name(&self) -> String {
        let path = match self {
            LoadSource::Path(p) => p.as_path(),
            LoadSource::Bytes { name, .. } => name.as_path(),
        };
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string())
    }

    /// The path on disk, if there is one (only those go into the recent files).
    pub fn path(&self) -> Option<&Path> {
        match self {
            LoadSource::Path(p) => Some(p),
            LoadSource::Bytes { .. } => None,
        }
    }

    fn load(&self, control: &LoadControl) -> Result<Session, CaptureError> {
        match self {
            LoadSource::Path(path) => Session::load_path(path, control),
            LoadSource::Bytes { name, bytes } => {
                control.total.store(bytes.len() as u64, Ordering::Relaxed);
                Session::load_bytes(name, bytes.clone(), control)
            }
        }
    }
}

/// A finished load.
#[derive(Debug)]
pub struct Loaded {
    pub source: LoadSource,
    pub result: Result<Session, CaptureError>,
    pub elapsed: Duration,
    /// The user pressed Cancel: the session (if any) is partial and should be dropped.
    pub cancelled: bool,
}

/// Load on the calling thread.
pub fn load_now(source: LoadSource) -> Loaded {
    let control = LoadControl::default();
    let started = Instant::now();
    let result = source.load(&control);
    Loaded {
        source,
        result,
        elapsed: started.elapsed(),
        cancelled: false,
    }
}

/// A load running on a worker thread.
pub struct LoadJob {
    name: String,
    control: LoadControl,
    receiver: Receiver<Loaded>,
    source: LoadSource,
    started: Instant,
}

/// Bytes read so far and the total (0 when unknown, e.g. while a `.gz` is decompressed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub read: u64,
    pub total: u64,
}

impl Progress {
    /// 0..=1, or None when the total is unknown.
    pub fn fraction(self) -> Option<f32> {
        (self.total > 0).then(|| (self.read as f64 / self.total as f64).clamp(0.0, 1.0) as f32)
    }
}

impl LoadJob {
    /// Start loading `source`; `ctx` is asked to repaint when the result is ready.
    pub fn spawn(source: LoadSource, ctx: &egui::Context) -> LoadJob {
        let control = LoadControl::default();
        let (sender, receiver) = channel();
        let worker_control = control.clone();
        let worker_source = source.clone();
        let ctx = ctx.clone();
        let started = Instant::now();
        let spawned = std::thread::Builder::new()
            .name("tcp-ladder-load".into())
            .spawn(move || {
                let result = worker_source.load(&worker_control);
                let cancelled = worker_control.cancelled();
                // The app may have gone away; then nobody wants the result.
                let _ = sender.send(Loaded {
                    source: worker_source,
                    result,
                    elapsed: started.elapsed(),
                    cancelled,
                });
                ctx.request_repaint();
            });
        // If no thread could be started, the sender is dropped and `poll` reports it.
        drop(spawned);
        LoadJob {
            name: source.display_name(),
            control,
            receiver,
            source,
            started,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn progress(&self) -> Progress {
        Progress {
            read: self.control.progress.bytes_read(),
            total: self.control.total.load(Ordering::Relaxed),
        }
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Ask the worker to stop; its result will come back marked cancelled.
    pub fn cancel(&self) {
        self.control.cancel.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelling(&self) -> bool {
        self.control.cancelled()
    }

    /// The result, once the worker is done.
    pub fn poll(&self) -> Option<Loaded> {
        match self.receiver.try_recv() {
            Ok(loaded) => Some(loaded),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Loaded {
                source: self.source.clone(),
                result: Err(CaptureError::other(
                    &PathBuf::from(&self.name),
                    "the loading thread stopped unexpectedly",
                )),
                elapsed: self.started.elapsed(),
                cancelled: false,
            }),
        }
    }
}
