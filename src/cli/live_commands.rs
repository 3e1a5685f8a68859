//! The `capture` and `lab` commands (parsed in [`crate::cli`]), over [`crate::live`].

use super::Outcome;
use crate::capture::{self, ProgressCounter};
use crate::decode;
use crate::export::tcpdump::TcpdumpPrinter;
use crate::live::capture_child::{CaptureChild, CaptureSpec, start_problem_text};
use crate::live::lab::{LabRun, parse_steps, report_text};
use crate::live::save::{CaptureOrigin, PcapngSaver};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// `tcp-ladder capture -i IFACE [-f FILTER] [--duration S | --count N] -w OUT.pcapng`
#[derive(clap::Args, Debug)]
pub struct CaptureArgs {
    /// The interface to capture on (`lo` for loopback).
    #[arg(short = 'i', long)]
    pub interface: String,
    /// A BPF capture filter, checked before use.
    #[arg(short = 'f', long, default_value = "tcp")]
    pub filter: String,
    /// Stop after this many seconds.
    #[arg(long, conflicts_with = "count")]
    pub duration: Option<f64>,
    /// Stop after this many packets.
    #[arg(long)]
    pub count: Option<u64>,
    /// The pcapng file to write.
    #[arg(short = 'w', long)]
    pub write: PathBuf,
    /// Do not print the packets.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `tcp-ladder lab --steps "listen,connect,send-client,close-client,close-server"`
#[derive(clap::Args, Debug)]
pub struct LabArgs {
    /// The steps, separated by commas: listen, connect, send-client, send-server,
    /// close-client, close-server, shutdown-client, abort, connect-closed-port.
    #[arg(
        long,
        default_value = "listen,connect,send-client,close-client,close-server"
    )]
    pub steps: String,
    /// Write the lab's packets to this pcapng file.
    #[arg(short = 'w', long)]
    pub write: Option<PathBuf>,
    /// Do not capture: show only the kernel's states.
    #[arg(long)]
    pub no_capture: bool,
}

pub fn capture(
    args: &CaptureArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<Outcome> {
    let mut spec = CaptureSpec::new(&args.interface, &args.filter);
    spec.count = args.count;
    if let Some(d) = args.duration {
        if !(d.is_finite() && d > 0.0 && d <= 31_536_000.0) {
            return Ok(Outcome::Usage(format!(
                "--duration {d}: say a number of seconds above 0"
            )));
        }
        spec.duration = Some(Duration::from_secs_f64(d));
    }
    let file = match std::fs::File::create(&args.write) {
        Ok(f) => f,
        Err(e) => {
            return Ok(Outcome::WriteFailed(format!(
                "{}: cannot write: {e}",
                args.write.display()
            )));
        }
    };
    let (mut child, stdout) = match CaptureChild::start(&spec) {
        Ok(c) => c,
        Err(e) => {
            drop(file);
            let _ = std::fs::remove_file(&args.write);
            return Ok(Outcome::Usage(start_problem_text(&e)));
        }
    };
    writeln!(
        err,
        "capturing on {} with {} (filter: {})…",
        args.interface,
        child.tool().name(),
        if args.filter.is_empty() {
            "none"
        } else {
            args.filter.as_str()
        }
    )?;
    let name = Path::new("capture");
    let mut reader =
        match capture::open_reader(name, Box::new(stdout), ProgressCounter::default(), None) {
            Ok(r) => r,
            Err(e) => {
                child.stop();
                let message = child.stderr_text();
                return Ok(Outcome::Usage(format!("{e}: {message}")));
            }
        };
    let mut saver = PcapngSaver::new(
        std::io::BufWriter::new(file),
        CaptureOrigin {
            interface: Some(args.interface.clone()),
            filter: Some(args.filter.clone()),
        },
    )?;
    let mut printer = TcpdumpPrinter::new(false);
    let mut written = 0u64;
    while let Some(frame) = reader.next_frame() {
        saver.write(&frame)?;
        // Flushed per packet: an interrupted capture keeps every packet it showed.
        saver.flush()?;
        written += 1;
        if !args.quiet {
            let decoded = decode::decode(&frame);
            if let Some(line) = printer.line(&frame, &decoded) {
                writeln!(out, "{line}")?;
                out.flush()?;
            }
        }
    }
    child.stop();
    for w in reader.warnings() {
        writeln!(err, "warning: capture: {w}")?;
    }
    writeln!(
        err,
        "{written} packet(s) written to {}",
        args.write.display()
    )?;
    Ok(Outcome::Ok)
}

pub fn lab(args: &LabArgs, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<Outcome> {
    let steps = match parse_steps(&args.steps) {
        Ok(s) => s,
        Err(e) => return Ok(Outcome::Usage(e)),
    };
    let mut run = LabRun::new(!args.no_capture);
    if let Some(problem) = &run.capture_problem {
        writeln!(
            out,
            "(packets not shown: {}; the kernel states are shown all the same)",
            start_problem_text(problem)
        )?;
    }
    for (i, step) in steps.iter().enumerate() {
        let report = run.step(*step);
        out.write_all(report_text(i, &report, run.capturing()).as_bytes())?;
        out.flush()?;
    }
    run.finish();
    if let Some(path) = &args.write {
        if run.frames().is_empty() && run.capture_problem.is_some() {
            writeln!(err, "nothing captured: {} not written", path.display())?;
            return Ok(Outcome::Ok);
        }
        let file = match std::fs::File::create(path) {
            Ok(f) => f,
            Err(e) => {
                return Ok(Outcome::WriteFailed(format!(
                    "{}: cannot write: {e}",
                    path.display()
                )));
            }
        };
        let n = run.save(file)?;
        writeln!(err, "{n} packet(s) written to {}", path.display())?;
    }
    Ok(Outcome::Ok)
}
