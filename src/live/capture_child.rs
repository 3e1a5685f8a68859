//! Capturing packets by running a capture tool as a child process, as Wireshark runs
//! dumpcap: `tcpdump -U --immediate-mode -w -` (or `dumpcap -w -`) writes pcap(ng) to its
//! standard output, and we read that pipe as a stream. The tool gets its arguments as a
//! list (never through a shell); the capture filter is checked first (a conservative set
//! of characters, a bounded length, then compiled by `tcpdump -d`). Nothing here needs
//! privileges: when the tool may not capture, [`StartError`] says so, with the one command
//! that fixes it on this system.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The longest capture filter accepted.
pub const MAX_FILTER_LEN: usize = 512;

/// Set this environment variable to `tcpdump`, `dumpcap` or a full path to choose the
/// tool, or to `none` to behave as if none were installed (tests, troubleshooting).
pub const TOOL_ENV: &str = "TCP_LADDER_CAPTURE_TOOL";

/// How long a tool may take to start capturing before we give up.
const START_TIMEOUT: Duration = Duration::from_secs(10);

/// Lines of the tool's standard error kept for messages.
const STDERR_LINES: usize = 20;

/// Which capture tool runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tool {
    Tcpdump(PathBuf),
    Dumpcap(PathBuf),
}

impl Tool {
    pub fn path(&self) -> &Path {
        match self {
            Tool::Tcpdump(p) | Tool::Dumpcap(p) => p,
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Tool::Tcpdump(_) => "tcpdump",
            Tool::Dumpcap(_) => "dumpcap",
        }
    }

    /// The one command that lets this user capture with this tool.
    pub fn permission_fix(&self) -> String {
        match self {
            Tool::Tcpdump(p) => {
                format!("sudo setcap cap_net_raw,cap_net_admin=eip {}", p.display())
            }
            Tool::Dumpcap(_) => {
                "sudo usermod -aG wireshark \"$USER\" (then log in again)".to_string()
            }
        }
    }
}

/// Find tcpdump or dumpcap (tcpdump first: it is what CI installs), honouring [`TOOL_ENV`].
pub fn find_tool() -> Option<Tool> {
    match std::env::var(TOOL_ENV).ok().as_deref() {
        Some("none") => None,
        Some("tcpdump") => search("tcpdump").map(Tool::Tcpdump),
        Some("dumpcap") => search("dumpcap").map(Tool::Dumpcap),
        Some(path) if !path.is_empty() => {
            let p = PathBuf::from(path);
            let is_dumpcap = p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().contains("dumpcap"));
            let is_file = p.is_file();
            is_file.then_some(if is_dumpcap {
                Tool::Dumpcap(p)
            } else {
                Tool::Tcpdump(p)
            })
        }
        _ => search("tcpdump")
            .map(Tool::Tcpdump)
            .or_else(|| search("dumpcap").map(Tool::Dumpcap)),
    }
}

/// `name` in `$PATH`, or in the sbin directories where distributions put capture tools.
fn search(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin", "/usr/bin", "/usr/local/sbin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// The command that installs a capture tool on this system.
pub fn install_fix() -> &'static str {
    let has = |p: &str| Path::new(p).exists();
    if has("/usr/bin/apt-get") {
        "sudo apt-get install tcpdump"
    } else if has("/usr/bin/dnf") {
        "sudo dnf install tcpdump"
    } else if has("/usr/bin/pacman") {
        "sudo pacman -S tcpdump"
    } else if has("/sbin/apk") {
        "sudo apk add tcpdump"
    } else if has("/usr/bin/zypper") {
        "sudo zypper install tcpdump"
    } else if has("/opt/homebrew/bin/brew") || has("/usr/local/bin/brew") {
        "brew install tcpdump"
    } else {
        "install tcpdump with your system's package manager"
    }
}

/// Why a capture could not start.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StartError {
    #[error("no capture tool is installed (tcpdump or dumpcap). To fix: {fix}")]
    NoTool { fix: String },
    #[error("{tool} may not capture on {interface} as this user. To fix: {fix}")]
    NotPermitted {
        tool: String,
        interface: String,
        fix: String,
    },
    #[error("bad capture filter: {0}")]
    BadFilter(String),
    #[error("bad interface name: {0:?}")]
    BadInterface(String),
    #[error("{tool} did not start: {message}")]
    Failed { tool: String, message: String },
}

/// Check a capture filter's text before any tool sees it: at most [`MAX_FILTER_LEN`]
/// characters from a conservative set (what BPF expressions use).
pub fn check_filter_text(filter: &str) -> Result<(), StartError> {
    if filter.len() > MAX_FILTER_LEN {
        return Err(StartError::BadFilter(format!(
            "longer than {MAX_FILTER_LEN} characters"
        )));
    }
    if let Some(c) = filter
        .chars()
        .find(|&c| !(c.is_ascii_alphanumeric() || " .:/()!&|<>=[]-+*_".contains(c)))
    {
        return Err(StartError::BadFilter(format!(
            "the character {c:?} is not allowed"
        )));
    }
    if filter.trim_start().starts_with('-') {
        return Err(StartError::BadFilter(
            "it may not start with '-'".to_string(),
        ));
    }
    Ok(())
}

/// Check the filter's text, then have tcpdump compile it (`tcpdump -d`, which captures
/// nothing and needs no privileges). With only dumpcap installed, the tool itself reports
/// a bad filter when it starts.
pub fn validate_filter(filter: &str) -> Result<(), StartError> {
    check_filter_text(filter)?;
    if filter.trim().is_empty() {
        return Ok(());
    }
    let Some(tcpdump) = search("tcpdump").filter(|_| find_tool().is_some()) else {
        return Ok(());
    };
    let output = Command::new(tcpdump)
        .args(["-d", "-y", "EN10MB", "--", filter])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| StartError::BadFilter(format!("cannot run tcpdump -d: {e}")))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let message = stderr
        .lines()
        .find(|l| !l.starts_with("Warning"))
        .unwrap_or("tcpdump cannot compile it")
        .trim_start_matches("tcpdump: ")
        .to_string();
    Err(StartError::BadFilter(message))
}

/// An interface name as the kernel allows it (at most 15 bytes, no '/', no spaces).
pub fn check_interface(name: &str) -> Result<(), StartError> {
    let ok = !name.is_empty()
        && name.len() <= 15
        && !name.starts_with('-')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-@:".contains(c));
    if ok {
        Ok(())
    } else {
        Err(StartError::BadInterface(name.to_string()))
    }
}

/// What to capture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaptureSpec {
    pub interface: String,
    /// BPF capture filter ("" for everything).
    pub filter: String,
    /// Stop after this many packets.
    pub count: Option<u64>,
    /// Stop after this long.
    pub duration: Option<Duration>,
}

impl CaptureSpec {
    pub fn new(interface: &str, filter: &str) -> CaptureSpec {
        CaptureSpec {
            interface: interface.to_string(),
            filter: filter.to_string(),
            count: None,
            duration: None,
        }
    }
}

/// The argument list for a tool (no shell ever sees it).
pub fn arguments(tool: &Tool, spec: &CaptureSpec) -> Vec<String> {
    let mut args: Vec<String> = Vec::new();
    match tool {
        Tool::Tcpdump(_) => {
            args.extend(["-U", "--immediate-mode", "-n", "-i"].map(String::from));
            args.push(spec.interface.clone());
            if let Some(n) = spec.count {
                args.push("-c".into());
                args.push(n.to_string());
            }
            args.extend(["-w", "-"].map(String::from));
            if !spec.filter.trim().is_empty() {
                args.push("--".into());
                args.push(spec.filter.clone());
            }
        }
        Tool::Dumpcap(_) => {
            args.extend(["-q", "-i"].map(String::from));
            args.push(spec.interface.clone());
            if !spec.filter.trim().is_empty() {
                args.push("-f".into());
                args.push(spec.filter.clone());
            }
            if let Some(n) = spec.count {
                args.push("-c".into());
                args.push(n.to_string());
            }
            if let Some(d) = spec.duration {
                args.push("-a".into());
                args.push(format!("duration:{}", d.as_secs().max(1)));
            }
            args.extend(["-w", "-"].map(String::from));
        }
    }
    args
}

/// A running capture tool. Dropping it stops the tool.
pub struct CaptureChild {
    child: Child,
    tool: Tool,
    stderr: Arc<Mutex<Vec<String>>>,
}

impl CaptureChild {
    /// Start capturing. Returns once the tool says it is listening, with the pipe to read
    /// the capture from ([`crate::capture::open_reader`]).
    pub fn start(spec: &CaptureSpec) -> Result<(CaptureChild, ChildStdout), StartError> {
        let tool = find_tool().ok_or_else(|| StartError::NoTool {
            fix: install_fix().to_string(),
        })?;
        Self::start_with(tool, spec)
    }

    /// Start capturing with a given tool.
    pub fn start_with(
        tool: Tool,
        spec: &CaptureSpec,
    ) -> Result<(CaptureChild, ChildStdout), StartError> {
        check_interface(&spec.interface)?;
        validate_filter(&spec.filter)?;
        let mut child = Command::new(tool.path())
            .args(arguments(&tool, spec))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => StartError::NoTool {
                    fix: install_fix().to_string(),
                },
                _ => StartError::Failed {
                    tool: tool.name().to_string(),
                    message: e.to_string(),
                },
            })?;
        let (stdout, stderr_pipe) = match (child.stdout.take(), child.stderr.take()) {
            (Some(o), Some(e)) => (o, e),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(StartError::Failed {
                    tool: tool.name().to_string(),
                    message: "no pipes".to_string(),
                });
            }
        };
        let lines = Arc::new(Mutex::new(Vec::new()));
        let ready = drain_stderr(stderr_pipe, lines.clone());
        let mut running = CaptureChild {
            child,
            tool,
            stderr: lines,
        };
        match ready.recv_timeout(START_TIMEOUT) {
            Ok(()) => {}
            Err(RecvTimeoutError::Disconnected) | Err(RecvTimeoutError::Timeout) => {
                // It ended (or never said it listens): tell why from what it printed.
                let _ = running.child.kill();
                let _ = running.child.wait();
                return Err(running.start_error(&spec.interface));
            }
        }
        if let Some(d) = spec.duration
            && matches!(running.tool, Tool::Tcpdump(_))
        {
            // tcpdump has no duration limit of its own (its -G rotates files): stop it.
            let pid = running.child.id();
            std::thread::spawn(move || {
                std::thread::sleep(d);
                terminate(pid);
            });
        }
        Ok((running, stdout))
    }

    fn start_error(&self, interface: &str) -> StartError {
        let text = self.stderr_text();
        let lower = text.to_ascii_lowercase();
        if lower.contains("permission") || lower.contains("not permitted") {
            return StartError::NotPermitted {
                tool: self.tool.name().to_string(),
                interface: interface.to_string(),
                fix: self.tool.permission_fix(),
            };
        }
        StartError::Failed {
            tool: self.tool.name().to_string(),
            message: if text.is_empty() {
                "it stopped without saying why".to_string()
            } else {
                text
            },
        }
    }

    /// What the tool printed on its standard error (the last lines).
    pub fn stderr_text(&self) -> String {
        self.stderr.lock().map(|l| l.join("\n")).unwrap_or_default()
    }

    pub fn tool(&self) -> &Tool {
        &self.tool
    }

    /// Ask the tool to stop (SIGTERM, so it writes out what it holds), then wait for it,
    /// killing it if it has not ended within two seconds.
    pub fn stop(&mut self) {
        if matches!(self.child.try_wait(), Ok(Some(_))) {
            return;
        }
        terminate(self.child.id());
        for _ in 0..40 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Whether the tool is still running.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for CaptureChild {
    fn drop(&mut self) {
        self.stop();
    }
}

/// SIGTERM to one process by its id, through `kill(1)` (this crate has no unsafe code).
fn terminate(pid: u32) {
    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Read the tool's standard error on a thread, keeping the last lines; the receiver hears
/// once when the tool says it is capturing.
fn drain_stderr(pipe: impl Read + Send + 'static, lines: Arc<Mutex<Vec<String>>>) -> Receiver<()> {
    let (ready, heard) = channel();
    std::thread::spawn(move || {
        let mut said_ready = false;
        // Bounded lines: a tool that prints without end cannot grow our memory.
        for line in BufReader::new(pipe.take(1 << 20))
            .split(b'\n')
            .map_while(Result::ok)
        {
            let line = String::from_utf8_lossy(&line).trim_end().to_string();
            if !said_ready && (line.contains("listening on") || line.starts_with("Capturing on")) {
                said_ready = true;
                let _ = ready.send(());
            }
            if let Ok(mut kept) = lines.lock() {
                if kept.len() >= STDERR_LINES {
                    kept.remove(0);
                }
                kept.push(line);
            }
        }
    });
    heard
}

/// How to say that packets cannot be captured, and the command that fixes it.
pub fn start_problem_text(e: &StartError) -> String {
    match e {
        StartError::NoTool { fix } => {
            format!("no capture tool is installed (tcpdump or dumpcap). To capture, run: {fix}")
        }
        StartError::NotPermitted {
            tool,
            interface,
            fix,
        } => format!("{tool} may not capture on {interface} as this user. To allow it, run: {fix}"),
        other => other.to_string(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn filter_text_is_checked() {
        assert!(check_filter_text("tcp port 80 and host 127.0.0.1").is_ok());
        assert!(check_filter_text("tcp[tcpflags] & (tcp-syn|tcp-fin) != 0").is_ok());
        assert!(check_filter_text("ip6 and net fe80::/10").is_ok());
        assert!(check_filter_text("tcp; rm -rf /").is_err());
        assert!(check_filter_text("$(reboot)").is_err());
        assert!(check_filter_text("tcp\nudp").is_err());
        assert!(check_filter_text("-w /etc/passwd").is_err());
        assert!(check_filter_text(&"tcp ".repeat(200)).is_err());
    }

    #[test]
    fn interface_names_are_checked() {
        assert!(check_interface("lo").is_ok());
        assert!(check_interface("enp0s31f6").is_ok());
        assert!(check_interface("-w").is_err());
        assert!(check_interface("eth0 -w x").is_err());
        assert!(check_interface("averyveryverylongname").is_err());
    }

    #[test]
    fn arguments_are_a_list_with_the_filter_last() {
        let mut spec = CaptureSpec::new("lo", "tcp port 80");
        spec.count = Some(5);
        let args = arguments(&Tool::Tcpdump("/usr/bin/tcpdump".into()), &spec);
        assert_eq!(
            args,
            [
                "-U",
                "--immediate-mode",
                "-n",
                "-i",
                "lo",
                "-c",
                "5",
                "-w",
                "-",
                "--",
                "tcp port 80"
            ]
        );
        let args = arguments(&Tool::Dumpcap("/usr/bin/dumpcap".into()), &spec);
        assert!(args.windows(2).any(|w| w == ["-f", "tcp port 80"]));
    }
}
