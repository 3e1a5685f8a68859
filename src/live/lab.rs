//! The socket lab: the tutorials' experiment (a tiny server and client, `netstat` between
//! the steps, tcpdump watching) made with real sockets on 127.0.0.1, one step at a time.
//!
//! [`Lab`] holds the sockets and runs a [`Step`]; [`Lab::kernel_view`] reads the kernel's
//! own state of each of them from `/proc/net/tcp` ([`super::kernel_states`]). A
//! [`LabRun`] adds a loopback capture ([`super::feed::LiveCapture`]) and our own analysis
//! of the captured packets, so each step reports the packets it caused (tcpdump lines),
//! the kernel's states and the states inferred from the packets. Every socket binds to
//! 127.0.0.1 only; nothing leaves the machine.

use super::capture_child::{CaptureSpec, StartError};
use super::feed::{LiveCapture, OwnedFrame};
use super::kernel_states::{self, KernelSocket, KernelState};
use super::{Growth, save};
use crate::decode;
use crate::export::tcpdump::TcpdumpPrinter;
use crate::flow::{Side, TcpState};
use crate::session::{FrameSource, Session};
use socket2::{Domain, Protocol, SockAddr, SockRef, Socket, Type};
use std::io::{Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

/// What the client sends, as in the tutorial.
pub const CLIENT_MESSAGE: &[u8] = b"helloworld";
/// What the server answers.
pub const SERVER_MESSAGE: &[u8] = b"hello client";

/// Every timeout of the lab's sockets.
const SOCKET_TIMEOUT: Duration = Duration::from_secs(2);
/// The most frames one lab run keeps.
const MAX_LAB_FRAMES: usize = 100_000;

/// One step of the experiment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    Listen,
    Connect,
    SendClient,
    SendServer,
    CloseClient,
    CloseServer,
    ShutdownClient,
    Abort,
    ConnectClosedPort,
}

impl Step {
    pub const ALL: [Step; 9] = [
        Step::Listen,
        Step::Connect,
        Step::SendClient,
        Step::SendServer,
        Step::CloseClient,
        Step::CloseServer,
        Step::ShutdownClient,
        Step::Abort,
        Step::ConnectClosedPort,
    ];

    /// The name used in `--steps`.
    pub fn name(self) -> &'static str {
        match self {
            Step::Listen => "listen",
            Step::Connect => "connect",
            Step::SendClient => "send-client",
            Step::SendServer => "send-server",
            Step::CloseClient => "close-client",
            Step::CloseServer => "close-server",
            Step::ShutdownClient => "shutdown-client",
            Step::Abort => "abort",
            Step::ConnectClosedPort => "connect-closed-port",
        }
    }

    /// What the step does, in plain words.
    pub fn describe(self) -> &'static str {
        match self {
            Step::Listen => "the server listens on 127.0.0.1",
            Step::Connect => "the client connects to the server",
            Step::SendClient => "the client sends \"helloworld\"",
            Step::SendServer => "the server sends a reply",
            Step::CloseClient => "the client closes its socket",
            Step::CloseServer => "the server closes its socket",
            Step::ShutdownClient => "the client shuts down writing only (half-close)",
            Step::Abort => "the client aborts the connection (SO_LINGER 0: RST)",
            Step::ConnectClosedPort => "a client connects to a port nobody listens on",
        }
    }

    pub fn parse(name: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|s| s.name() == name.trim())
    }
}

/// `"listen,connect,send-client"` → the steps, or the first name that is not a step.
pub fn parse_steps(text: &str) -> Result<Vec<Step>, String> {
    text.split(',')
        .filter(|s| !s.trim().is_empty())
        .take(1000)
        .map(|s| {
            Step::parse(s).ok_or_else(|| {
                let names: Vec<&str> = Step::ALL.iter().map(|s| s.name()).collect();
                format!(
                    "unknown lab step {:?} (steps: {})",
                    s.trim(),
                    names.join(", ")
                )
            })
        })
        .collect()
}

/// The sockets of the experiment.
#[derive(Default)]
pub struct Lab {
    listener: Option<TcpListener>,
    server_addr: Option<SocketAddr>,
    client: Option<TcpStream>,
    client_addr: Option<SocketAddr>,
    server: Option<TcpStream>,
    /// The last refused attempt: (client address, the closed port's address).
    refused: Option<(SocketAddr, SocketAddr)>,
}

/// The kernel's view of the lab's sockets after a step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KernelView {
    pub listener: Option<KernelSocket>,
    /// The client's socket (None: the kernel has no such socket any more, or never had).
    pub client: Option<KernelSocket>,
    /// The server's connected socket.
    pub server: Option<KernelSocket>,
}

impl KernelView {
    pub fn client_state(&self) -> Option<KernelState> {
        self.client.map(|s| s.state)
    }
    pub fn server_state(&self) -> Option<KernelState> {
        self.server.map(|s| s.state)
    }
}

impl Lab {
    pub fn new() -> Lab {
        Lab::default()
    }

    /// The server's listening address, once it listens.
    pub fn server_addr(&self) -> Option<SocketAddr> {
        self.server_addr
    }

    /// The client's address, once it connected.
    pub fn client_addr(&self) -> Option<SocketAddr> {
        self.client_addr
    }

    /// The ports whose packets belong to the lab.
    pub fn ports(&self) -> Vec<u16> {
        let mut ports: Vec<u16> = self.server_addr.iter().map(|a| a.port()).collect();
        if let Some((client, closed)) = self.refused {
            ports.push(closed.port());
            ports.push(client.port());
        }
        ports
    }

    /// Run one step. Returns what happened in a few words (or why it could not run).
    pub fn run(&mut self, step: Step) -> Result<String, String> {
        match step {
            Step::Listen => {
                if let Some(addr) = self.server_addr {
                    return Err(format!("the server already listens on {addr}"));
                }
                let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
                    .map_err(|e| format!("cannot listen: {e}"))?;
                let addr = listener.local_addr().map_err(|e| e.to_string())?;
                self.listener = Some(listener);
                self.server_addr = Some(addr);
                Ok(format!("the server listens on {addr}"))
            }
            Step::Connect => {
                let server_addr = self
                    .server_addr
                    .ok_or("nobody listens yet: run listen first")?;
                if self.client.is_some() {
                    return Err("the client is already connected".to_string());
                }
                let (stream, local) = connect_from_loopback(server_addr)
                    .map_err(|e| format!("cannot connect: {e}"))?;
                self.client = Some(stream);
                self.client_addr = Some(local);
                self.server = self.accept();
                Ok(format!("the client {local} connected to {server_addr}"))
            }
            Step::SendClient => {
                let client = self
                    .client
                    .as_mut()
                    .ok_or("no client connection: connect first")?;
                client
                    .write_all(CLIENT_MESSAGE)
                    .map_err(|e| format!("the client cannot send: {e}"))?;
                let got = self
                    .server
                    .as_mut()
                    .map(|s| read_some(s, CLIENT_MESSAGE.len()));
                Ok(match got {
                    Some(bytes) => format!(
                        "the client sent {} bytes; the server read {:?}",
                        CLIENT_MESSAGE.len(),
                        String::from_utf8_lossy(&bytes)
                    ),
                    None => format!("the client sent {} bytes", CLIENT_MESSAGE.len()),
                })
            }
            Step::SendServer => {
                let server = self
                    .server
                    .as_mut()
                    .ok_or("no server connection: connect first")?;
                server
                    .write_all(SERVER_MESSAGE)
                    .map_err(|e| format!("the server cannot send: {e}"))?;
                let got = self
                    .client
                    .as_mut()
                    .map(|c| read_some(c, SERVER_MESSAGE.len()));
                Ok(match got {
                    Some(bytes) => format!(
                        "the server sent {} bytes; the client read {:?}",
                        SERVER_MESSAGE.len(),
                        String::from_utf8_lossy(&bytes)
                    ),
                    None => format!("the server sent {} bytes", SERVER_MESSAGE.len()),
                })
            }
            Step::CloseClient => {
                drop(self.client.take().ok_or("the client has no open socket")?);
                Ok("the client closed its socket".to_string())
            }
            Step::CloseServer => {
                drop(
                    self.server
                        .take()
                        .ok_or("the server has no connected socket")?,
                );
                Ok("the server closed its connected socket (it still listens)".to_string())
            }
            Step::ShutdownClient => {
                let client = self
                    .client
                    .as_ref()
                    .ok_or("no client connection: connect first")?;
                client
                    .shutdown(Shutdown::Write)
                    .map_err(|e| format!("cannot shut down: {e}"))?;
                Ok("the client shut down its sending side (it can still receive)".to_string())
            }
            Step::Abort => {
                let client = self
                    .client
                    .take()
                    .ok_or("no client connection: connect first")?;
                SockRef::from(&client)
                    .set_linger(Some(Duration::ZERO))
                    .map_err(|e| format!("cannot set SO_LINGER: {e}"))?;
                drop(client);
                Ok("the client closed with SO_LINGER 0: the kernel sends RST".to_string())
            }
            Step::ConnectClosedPort => {
                // A port that nothing listens on: a socket bound to it and not listening,
                // held until the attempt is over. While it is bound no other program (or
                // test) can start listening there, and the kernel cannot give the client
                // that very port (a connection to itself would succeed: a simultaneous
                // open with itself); a SYN to it is answered with a RST all the same, as
                // only a listening socket takes a SYN.
                let (holder, closed) = bound_on_loopback()?;
                let (socket, local) = bound_on_loopback()?;
                self.refused = Some((local, closed));
                let attempt = socket.connect_timeout(&SockAddr::from(closed), SOCKET_TIMEOUT);
                drop(holder);
                match attempt {
                    Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => Ok(format!(
                        "{local} → {closed}: connection refused (the kernel answered RST)"
                    )),
                    Err(e) => Ok(format!("{local} → {closed}: {e}")),
                    Ok(()) => Ok(format!(
                        "{local} → {closed}: connected (someone listens there)"
                    )),
                }
            }
        }
    }

    fn accept(&mut self) -> Option<TcpStream> {
        let listener = self.listener.as_ref()?;
        listener.set_nonblocking(true).ok()?;
        let deadline = Instant::now() + SOCKET_TIMEOUT;
        while Instant::now() < deadline {
            match listener.accept() {
                Ok((stream, _)) => {
                    stream.set_nonblocking(false).ok()?;
                    stream.set_read_timeout(Some(SOCKET_TIMEOUT)).ok()?;
                    stream.set_write_timeout(Some(SOCKET_TIMEOUT)).ok()?;
                    return Some(stream);
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(_) => return None,
            }
        }
        None
    }

    /// The kernel's state of each of the lab's sockets, now.
    pub fn kernel_view(&self) -> KernelView {
        self.kernel_view_in(&kernel_states::read())
    }

    /// [`Self::kernel_view`] from a given socket list.
    pub fn kernel_view_in(&self, sockets: &[KernelSocket]) -> KernelView {
        kernel_view(sockets, self.client_addr, self.server_addr)
    }
}

/// The kernel's view of a client and a server socket (and the server's listener).
pub fn kernel_view(
    sockets: &[KernelSocket],
    client_addr: Option<SocketAddr>,
    server_addr: Option<SocketAddr>,
) -> KernelView {
    let listener = server_addr.and_then(|a| kernel_states::listener(sockets, a));
    let (client, server) = match (client_addr, server_addr) {
        (Some(c), Some(s)) => (
            kernel_states::state_of(sockets, c, s),
            kernel_states::state_of(sockets, s, c),
        ),
        _ => (None, None),
    };
    KernelView {
        listener,
        client,
        server,
    }
}

/// A client socket bound to 127.0.0.1 (never another address), connected to `server`.
fn connect_from_loopback(server: SocketAddr) -> std::io::Result<(TcpStream, SocketAddr)> {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))?;
    socket.bind(&SockAddr::from(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))))?;
    socket.connect_timeout(&SockAddr::from(server), SOCKET_TIMEOUT)?;
    let stream: TcpStream = socket.into();
    stream.set_read_timeout(Some(SOCKET_TIMEOUT))?;
    stream.set_write_timeout(Some(SOCKET_TIMEOUT))?;
    let local = stream.local_addr()?;
    Ok((stream, local))
}

/// Read up to `want` bytes (what has arrived within the socket's timeout).
fn read_some(stream: &mut TcpStream, want: usize) -> Vec<u8> {
    let mut got = Vec::new();
    let mut buf = [0u8; 256];
    let deadline = Instant::now() + SOCKET_TIMEOUT;
    while got.len() < want && Instant::now() < deadline {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => got.extend_from_slice(buf.get(..n).unwrap_or(&[])),
        }
    }
    got
}

/// What one step did.
#[derive(Clone, Debug)]
pub struct StepReport {
    pub step: Step,
    /// What happened, or why it could not run.
    pub outcome: Result<String, String>,
    /// The packets it caused, as tcpdump prints them.
    pub packets: Vec<String>,
    /// The kernel's states after it.
    pub kernel: KernelView,
    /// The states inferred from the captured packets (client, server), when captured.
    pub inferred: Option<(TcpState, TcpState)>,
}

/// A lab with a loopback capture and our own analysis of what it captured.
pub struct LabRun {
    pub lab: Lab,
    capture: Option<LiveCapture>,
    /// Why packets are not captured, when they are not.
    pub capture_problem: Option<StartError>,
    printer: TcpdumpPrinter,
    growth: Growth,
    pub session: Session,
    frames: Vec<OwnedFrame>,
    /// Every kept frame's bytes, one after the other (the session's frame source).
    bytes: Vec<u8>,
}

impl LabRun {
    /// A lab; with `capture`, loopback is captured while it runs.
    pub fn new(capture: bool) -> LabRun {
        let (capture, capture_problem) = if capture {
            match LiveCapture::start(&CaptureSpec::new("lo", "tcp and host 127.0.0.1")) {
                Ok(c) => (Some(c), None),
                Err(e) => (None, Some(e)),
            }
        } else {
            (None, None)
        };
        LabRun {
            lab: Lab::new(),
            capture,
            capture_problem,
            printer: TcpdumpPrinter::new(false),
            growth: Growth::new(),
            session: Session::empty(
                "socket lab".to_string(),
                FrameSource::Memory(Vec::new().into()),
            ),
            frames: Vec::new(),
            bytes: Vec::new(),
        }
    }

    pub fn capturing(&self) -> bool {
        self.capture.is_some()
    }

    /// Run a step, wait for its traffic to settle, and report.
    pub fn step(&mut self, step: Step) -> StepReport {
        let outcome = self.lab.run(step);
        let packets = match &self.capture {
            Some(capture) => {
                capture.wait_quiet(Duration::from_millis(250), Duration::from_secs(3));
                let new = capture.take_new();
                self.take_frames(new)
            }
            None => {
                // Let the kernels finish their exchange (FIN, ACK) before reading states.
                std::thread::sleep(Duration::from_millis(100));
                Vec::new()
            }
        };
        StepReport {
            step,
            outcome,
            packets,
            kernel: self.lab.kernel_view(),
            inferred: self.inferred(),
        }
    }

    /// Keep the lab's frames (others on loopback are ignored); their tcpdump lines.
    fn take_frames(&mut self, new: Vec<OwnedFrame>) -> Vec<String> {
        let ports = self.lab.ports();
        let mut lines = Vec::new();
        for mut owned in new {
            let ours = decode::decode(&owned.frame())
                .tcp()
                .is_some_and(|t| ports.contains(&t.sport) || ports.contains(&t.dport));
            if !ours || self.frames.len() >= MAX_LAB_FRAMES {
                continue;
            }
            // Renumbered: frame numbers count the lab's own frames, as in the saved file.
            owned.number = self.frames.len() as u64 + 1;
            // The session reads a frame's bytes again from the lab's own buffer.
            owned.data_offset = self.bytes.len() as u64;
            self.bytes.extend_from_slice(&owned.data);
            let frame = owned.frame();
            let decoded = decode::decode(&frame);
            if let Some(line) = self.printer.line(&frame, &decoded) {
                lines.push(line);
            }
            self.growth.push(&frame);
            self.frames.push(owned);
        }
        let delta = self.growth.take_delta(Vec::new());
        self.session.apply(delta);
        self.session.source = FrameSource::Memory(self.bytes.as_slice().into());
        lines
    }

    /// The states inferred from the packets of the lab's connection (client, server).
    pub fn inferred(&self) -> Option<(TcpState, TcpState)> {
        self.capture.as_ref()?;
        let (client, server) = (self.lab.client_addr?, self.lab.server_addr?);
        let conn = self.session.connections.iter().rev().find(|c| {
            let ends = [c.endpoint(Side::A), c.endpoint(Side::B)];
            ends.iter().any(|e| e.port == client.port())
                && ends.iter().any(|e| e.port == server.port())
        })?;
        let client_side = if conn.endpoint(Side::A).port == client.port() {
            Side::A
        } else {
            Side::B
        };
        Some((
            conn.observer().state(client_side),
            conn.observer().state(client_side.other()),
        ))
    }

    /// Stop capturing (taking the last frames).
    pub fn finish(&mut self) {
        if let Some(mut capture) = self.capture.take() {
            capture.wait_quiet(Duration::from_millis(250), Duration::from_secs(3));
            capture.stop();
            let new = capture.take_new();
            self.take_frames(new);
        }
    }

    /// The lab's frames as a pcapng file.
    pub fn save(&self, out: impl Write) -> std::io::Result<u64> {
        let mut saver = save::PcapngSaver::new(
            std::io::BufWriter::new(out),
            save::CaptureOrigin {
                interface: Some("lo".to_string()),
                filter: Some("tcp and host 127.0.0.1".to_string()),
            },
        )?;
        for f in &self.frames {
            saver.write(&f.frame())?;
        }
        saver.flush()?;
        Ok(self.frames.len() as u64)
    }

    /// The lab's frames.
    pub fn frames(&self) -> &[OwnedFrame] {
        &self.frames
    }
}

/// A report as the `lab` command prints it.
pub fn report_text(index: usize, r: &StepReport, capturing: bool) -> String {
    let mut s = format!(
        "== step {}: {} — {}\n",
        index + 1,
        r.step.name(),
        r.step.describe()
    );
    match &r.outcome {
        Ok(what) => s.push_str(&format!("   {what}\n")),
        Err(why) => s.push_str(&format!("   not done: {why}\n")),
    }
    if capturing {
        if r.packets.is_empty() {
            s.push_str("   packets: none\n");
        }
        for line in &r.packets {
            s.push_str(&format!("   {line}\n"));
        }
    }
    let k = |sock: Option<KernelSocket>| match sock {
        Some(sock) => match sock.time_wait_left {
            Some(left) => format!("{} ({:.0} s left)", sock.state, left.as_secs_f64()),
            None => sock.state.to_string(),
        },
        None => "-".to_string(),
    };
    s.push_str(&format!(
        "   kernel:   listener {}   client {}   server {}\n",
        k(r.kernel.listener),
        k(r.kernel.client),
        k(r.kernel.server)
    ));
    if let Some((c, sv)) = r.inferred {
        s.push_str(&format!("   inferred: client {c}   server {sv}\n"));
    }
    s
}

/// A TCP socket bound to a free port of 127.0.0.1 (not listening, not connected), and its
/// address.
fn bound_on_loopback() -> Result<(Socket, SocketAddr), String> {
    let socket =
        Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP)).map_err(|e| e.to_string())?;
    socket
        .bind(&SockAddr::from(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))))
        .map_err(|e| e.to_string())?;
    let addr = socket
        .local_addr()
        .ok()
        .and_then(|a| a.as_socket())
        .ok_or("no local address")?;
    Ok((socket, addr))
}
