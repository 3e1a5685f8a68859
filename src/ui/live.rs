//! Live in the app: a capture stream read as it grows (standard input, a FIFO, or the
//! capture tool started from Capture › Start…), the Capture dialog and the Socket lab
//! panel. (File › Save as, live captures included, is in [`super::notes`].)
//!
//! A [`Feed`] reads the stream on a thread into a [`Growth`]; each frame the app takes
//! the [`Delta`] (new packets, changed connections) and adds it to its session, so nothing
//! already read is read again. The lab runs its sockets on a thread of its own
//! ([`LabPanel`]); the UI reads the kernel's states from `/proc/net/tcp` itself, at least
//! ten times a second, and records each change with its time.

use super::commands::Command;
use crate::capture::{self, CaptureReader, CaptureWarning, ProgressCounter, Spool};
use crate::flow::TcpState;
use crate::i18n::{Lang, LiveTexts, UiTexts, live_texts};
use crate::live::capture_child::start_problem_text;
use crate::live::capture_child::{self, CaptureChild, CaptureSpec, StartError, Tool};
use crate::live::interfaces::{self, Interface};
use crate::live::kernel_states::{self, KernelSocket};
use crate::live::lab::{self, KernelView, LabRun, Step, StepReport};
use crate::live::save::CaptureOrigin;
use crate::live::{Delta, Growth};
use crate::session::{FrameSource, Session};
use egui::{RichText, Ui};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How often the kernel's socket states are read while the lab is open (10 per second).
pub const KERNEL_POLL: Duration = Duration::from_millis(100);
/// Kernel state changes remembered per lab.
const KERNEL_HISTORY: usize = 1000;

/// What the live parts of the app are asked to do.
#[derive(Clone, Debug)]
pub enum LiveCommand {
    OpenCaptureDialog,
    CloseCaptureDialog,
    SelectInterface(String),
    SetFilter(String),
    StartCapture,
    StopCapture,
    OpenLab,
    CloseLab,
    LabStep(Step),
    /// Select the newest packet of the selected connection and follow new ones again.
    FollowNewest,
}

impl LiveCommand {
    /// Does this command put a new capture in place of the open one?
    pub fn replaces_capture(&self) -> bool {
        matches!(self, LiveCommand::StartCapture | LiveCommand::OpenLab)
    }
}

impl From<LiveCommand> for Command {
    fn from(c: LiveCommand) -> Command {
        Command::Live(c)
    }
}

/// A stream being read on a thread into a growing session.
pub struct Feed {
    pub name: String,
    growth: Arc<Mutex<Growth>>,
    warnings: Arc<Mutex<Vec<CaptureWarning>>>,
    ended: Arc<AtomicBool>,
    child: Option<CaptureChild>,
    pub spool: Arc<Spool>,
    pub origin: CaptureOrigin,
    pub tool: Option<String>,
    pub started: Instant,
}

impl Feed {
    /// Read `path` (`-` for standard input, or a FIFO) as a growing stream.
    pub fn from_path(path: &Path) -> Result<Feed, String> {
        let spool = Arc::new(Spool::create().map_err(|e| e.to_string())?);
        let reader =
            capture::open_stream_path(path, ProgressCounter::default(), Some(spool.clone()))
                .map_err(|e| e.to_string())?;
        Ok(Feed::spawn(
            crate::session::display_name(path),
            reader,
            spool,
            None,
            CaptureOrigin::default(),
        ))
    }

    /// Start the capture tool on `interface` with `filter` and read what it captures.
    pub fn capture(interface: &str, filter: &str, tool: Tool) -> Result<Feed, StartError> {
        let spec = CaptureSpec::new(interface, filter);
        let (child, stdout) = CaptureChild::start_with(tool, &spec)?;
        let spool = Arc::new(Spool::create().map_err(|e| StartError::Failed {
            tool: child.tool().name().to_string(),
            message: e.to_string(),
        })?);
        let reader = capture::open_reader(
            Path::new(interface),
            Box::new(stdout),
            ProgressCounter::default(),
            Some(spool.clone()),
        )
        .map_err(|e| StartError::Failed {
            tool: child.tool().name().to_string(),
            message: format!("{e} {}", child.stderr_text()),
        })?;
        let origin = CaptureOrigin {
            interface: Some(interface.to_string()),
            filter: Some(filter.to_string()),
        };
        Ok(Feed::spawn(
            interface.to_string(),
            reader,
            spool,
            Some(child),
            origin,
        ))
    }

    fn spawn(
        name: String,
        mut reader: CaptureReader,
        spool: Arc<Spool>,
        child: Option<CaptureChild>,
        origin: CaptureOrigin,
    ) -> Feed {
        let growth = Arc::new(Mutex::new(Growth::new()));
        let warnings = Arc::new(Mutex::new(Vec::new()));
        let ended = Arc::new(AtomicBool::new(false));
        let (g, w, e) = (growth.clone(), warnings.clone(), ended.clone());
        let tool = child.as_ref().map(|c| c.tool().name().to_string());
        let spawned = std::thread::Builder::new()
            .name("tcp-ladder-feed".into())
            .spawn(move || {
                while let Some(frame) = reader.next_frame() {
                    match g.lock() {
                        Ok(mut growth) => growth.push(&frame),
                        Err(_) => break,
                    }
                }
                if let Ok(mut w) = w.lock() {
                    *w = reader.warnings();
                }
                e.store(true, Ordering::Relaxed);
            });
        if spawned.is_err() {
            ended.store(true, Ordering::Relaxed);
        }
        Feed {
            name,
            growth,
            warnings,
            ended,
            child,
            spool,
            origin,
            tool,
            started: Instant::now(),
        }
    }

    /// What arrived since the last call (empty when nothing did).
    pub fn take_delta(&self) -> Delta {
        let warnings = self.warnings.lock().map(|w| w.clone()).unwrap_or_default();
        match self.growth.lock() {
            Ok(mut g) if g.has_changes() || self.ended() => g.take_delta(warnings),
            _ => Delta::default(),
        }
    }

    pub fn ended(&self) -> bool {
        self.ended.load(Ordering::Relaxed)
    }

    pub fn frames(&self) -> u64 {
        self.growth.lock().map(|g| g.frames()).unwrap_or(0)
    }

    /// Stop the capture tool (a stream from standard input simply stops being shown).
    pub fn stop(&mut self) {
        if let Some(child) = &mut self.child {
            child.stop();
        }
        self.ended.store(true, Ordering::Relaxed);
    }

    pub fn is_capture(&self) -> bool {
        self.child.is_some()
    }

    /// An empty session for this feed, to which the deltas are added.
    pub fn empty_session(&self) -> Session {
        Session::empty(self.name.clone(), FrameSource::Spool(self.spool.clone()))
    }
}

/// The Capture › Start… dialog.
#[derive(Clone, Debug)]
pub struct CaptureDialog {
    pub interfaces: Vec<Interface>,
    pub selected: Option<String>,
    pub filter: String,
    pub tool: Option<Tool>,
    /// Why the last start failed (with the command that fixes it).
    pub problem: Option<String>,
}

impl CaptureDialog {
    pub fn new(tool: Option<Tool>) -> CaptureDialog {
        let interfaces = interfaces::list();
        let selected = interfaces.first().map(|i| i.name.clone());
        CaptureDialog {
            interfaces,
            selected,
            filter: "tcp".to_string(),
            problem: None,
            tool,
        }
    }
}

/// One report from the lab's thread.
struct LabUpdate {
    report: StepReport,
    session: Session,
    client: Option<SocketAddr>,
    server: Option<SocketAddr>,
}

/// The Socket lab panel: a thread with the sockets and the capture, and the kernel's
/// states as the UI last read them.
pub struct LabPanel {
    steps: Sender<Step>,
    updates: Receiver<LabUpdate>,
    /// Why packets are not captured, if they are not.
    pub capture_problem: Option<String>,
    pub running: Option<Step>,
    pub log: Vec<StepReport>,
    pub client: Option<SocketAddr>,
    pub server: Option<SocketAddr>,
    pub kernel: KernelView,
    last_poll: Option<Instant>,
    /// Each change of the kernel's states, with when it was seen.
    pub history: Vec<(Instant, KernelView)>,
    pub inferred: Option<(TcpState, TcpState)>,
}

impl LabPanel {
    pub fn start(capture: bool) -> LabPanel {
        let (step_tx, step_rx) = channel::<Step>();
        let (update_tx, update_rx) = channel::<LabUpdate>();
        let (problem_tx, problem_rx) = channel::<Option<String>>();
        let spawned = std::thread::Builder::new()
            .name("tcp-ladder-lab".into())
            .spawn(move || {
                let mut run = LabRun::new(capture);
                let _ = problem_tx.send(run.capture_problem.as_ref().map(start_problem_text));
                while let Ok(step) = step_rx.recv() {
                    let report = run.step(step);
                    let update = LabUpdate {
                        report,
                        session: run.session.clone(),
                        client: run.lab.client_addr(),
                        server: run.lab.server_addr(),
                    };
                    if update_tx.send(update).is_err() {
                        break;
                    }
                }
                run.finish();
            });
        let capture_problem = match spawned {
            Ok(_) => problem_rx
                .recv_timeout(Duration::from_secs(15))
                .unwrap_or_else(|_| Some("the capture did not start".to_string())),
            Err(e) => Some(e.to_string()),
        };
        LabPanel {
            steps: step_tx,
            updates: update_rx,
            capture_problem,
            running: None,
            log: Vec::new(),
            client: None,
            server: None,
            kernel: KernelView::default(),
            last_poll: None,
            history: Vec::new(),
            inferred: None,
        }
    }

    pub fn run(&mut self, step: Step) {
        if self.running.is_none() && self.steps.send(step).is_ok() {
            self.running = Some(step);
        }
    }

    /// A finished step's session, if one finished since the last call.
    fn poll(&mut self) -> Option<Session> {
        let mut session = None;
        while let Ok(update) = self.updates.try_recv() {
            self.running = None;
            self.client = update.client;
            self.server = update.server;
            self.inferred = update.report.inferred;
            self.log.push(update.report);
            session = Some(update.session);
        }
        let due = self.last_poll.is_none_or(|t| t.elapsed() >= KERNEL_POLL);
        if due {
            self.last_poll = Some(Instant::now());
            let view = lab::kernel_view(&kernel_states::read(), self.client, self.server);
            if self.history.last().map(|(_, v)| states(v)) != Some(states(&view)) {
                if self.history.len() >= KERNEL_HISTORY {
                    self.history.remove(0);
                }
                self.history.push((Instant::now(), view));
            }
            self.kernel = view;
        }
        session
    }
}

/// The kernel's state of one lane's socket, as drawn beside its lifeline.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KernelLane {
    /// `FIN_WAIT2`, `TIME_WAIT (42 s left)`, or "no socket".
    pub text: String,
    /// It is the state the ladder inferred from the packets.
    pub agrees: bool,
}

impl LabPanel {
    /// When `ladder` is the lab's connection: the kernel's state of each lane's socket and
    /// whether it agrees with `inferred` (the state the ladder shows for that lane now).
    pub fn kernel_beside(
        &self,
        ladder: &crate::ladder::Ladder,
        inferred: [TcpState; 2],
        t: &LiveTexts,
    ) -> Option<[KernelLane; 2]> {
        let (client, server) = (self.client?, self.server?);
        let lane_of = |addr: SocketAddr| {
            ladder
                .lanes
                .iter()
                .position(|l| l.endpoint == addr.to_string())
        };
        let (c, s) = (lane_of(client)?, lane_of(server)?);
        let mut out: [KernelLane; 2] = Default::default();
        for (lane, socket) in [(c, self.kernel.client), (s, self.kernel.server)] {
            let agrees = match socket {
                Some(k) => inferred
                    .get(lane)
                    .is_some_and(|&i| k.state.rfc_state() == i),
                None => inferred.get(lane) == Some(&TcpState::Closed),
            };
            if let Some(slot) = out.get_mut(lane) {
                *slot = KernelLane {
                    text: kernel_text(socket, t),
                    agrees,
                };
            }
        }
        Some(out)
    }
}

fn states(v: &KernelView) -> [Option<kernel_states::KernelState>; 3] {
    [
        v.listener.map(|s| s.state),
        v.client_state(),
        v.server_state(),
    ]
}

/// Everything live the app holds.
#[derive(Default)]
pub struct LiveUi {
    pub feed: Option<Feed>,
    pub dialog: Option<CaptureDialog>,
    pub lab: Option<LabPanel>,
    /// Packets that arrived on the selected connection while the user looked elsewhere.
    pub unseen: usize,
    /// Tests: the capture tool to use instead of looking for one (`Some(None)`: none).
    pub tool_override: Option<Option<Tool>>,
}

impl LiveUi {
    pub fn tool(&self) -> Option<Tool> {
        match &self.tool_override {
            Some(t) => t.clone(),
            None => capture_child::find_tool(),
        }
    }

    /// Take what arrived: the feed's delta, or the lab's newest session.
    pub fn poll(&mut self) -> Polled {
        let mut polled = Polled::default();
        if let Some(feed) = &self.feed {
            let delta = feed.take_delta();
            if !delta.is_empty() || (feed.ended() && delta.stats.frames > 0) {
                polled.delta = Some(delta);
            }
        }
        if let Some(lab) = &mut self.lab {
            polled.lab_session = lab.poll();
        }
        polled
    }

    /// Whether the window must keep repainting (something live is running).
    pub fn active(&self) -> bool {
        self.feed.as_ref().is_some_and(|f| !f.ended()) || self.lab.is_some()
    }
}

/// What [`LiveUi::poll`] found.
#[derive(Default)]
pub struct Polled {
    pub delta: Option<Delta>,
    pub lab_session: Option<Session>,
}

/// The Capture menu.
#[must_use = "apply the returned command"]
pub fn capture_menu_ui(ui: &mut Ui, lang: Lang, capturing: bool) -> Option<Command> {
    let t = live_texts(lang);
    let mut command = None;
    ui.menu_button(t.menu_capture, |ui| {
        if capturing {
            if ui.button(t.stop).clicked() {
                command = Some(LiveCommand::StopCapture.into());
            }
        } else if ui.button(format!("{}…", t.start)).clicked() {
            command = Some(LiveCommand::OpenCaptureDialog.into());
        }
        if ui.button(t.socket_lab).clicked() {
            command = Some(LiveCommand::OpenLab.into());
        }
    });
    command
}

/// The Capture dialog, the lab panel and the live status strip.
#[must_use = "apply the returned commands"]
pub fn windows_ui(ui: &mut Ui, live: &mut LiveUi, lang: Lang) -> Vec<Command> {
    let t = live_texts(lang);
    let mut commands = Vec::new();
    let ctx = ui.ctx().clone();
    if let Some(dialog) = &mut live.dialog {
        let mut open = true;
        egui::Window::new(t.capture_title)
            .id(egui::Id::unique("capture dialog"))
            .open(&mut open)
            .collapsible(false)
            .show(&ctx, |ui| commands.extend(capture_dialog_ui(ui, dialog, t)));
        if !open {
            commands.push(LiveCommand::CloseCaptureDialog.into());
        }
    }
    if let Some(lab) = &live.lab {
        let mut open = true;
        // Over the connection list, low down: the lifelines and the kernel's states beside
        // them stay in view while the steps are clicked.
        let screen = ctx.content_rect();
        egui::Window::new(t.lab_title)
            .id(egui::Id::unique("socket lab window"))
            .open(&mut open)
            // One width, so the step buttons never move under the pointer.
            .default_width(400.0)
            .min_width(400.0)
            .max_width(400.0)
            // Pinned by its top, so the buttons stay put as the log grows below them.
            .default_pos(egui::pos2(8.0, (screen.bottom() - 500.0).max(60.0)))
            .show(&ctx, |ui| commands.extend(lab_ui(ui, lab, t)));
        if !open {
            commands.push(LiveCommand::CloseLab.into());
        }
    }
    commands
}

/// A line above the ladder while a stream is live: what is captured, Stop, new packets.
#[must_use = "apply the returned command"]
pub fn status_ui(ui: &mut Ui, live: &LiveUi, lang: Lang) -> Option<Command> {
    let t = live_texts(lang);
    let feed = live.feed.as_ref()?;
    let mut command = None;
    ui.horizontal(|ui| {
        let frames = feed.frames().to_string();
        if feed.ended() {
            ui.label(UiTexts::fill(t.stopped, &[&frames]));
        } else if feed.tool.is_none() {
            // Standard input or a FIFO: no tool of ours is capturing.
            ui.label(
                RichText::new(format!("{}: {frames}", feed.name))
                    .color(egui::Color32::from_rgb(0xc0, 0x30, 0x30)),
            );
        } else {
            let tool = feed.tool.as_deref().unwrap_or("-");
            ui.label(
                RichText::new(UiTexts::fill(t.capturing, &[&feed.name, tool, &frames]))
                    .color(egui::Color32::from_rgb(0xc0, 0x30, 0x30)),
            );
            if feed.is_capture() && ui.button(t.stop).clicked() {
                command = Some(LiveCommand::StopCapture.into());
            }
        }
        if live.unseen > 0
            && ui
                .button(UiTexts::fill(t.new_packets, &[&live.unseen.to_string()]))
                .clicked()
        {
            command = Some(LiveCommand::FollowNewest.into());
        }
    });
    command
}

fn capture_dialog_ui(ui: &mut Ui, dialog: &CaptureDialog, t: &LiveTexts) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.label(RichText::new(t.interfaces).strong());
    for iface in &dialog.interfaces {
        let addresses: Vec<String> = iface.addresses.iter().map(ToString::to_string).collect();
        let label = format!(
            "{} ({}) {}",
            iface.name,
            if iface.up { t.up } else { t.down },
            addresses.join(", ")
        );
        let selected = dialog.selected.as_deref() == Some(iface.name.as_str());
        if ui.radio(selected, label).clicked() {
            commands.push(LiveCommand::SelectInterface(iface.name.clone()).into());
        }
    }
    ui.separator();
    ui.label(t.filter);
    let mut filter = dialog.filter.clone();
    let edit = ui.add(egui::TextEdit::singleline(&mut filter).hint_text(t.filter_hint));
    if edit.changed() {
        commands.push(LiveCommand::SetFilter(filter).into());
    }
    let checked = capture_child::check_filter_text(&dialog.filter);
    if let Err(e) = &checked {
        ui.colored_label(ui.visuals().error_fg_color, e.to_string());
    }
    if dialog.tool.is_none() {
        ui.separator();
        ui.colored_label(ui.visuals().warn_fg_color, t.no_tool);
        ui.label(t.fix_with);
        ui.code(capture_child::install_fix());
    }
    if let Some(problem) = &dialog.problem {
        ui.separator();
        problem_ui(ui, problem, t);
    }
    ui.separator();
    let can_start = checked.is_ok() && dialog.tool.is_some() && dialog.selected.is_some();
    if ui
        .add_enabled(can_start, egui::Button::new(t.start))
        .clicked()
    {
        commands.push(LiveCommand::StartCapture.into());
    }
    commands
}

/// A problem with its fix: the message, then the command on its own line to copy.
fn problem_ui(ui: &mut Ui, problem: &str, t: &LiveTexts) {
    let (what, fix) = match problem.split_once(" run: ") {
        Some((what, fix)) => (
            what.trim_end_matches(" To capture,")
                .trim_end_matches(" To allow it,"),
            Some(fix),
        ),
        None => (problem, None),
    };
    ui.colored_label(ui.visuals().warn_fg_color, what);
    if let Some(fix) = fix {
        ui.label(t.fix_with);
        ui.code(fix);
    }
}

fn kernel_text(sock: Option<KernelSocket>, t: &LiveTexts) -> String {
    match sock {
        Some(s) => match s.time_wait_left {
            Some(left) => format!(
                "{} ({})",
                s.state,
                UiTexts::fill(t.left, &[&format!("{:.0}", left.as_secs_f64())])
            ),
            None => s.state.to_string(),
        },
        None => t.no_socket.to_string(),
    }
}

fn lab_ui(ui: &mut Ui, lab: &LabPanel, t: &LiveTexts) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.label(t.lab_intro);
    if let Some(problem) = &lab.capture_problem {
        ui.label(RichText::new(t.no_packets).strong());
        problem_ui(ui, problem, t);
    }
    ui.horizontal_wrapped(|ui| {
        for (step, name) in Step::ALL.iter().zip(t.steps) {
            let button = ui.add_enabled(lab.running.is_none(), egui::Button::new(name));
            if button.clicked() {
                commands.push(LiveCommand::LabStep(*step).into());
            }
        }
    });
    if lab.running.is_some() {
        ui.label(t.running_step);
    }
    ui.separator();
    let addr = |a: Option<SocketAddr>| a.map(|a| a.to_string()).unwrap_or_default();
    egui::Grid::new("lab states").striped(true).show(ui, |ui| {
        ui.label("");
        ui.label(RichText::new(t.client).strong());
        ui.label(RichText::new(t.server).strong());
        ui.end_row();
        // The addresses on a row of their own, small: the panel keeps its width.
        ui.label("");
        ui.label(RichText::new(addr(lab.client)).small().monospace());
        ui.label(RichText::new(addr(lab.server)).small().monospace());
        ui.end_row();
        ui.label(t.kernel_row);
        ui.label(kernel_text(lab.kernel.client, t));
        ui.label(kernel_text(lab.kernel.server, t));
        ui.end_row();
        if let Some((c, s)) = lab.inferred {
            ui.label(t.inferred_row);
            ui.label(c.rfc_name());
            ui.label(s.rfc_name());
            ui.end_row();
            ui.label("");
            for (inferred, kernel) in [(c, lab.kernel.client), (s, lab.kernel.server)] {
                let same = match kernel {
                    Some(k) => k.state.rfc_state() == inferred,
                    None => inferred == TcpState::Closed,
                };
                if same {
                    ui.label(t.agree);
                } else {
                    ui.label(RichText::new(t.differ).small());
                }
            }
            ui.end_row();
        }
        ui.label(t.listener);
        ui.label(kernel_text(lab.kernel.listener, t));
        ui.end_row();
    });
    ui.separator();
    egui::ScrollArea::vertical()
        .max_height(180.0)
        .stick_to_bottom(true)
        .show(ui, |ui| {
            // Long tcpdump lines wrap inside the panel instead of widening it.
            for (i, report) in lab.log.iter().enumerate() {
                let text = lab::report_text(i, report, lab.capture_problem.is_none());
                ui.add(egui::Label::new(RichText::new(text).monospace().small()).wrap());
            }
        });
    commands
}

/// A capture that cannot start, in words with the command that fixes it.
pub fn start_problem(e: &StartError) -> String {
    start_problem_text(e)
}
