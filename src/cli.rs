//! The command-line interface: `flows`, `packets`, `ladder`, `annotate` (and the app when no
//! subcommand is given); `capture` and `lab` live in [`live_commands`]. Every
//! command reads `-` as standard input (a pcap or pcapng stream). Parsing lives here so tests can run commands in-process;
//! `main.rs` only maps the result to an exit code.

use crate::capture;
use crate::export::tables::{FlowRow, PACKET_TSV_HEADER, PacketRow, flows_lines};
use crate::export::tcpdump::TcpdumpPrinter;
use crate::flow::FlowTable;
use crate::session::{LoadControl, LoadStats, Session, scan, scan_table};
use clap::{Parser, Subcommand, ValueEnum};

pub mod live_commands;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Parser, Debug)]
#[command(
    name = "tcp-ladder",
    version,
    about = "See TCP connections in a capture as ladder diagrams that teach."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A capture to open in the app (pcap, pcapng, optionally .gz); `-` reads a stream
    /// from standard input (`tcpdump -U -w - | tcp-ladder -`).
    pub file: Option<PathBuf>,
    /// The capture taken at the other end of the same connections: one two-ended ladder.
    #[arg(long, value_name = "FILE", requires = "file")]
    pub other_end: Option<PathBuf>,
}

/// The other end's capture, for a command about both ends.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct OtherEnd {
    /// The capture taken at the other end of the same connections (through a NAT too):
    /// packets are matched by their sequence numbers, and every arrow runs from its
    /// measured send time to its measured arrival.
    #[arg(long, value_name = "FILE")]
    pub other_end: Option<PathBuf>,
    /// Seconds to subtract from the other end's timestamps (its clock was ahead); without
    /// it, the clocks are used as they are when they agree, and the offset is estimated
    /// when they do not.
    #[arg(
        long,
        value_name = "SECONDS",
        requires = "other_end",
        allow_hyphen_values = true
    )]
    pub clock_offset: Option<f64>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// One row per TCP connection: endpoints, counts, how it opened and closed.
    Flows {
        file: PathBuf,
        /// JSON instead of a text table.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        other: OtherEnd,
    },
    /// Every TCP packet, as tcpdump prints it or as a table.
    Packets {
        file: PathBuf,
        /// Only this connection (Wireshark's tcp.stream).
        #[arg(long)]
        stream: Option<u32>,
        /// Absolute (raw) sequence numbers, like tcpdump -S.
        #[arg(short = 'S', long)]
        absolute: bool,
        #[arg(long, value_enum, default_value_t = PacketFormat::Tcpdump)]
        format: PacketFormat,
    },
    /// The reassembled payload of one connection (Wireshark's Follow TCP Stream).
    Follow {
        file: PathBuf,
        #[arg(long, default_value_t = 0)]
        stream: u32,
        /// A hex dump instead of text.
        #[arg(long)]
        hex: bool,
    },
    /// Save one connection's ladder as SVG, PNG or text (by the output's extension).
    Export {
        file: PathBuf,
        #[arg(long, default_value_t = 0)]
        stream: u32,
        /// Output file: .svg, .png, or .txt (ASCII ladder and tcpdump lines).
        #[arg(short, long)]
        output: PathBuf,
        /// Absolute (raw) sequence numbers.
        #[arg(short = 'S', long)]
        absolute: bool,
        /// PNG scale factor (2 for sharp slides).
        #[arg(long, default_value_t = 2.0)]
        scale: f32,
        /// Language of titles, notes and marks.
        #[arg(long, value_enum, default_value_t = crate::i18n::Lang::En)]
        lang: crate::i18n::Lang,
        /// `rows`: one row per packet; `time`: vertical distance is time.
        #[arg(long, value_enum, default_value_t = View::Rows)]
        view: View,
        /// Draw step K of step mode: the first K rows revealed (a collapsed run is one
        /// row), with each lane's state then.
        #[arg(long, value_name = "K")]
        step: Option<usize>,
        #[command(flatten)]
        other: OtherEnd,
    },
    /// Draw one connection as an ASCII ladder (or print its model as JSON).
    Ladder {
        file: PathBuf,
        #[arg(long, default_value_t = 0)]
        stream: u32,
        /// Absolute (raw) sequence numbers.
        #[arg(short = 'S', long)]
        absolute: bool,
        /// Language of titles, notes, marks and explanations.
        #[arg(long, value_enum, default_value_t = crate::i18n::Lang::En)]
        lang: crate::i18n::Lang,
        /// Time to scale: each arrow runs from the line it was sent on to the line it
        /// arrived on; idle gaps become break lines.
        #[arg(long)]
        time: bool,
        /// `text` (the ASCII ladder) or `json` (the ladder model: lanes, bands, states, and
        /// per arrow its times, analysis flags and explanation).
        #[arg(long, value_enum, default_value_t = LadderFormat::Text)]
        format: LadderFormat,
        #[command(flatten)]
        other: OtherEnd,
    },
    /// Save a capture as pcapng with packet notes added (the packet comments Wireshark shows).
    ///
    /// Each `--frame N --note TEXT` pair adds one note after the packet's existing
    /// comments. Frames, timestamps and every other block are kept; a pcap becomes pcapng.
    Annotate {
        /// The capture (pcap or pcapng, optionally .gz).
        file: PathBuf,
        /// The frame to note (1-based, as Wireshark numbers frames); repeat with `--note`.
        #[arg(long = "frame", value_name = "N", required = true)]
        frames: Vec<u64>,
        /// The note for the `--frame` before it (several lines and any language).
        #[arg(long = "note", value_name = "TEXT", required = true)]
        notes: Vec<String>,
        /// The pcapng file to write (may be FILE itself).
        #[arg(short, long, value_name = "OUT.pcapng")]
        output: PathBuf,
    },
    /// Capture live packets with tcpdump or dumpcap (run as a child process) into a pcapng
    /// file, printing each TCP packet as it arrives.
    Capture(live_commands::CaptureArgs),
    /// The tutorials' socket experiment on 127.0.0.1: real sockets step by step, the
    /// packets each step caused and the kernel's own socket states after it.
    Lab(live_commands::LabArgs),
}

/// How the ladder is laid out vertically.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum View {
    /// One row per packet.
    Rows,
    /// Vertical distance is time.
    Time,
}

impl View {
    fn mode(self) -> crate::ladder::ViewMode {
        match self {
            View::Rows => crate::ladder::ViewMode::Rows,
            View::Time => crate::ladder::ViewMode::Time,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LadderFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PacketFormat {
    Tcpdump,
    Tsv,
    Json,
}

/// How a command ended.
#[derive(Debug)]
pub enum Outcome {
    Ok,
    /// The input could not be read as a capture (exit code 2).
    BadInput(String),
    /// The command's arguments do not fit the capture (exit code 1).
    Usage(String),
    /// An output file could not be written (exit code 1): the path and why.
    WriteFailed(String),
    /// The arguments name something the capture does not have, such as a frame number
    /// (exit code 2, like a usage error clap reports).
    BadArguments(String),
}

/// Run a subcommand, writing to `out` and warnings to `err`.
pub fn run(
    command: &Command,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<Outcome> {
    match command {
        Command::Flows { file, json, other } if other.other_end.is_some() => {
            let both = match other.open(file) {
                Ok(b) => b,
                Err(outcome) => return Ok(outcome),
            };
            if *json {
                serde_json::to_writer_pretty(&mut *out, &both.ends)?;
                writeln!(out)?;
            } else {
                out.write_all(crate::export::tables::two_ends_text(&both.ends).as_bytes())?;
            }
            both.report(err)?;
            Ok(Outcome::Ok)
        }
        Command::Flows { file, json, .. } => {
            // One streaming pass that keeps the connections still open (each a fixed
            // size: the table is built for rows, and sets finished ones aside out of
            // memory), not packets, with the decoding on this thread and the table on a
            // second one; the rows are then written one by one, never held all at once.
            let (mut reader, _, _) = match capture::open_path(file) {
                Ok(r) => r,
                Err(e) => return Ok(Outcome::BadInput(e.to_string())),
            };
            let mut table = FlowTable::for_rows();
            let stats = scan_table(&mut reader, &mut table, &LoadControl::default());
            let mut rows = table.finish_rows();
            let count = rows.len();
            let mut buffered = std::io::BufWriter::new(&mut *out);
            let mut written = Ok(());
            let mut walk = |visit: &mut dyn FnMut(&crate::flow::Connection)| {
                written = rows.walk(visit);
            };
            if *json {
                use serde::ser::{SerializeSeq, Serializer};
                let mut json = serde_json::Serializer::pretty(&mut buffered);
                let mut seq = json.serialize_seq(Some(count))?;
                let mut each = Ok(());
                walk(&mut |conn| {
                    if each.is_ok() {
                        each = seq.serialize_element(&FlowRow::of(conn));
                    }
                });
                each?;
                seq.end()?;
                writeln!(buffered)?;
            } else {
                let mut each = Ok(());
                flows_lines(walk, |line| {
                    if each.is_ok() {
                        each = buffered.write_all(line.as_bytes());
                    }
                })?;
                each?;
            }
            written?;
            buffered.flush()?;
            drop(buffered);
            report_stream_warnings(file, &reader.warnings(), &stats, err)?;
            Ok(Outcome::Ok)
        }
        Command::Packets {
            file,
            stream,
            absolute,
            format,
        } => packets(file, *stream, *absolute, *format, out, err),
        Command::Follow { file, stream, hex } => {
            let session = match load_stream(file, *stream) {
                Ok(s) => s,
                Err(outcome) => return Ok(outcome),
            };
            out.write_all(crate::export::follow::render(&session, *stream, *hex).as_bytes())?;
            report_warnings(file, &session, err)?;
            Ok(Outcome::Ok)
        }
        Command::Export {
            file,
            stream,
            output,
            absolute,
            scale,
            lang,
            view,
            step,
            other,
        } => {
            let both = match other.other_end.is_some().then(|| other.open(file)) {
                Some(Ok(b)) => Some(b),
                Some(Err(outcome)) => return Ok(outcome),
                None => None,
            };
            let session = match &both {
                Some(b) => b.files[0].clone(),
                None => match load_stream(file, *stream) {
                    Ok(s) => s,
                    Err(outcome) => return Ok(outcome),
                },
            };
            let ladder = match &both {
                Some(b) => match b.ladder(*stream, &options_of(*absolute, *lang, Some(12))) {
                    Ok(l) => l,
                    Err(outcome) => return Ok(outcome),
                },
                None => ladder_of(&session, *stream, *absolute, *lang),
            };
            let mode = view.mode();
            let extension = output
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            let step = step.map(|rows| ladder.step(rows));
            let svg = || match &step {
                Some(step) => crate::export::svg::render_step(step, mode),
                None => crate::export::svg::render_view(&ladder, mode),
            };
            let bytes = match extension.as_str() {
                "svg" => svg().into_bytes(),
                "png" => {
                    let svg = svg();
                    match crate::export::svg::png(&svg, *scale) {
                        Ok(png) => png,
                        Err(e) => return Ok(Outcome::Usage(format!("{}: {e}", output.display()))),
                    }
                }
                "txt" => match (&step, &both) {
                    (Some(step), Some(_)) => crate::export::ascii::render_step(step).into_bytes(),
                    (Some(step), None) => {
                        crate::export::text::step_text(&session, *stream, step, *absolute)
                            .into_bytes()
                    }
                    (None, Some(_)) => crate::export::ascii::render(&ladder).into_bytes(),
                    (None, None) => {
                        crate::export::text::connection_text(&session, *stream, &ladder, *absolute)
                            .into_bytes()
                    }
                },
                _ => {
                    return Ok(Outcome::Usage(format!(
                        "{}: say .svg, .png or .txt as the output's extension",
                        output.display()
                    )));
                }
            };
            if let Err(e) = std::fs::write(output, bytes) {
                return Ok(Outcome::WriteFailed(format!(
                    "{}: cannot write: {e}",
                    output.display()
                )));
            }
            report_warnings(file, &session, err)?;
            Ok(Outcome::Ok)
        }
        Command::Ladder {
            file,
            stream,
            absolute,
            lang,
            time,
            format,
            other,
        } if other.other_end.is_some() => {
            let both = match other.open(file) {
                Ok(b) => b,
                Err(outcome) => return Ok(outcome),
            };
            let collapse = (*format == LadderFormat::Text).then_some(12);
            let ladder = match both.ladder(*stream, &options_of(*absolute, *lang, collapse)) {
                Ok(l) => l,
                Err(outcome) => return Ok(outcome),
            };
            let text = match (format, time) {
                (LadderFormat::Json, _) => {
                    let [a, b] = &both.files;
                    crate::export::json::render(&[a, b], &ladder, *lang)
                }
                (LadderFormat::Text, true) => crate::export::ascii::render_time(&ladder),
                (LadderFormat::Text, false) => crate::export::ascii::render(&ladder),
            };
            out.write_all(text.as_bytes())?;
            both.report(err)?;
            Ok(Outcome::Ok)
        }
        Command::Ladder {
            file,
            stream,
            absolute,
            lang,
            time,
            format,
            ..
        } => {
            let session = match load_stream(file, *stream) {
                Ok(s) => s,
                Err(outcome) => return Ok(outcome),
            };
            let text = match format {
                LadderFormat::Json => {
                    // Every arrow, none collapsed.
                    let options = crate::ladder::LadderOptions {
                        absolute: *absolute,
                        lang: *lang,
                        collapse_over: None,
                        ..Default::default()
                    };
                    let ladder = crate::ladder::layout(&session, *stream, &options);
                    crate::export::json::render(&[&session], &ladder, *lang)
                }
                LadderFormat::Text => {
                    let ladder = ladder_of(&session, *stream, *absolute, *lang);
                    if *time {
                        crate::export::ascii::render_time(&ladder)
                    } else {
                        crate::export::ascii::render(&ladder)
                    }
                }
            };
            out.write_all(text.as_bytes())?;
            report_warnings(file, &session, err)?;
            Ok(Outcome::Ok)
        }
        Command::Annotate {
            file,
            frames,
            notes,
            output,
        } => annotate(file, frames, notes, output, out, err),
        Command::Capture(args) => live_commands::capture(args, out, err),
        Command::Lab(args) => live_commands::lab(args, out, err),
    }
}

fn options_of(
    absolute: bool,
    lang: crate::i18n::Lang,
    collapse_over: Option<usize>,
) -> crate::ladder::LadderOptions {
    crate::ladder::LadderOptions {
        absolute,
        lang,
        collapse_over,
        ..Default::default()
    }
}

impl OtherEnd {
    /// Load `file` and the other end's capture and match them (`other_end` must be set).
    pub fn open(&self, file: &Path) -> Result<BothEnds, Outcome> {
        match &self.other_end {
            Some(other) => BothEnds::load(file, other, self.clock_offset),
            None => Err(Outcome::Usage(
                "no --other-end capture was given".to_string(),
            )),
        }
    }
}

/// Two captures of the same connections, one at each end, matched.
pub struct BothEnds {
    pub paths: [PathBuf; 2],
    pub files: [Session; 2],
    pub ends: crate::timeline::TwoEnds,
}

impl BothEnds {
    /// Load both captures and match them (the clock offset set by hand, or worked out).
    pub fn load(file: &Path, other: &Path, clock_offset: Option<f64>) -> Result<BothEnds, Outcome> {
        let load = |path: &Path| {
            Session::load_path(path, &LoadControl::default())
                .map_err(|e| Outcome::BadInput(e.to_string()))
        };
        let files = [load(file)?, load(other)?];
        let ends = crate::timeline::TwoEnds::match_with_clock(
            crate::timeline::pair::Both::new(&files[0], &files[1]),
            clock_offset,
        );
        Ok(BothEnds {
            paths: [file.to_path_buf(), other.to_path_buf()],
            files,
            ends,
        })
    }

    /// The two-ended ladder of connection `stream` of the first file.
    pub fn ladder(
        &self,
        stream: u32,
        options: &crate::ladder::LadderOptions,
    ) -> Result<crate::ladder::Ladder, Outcome> {
        let [a, b] = &self.files;
        if a.connection(stream).is_none() {
            return Err(Outcome::Usage(format!(
                "{}: no TCP connection {stream} (the capture has {})",
                self.paths[0].display(),
                a.connections.len()
            )));
        }
        let Some(pair) = self
            .ends
            .connection(crate::timeline::pair::File::First, stream)
        else {
            return Err(Outcome::Usage(format!(
                "{}: connection {stream} has no counterpart in {} (no packet of it was seen there)",
                self.paths[0].display(),
                self.paths[1].display()
            )));
        };
        Ok(crate::ladder::layout_two(
            &self.ends,
            crate::timeline::pair::Both::new(a, b),
            pair,
            options,
        ))
    }

    fn report(&self, err: &mut dyn Write) -> std::io::Result<()> {
        for (path, session) in self.paths.iter().zip(&self.files) {
            report_warnings(path, session, err)?;
        }
        Ok(())
    }
}

/// The ladder of one connection, with long data runs collapsed.
fn ladder_of(
    session: &Session,
    stream: u32,
    absolute: bool,
    lang: crate::i18n::Lang,
) -> crate::ladder::Ladder {
    let options = crate::ladder::LadderOptions {
        absolute,
        lang,
        ..Default::default()
    };
    crate::ladder::layout(session, stream, &options)
}

/// Load a capture for a command about one connection; the outcome to return otherwise.
fn load_stream(file: &Path, stream: u32) -> Result<Session, Outcome> {
    let session = Session::load_path(file, &LoadControl::default())
        .map_err(|e| Outcome::BadInput(e.to_string()))?;
    if session.connection(stream).is_none() {
        return Err(Outcome::Usage(format!(
            "{}: no TCP connection {stream} (the capture has {})",
            file.display(),
            session.connections.len()
        )));
    }
    Ok(session)
}

fn report_warnings(file: &Path, session: &Session, err: &mut dyn Write) -> std::io::Result<()> {
    report_stream_warnings(file, &session.warnings, &session.stats, err)
}

/// Warnings on stderr: damage found while reading, unsupported link types, no packets.
fn report_stream_warnings(
    file: &Path,
    warnings: &[crate::capture::CaptureWarning],
    stats: &LoadStats,
    err: &mut dyn Write,
) -> std::io::Result<()> {
    if stats.frames == 0 && warnings.is_empty() {
        writeln!(
            err,
            "warning: {}: the capture contains no packets",
            file.display()
        )?;
    }
    for w in warnings {
        writeln!(err, "warning: {}: {w}", file.display())?;
    }
    for note in stats.not_decoded() {
        writeln!(err, "warning: {}: {note}", file.display())?;
    }
    Ok(())
}

fn packets(
    file: &Path,
    stream: Option<u32>,
    absolute: bool,
    format: PacketFormat,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<Outcome> {
    let (mut reader, _, _) = match capture::open_path(file) {
        Ok(r) => r,
        Err(e) => return Ok(Outcome::BadInput(e.to_string())),
    };
    let mut out = std::io::BufWriter::new(out);
    let mut table = FlowTable::new();
    let mut printer = TcpdumpPrinter::new(absolute);
    let mut first_json = true;
    let mut line = String::with_capacity(256);
    let mut io_result = Ok(());
    match format {
        PacketFormat::Tsv => writeln!(out, "{PACKET_TSV_HEADER}")?,
        PacketFormat::Json => writeln!(out, "[")?,
        PacketFormat::Tcpdump => {}
    }
    let stats = scan(&mut reader, &mut table, &LoadControl::default(), |f, _| {
        if io_result.is_err() {
            return;
        }
        if let Some(want) = stream
            && f.placement.map(|p| p.stream) != Some(want)
        {
            return;
        }
        let written = match format {
            PacketFormat::Tcpdump => {
                if printer.write_line(&mut line, f.frame, f.decoded) {
                    line.push('\n');
                    out.write_all(line.as_bytes())
                } else {
                    Ok(())
                }
            }
            PacketFormat::Tsv => match PacketRow::of(f) {
                Some(mut row) => {
                    if absolute {
                        row.rel_seq = row.raw_seq;
                        row.rel_ack = row.rel_ack.map(|_| row.raw_ack);
                    }
                    writeln!(out, "{}", row.tsv())
                }
                None => Ok(()),
            },
            PacketFormat::Json => match PacketRow::of(f) {
                Some(row) => {
                    let sep = if first_json { "" } else { ",\n" };
                    first_json = false;
                    serde_json::to_string(&row)
                        .map_err(std::io::Error::other)
                        .and_then(|s| write!(out, "{sep}  {s}"))
                }
                None => Ok(()),
            },
        };
        if let Err(e) = written {
            io_result = Err(e);
        }
    });
    io_result?;
    if format == PacketFormat::Json {
        writeln!(out, "\n]")?;
    }
    out.flush()?;
    drop(out);
    report_stream_warnings(file, &reader.warnings(), &stats, err)?;
    if let Some(want) = stream
        && table.len() <= want as usize
    {
        return Ok(Outcome::Usage(format!(
            "{}: no TCP connection {want} (the capture has {})",
            file.display(),
            table.len()
        )));
    }
    Ok(Outcome::Ok)
}

/// `annotate`: the file's own comments, then each `--note` after those of its `--frame`.
fn annotate(
    file: &Path,
    frames: &[u64],
    notes: &[String],
    output: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<Outcome> {
    if frames.len() != notes.len() {
        return Ok(Outcome::BadArguments(format!(
            "give one --note after each --frame ({} frames, {} notes)",
            frames.len(),
            notes.len()
        )));
    }
    if capture::is_stream_path(file) {
        return Ok(Outcome::BadArguments(format!(
            "{}: annotate reads the file twice; give a file, not a stream",
            file.display()
        )));
    }
    let (mut all, last) = match capture::read_notes(file) {
        Ok(n) => n,
        Err(e) => return Ok(Outcome::BadInput(e.to_string())),
    };
    for (&frame, note) in frames.iter().zip(notes) {
        if frame == 0 || frame > last {
            return Ok(Outcome::BadArguments(format!(
                "{}: there is no frame {frame}: the capture has {last} frames",
                file.display()
            )));
        }
        all.entry(frame).or_default().push(note.clone());
    }
    match capture::save_with_notes(file, &all, output) {
        Ok(saved) => {
            writeln!(
                out,
                "{}: {} frames, {} packet notes",
                output.display(),
                saved.frames,
                saved.notes
            )?;
            for w in &saved.warnings {
                writeln!(err, "warning: {}: {w}", file.display())?;
            }
            if !saved.warnings.is_empty() {
                writeln!(
                    err,
                    "warning: {}: damaged, so {} holds only the {} frames that could be read",
                    file.display(),
                    output.display(),
                    saved.frames
                )?;
            }
            Ok(Outcome::Ok)
        }
        Err(e @ capture::CaptureError::WriteFailed { .. }) => {
            Ok(Outcome::WriteFailed(e.to_string()))
        }
        Err(e @ capture::CaptureError::NoSuchFrame { .. }) => {
            Ok(Outcome::BadArguments(e.to_string()))
        }
        Err(e) => Ok(Outcome::BadInput(e.to_string())),
    }
}
