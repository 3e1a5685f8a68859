//! Opening a capture: from a path, from bytes in memory, or from a stream (standard
//! input, a FIFO, a capture tool's output), sniffing the format from the first bytes and
//! unwrapping gzip transparently (as Wireshark does for `.pcap.gz`).
//!
//! A stream cannot be re-read, so the bytes a [`CaptureReader`] takes from it can be
//! copied as they pass into a [`Spool`]: a private temporary file (deleted when the last
//! handle goes) from which a frame is read again by its offset. Memory stays bounded
//! however long the stream runs.
//!
//! A regular file is mapped instead ([`MappedFile`]): its pages are mapped in a few MiB
//! ahead of the reader and handed back behind it, and each record's first bytes are
//! prefetched while the one before is decoded.

use super::error::CaptureError;
use super::reader::CaptureReader;
use super::{pcap, pcapng};
use std::io::{BufWriter, Cursor, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// The file name that means standard input, as in `tcpdump -r -` and `wireshark -i -`.
pub const STDIN_NAME: &str = "-";

/// Whether `path` names standard input (`-`).
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == STDIN_NAME
}

/// Whether `path` must be read as a stream: standard input, a FIFO, a character device —
/// anything that is not a regular file that can be read twice.
pub fn is_stream_path(path: &Path) -> bool {
    is_stdin(path) || std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Counts the bytes read from the file (compressed bytes for `.gz`), for progress bars.
#[derive(Clone, Debug, Default)]
pub struct ProgressCounter(Arc<AtomicU64>);

impl ProgressCounter {
    pub fn bytes_read(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

struct Counting<R> {
    inner: R,
    counter: ProgressCounter,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.0.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Open a capture file for streaming. Returns the reader, a progress counter and the file
/// size in bytes.
pub fn open_path(path: &Path) -> Result<(CaptureReader, ProgressCounter, u64), CaptureError> {
    let counter = ProgressCounter::default();
    let (reader, size) = open_path_counted(path, counter.clone())?;
    Ok((reader, counter, size))
}

/// Like [`open_path`], counting the bytes read into a counter the caller already holds.
pub fn open_path_counted(
    path: &Path,
    counter: ProgressCounter,
) -> Result<(CaptureReader, u64), CaptureError> {
    if is_stdin(path) {
        return Ok((open_stream_path(path, counter, None)?, 0));
    }
    let meta = std::fs::metadata(path).map_err(|e| CaptureError::from_io(path, e))?;
    if meta.is_dir() {
        return Err(CaptureError::other(
            path,
            "is a directory, not a capture file",
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| CaptureError::from_io(path, e))?;
    if let Some(map) = MappedFile::of(&file, counter.clone())
        && map.bytes().len() >= 4
        && !map.bytes().starts_with(&GZIP_MAGIC)
    {
        let start = map.bytes().get(..4).unwrap_or(&[]);
        if pcap::magic(start).is_none() && !start.starts_with(&pcapng::SHB_TYPE) {
            return Err(CaptureError::NotACapture {
                path: path.to_path_buf(),
                start: CaptureError::describe_start(start),
            });
        }
        let reader = CaptureReader::mapped(map).map_err(|what| CaptureError::TooShort {
            path: path.to_path_buf(),
            what,
        })?;
        return Ok((reader, meta.len()));
    }
    let input = Counting {
        inner: std::io::BufReader::with_capacity(256 * 1024, file),
        counter: counter.clone(),
    };
    let reader = open_stream(path, Box::new(input))?;
    Ok((reader, meta.len()))
}

/// A regular capture file mapped into memory, read once front to back without copying
/// its records. The pages stay the kernel's page cache: nothing is kept per packet.
pub(crate) struct MappedFile {
    /// Declared before the mapping: unregistered before it is unmapped.
    guard: super::mapping_guard::Guard,
    map: memmap2::Mmap,
    /// The file, to see whether it has been cut short.
    file: Option<std::fs::File>,
    counter: ProgressCounter,
    /// Pages before this offset were handed back (see [`MappedFile::progress`]).
    released: usize,
    /// Pages before this offset were mapped in ahead of the reader.
    populated: usize,
}

/// How much of the mapping is read before the pages behind the reader are handed back.
const RELEASE_EVERY: usize = 2 << 20;

impl MappedFile {
    /// Map `file` (read-only), or `None` where it cannot be (empty files, special files,
    /// systems without mmap): the caller then reads it as a stream.
    fn of(file: &std::fs::File, counter: ProgressCounter) -> Option<MappedFile> {
        // SAFETY: the mapping is read-only and private to this reader. The one hazard of
        // a file mapping is another process truncating the file while it is read, which
        // makes a read of the lost pages fault (SIGBUS): the mapping is read under a
        // [`super::mapping_guard::Guard`], which turns that fault into a page of zeros
        // and a mark the reader stops at. Capture files are written by appending (a
        // growing file only shows what was there when mapped), and a capture being
        // rewritten in place is not something any reader can read consistently.
        #[allow(unsafe_code)]
        let map = unsafe { memmap2::Mmap::map(file) }.ok()?;
        #[cfg(unix)]
        let _ = map.advise(memmap2::Advice::Sequential);
        Some(MappedFile {
            guard: super::mapping_guard::Guard::new(&map),
            map,
            file: file.try_clone().ok(),
            counter,
            released: 0,
            populated: 0,
        })
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        &self.map
    }

    /// After a record was read from `range`: whether the file has been cut short under
    /// it (see [`super::mapping_guard`]), and if so its size now. Every page of the range
    /// is read first, so that a page past the new end is met here and not later by
    /// whoever reads the record. A cut inside the last page shows no fault (the rest of
    /// that page reads as zeros), so a record of only zeros, or the reader's end
    /// (`ended`), also looks at the file's size.
    pub(crate) fn cut_short(&self, range: std::ops::Range<usize>, ended: bool) -> Option<u64> {
        // The first byte of the range, and of each further page it reaches (the reader
        // reads the first anyway; the others are the next records' soon after).
        const PAGE: usize = 4096;
        let base = self.map.as_ptr() as usize;
        let mut at = range.start;
        while let Some(b) = self.map.get(at).filter(|_| at < range.end) {
            std::hint::black_box(*b);
            at = (base + at) / PAGE * PAGE + PAGE - base;
        }
        let bytes = self.map.get(range).unwrap_or(&[]);
        let suspicious = ended || bytes.iter().all(|&b| b == 0);
        if !self.guard.cut() && !suspicious {
            return None;
        }
        let size = self.file.as_ref()?.metadata().ok()?.len();
        (self.guard.cut() || size < self.map.len() as u64).then_some(size)
    }

    /// Ask the processor to start loading the bytes at `at` (the next record's header and
    /// the packet headers after it) while the current record is decoded, and the same
    /// place a page on (its address translation, a few records ahead). Each record's
    /// first bytes were otherwise a wait on main memory: with this hint `flows` on the
    /// benchmark capture takes about a tenth less time. Only a hint: nothing is read,
    /// and an address past the end or on a lost page is ignored.
    #[cfg_attr(not(target_arch = "x86_64"), allow(unused_variables))]
    pub(crate) fn prefetch(&self, at: usize) {
        #[cfg(target_arch = "x86_64")]
        if let Some(line) = self.map.get(at..) {
            use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
            let first = line.as_ptr().cast::<i8>();
            // SAFETY: a prefetch is a hint that never faults and loads nothing into the
            // program (SSE, which every x86-64 processor has). The addresses are only
            // computed (`wrapping_add`), never dereferenced; one past the mapping's end
            // is harmless for the same reason.
            #[allow(unsafe_code)]
            unsafe {
                _mm_prefetch::<_MM_HINT_T0>(first);
                _mm_prefetch::<_MM_HINT_T0>(first.wrapping_add(64));
                _mm_prefetch::<_MM_HINT_T0>(first.wrapping_add(4096));
            }
        }
    }

    /// Record that the reader has reached `position` (for progress bars), and every few
    /// MiB tell the kernel that the pages behind it are not needed again: they stay in
    /// the page cache but leave this process's resident memory, which so stays the same
    /// whatever the file's size.
    pub(crate) fn progress(&mut self, position: usize) {
        self.counter.0.store(position as u64, Ordering::Relaxed);
        if position + RELEASE_EVERY > self.populated && self.populated < self.map.len() {
            // One call maps the next pages in, instead of a page fault every few pages.
            #[cfg(target_os = "linux")]
            let _ = self.map.advise_range(
                memmap2::Advice::PopulateRead,
                self.populated,
                (2 * RELEASE_EVERY).min(self.map.len() - self.populated),
            );
            self.populated = (self.populated + 2 * RELEASE_EVERY).min(self.map.len());
        }
        if position >= self.released + 2 * RELEASE_EVERY {
            let upto = position - RELEASE_EVERY;
            let upto = upto - upto % (64 * 1024);
            #[cfg(unix)]
            {
                // SAFETY: MADV_DONTNEED on a read-only private file mapping only drops
                // this process's page table entries; a later read of those bytes faults
                // them in again from the file, unchanged.
                #[allow(unsafe_code)]
                let _ = unsafe {
                    self.map.unchecked_advise_range(
                        memmap2::UncheckedAdvice::DontNeed,
                        self.released,
                        upto - self.released,
                    )
                };
            }
            self.released = upto;
        }
    }
}

/// Open a capture from standard input (`-`) or a path, as a stream: read once, front to
/// back, never sought. Regular files work too. The progress counter counts bytes taken.
pub fn open_stream_path(
    path: &Path,
    counter: ProgressCounter,
    spool: Option<Arc<Spool>>,
) -> Result<CaptureReader, CaptureError> {
    let raw: Box<dyn Read + Send> = if is_stdin(path) {
        Box::new(std::io::stdin())
    } else {
        let file = std::fs::File::open(path).map_err(|e| CaptureError::from_io(path, e))?;
        Box::new(file)
    };
    open_reader(path, raw, counter, spool)
}

/// Open a capture from any byte stream (a pipe, a child process's output). `name` is used
/// in messages. With a `spool`, every byte the reader takes is also written to it, so
/// frames can be read again by offset ([`Spool::read_at`]).
pub fn open_reader(
    name: &Path,
    raw: Box<dyn Read + Send>,
    counter: ProgressCounter,
    spool: Option<Arc<Spool>>,
) -> Result<CaptureReader, CaptureError> {
    // A buffered read of a pipe returns what is there: it never waits to fill the buffer.
    let input = Counting {
        inner: std::io::BufReader::with_capacity(256 * 1024, raw),
        counter,
    };
    open_stream_with(name, Box::new(input), spool)
}

/// A new private temporary file (readable only by us, created new, removed when its
/// path is dropped): the one way the app makes one, for a stream's spool and for the copy
/// a save starts from. `what` goes into its name (`tcp-ladder-stream-…`).
pub fn private_temp_file(what: &str) -> std::io::Result<(std::fs::File, tempfile::TempPath)> {
    Ok(tempfile::Builder::new()
        .prefix(&format!("tcp-ladder-{what}-"))
        .tempfile()?
        .into_parts())
}

/// Copies of a stream's bytes in a private temporary file, for reading frames again.
#[derive(Debug)]
pub struct Spool {
    path: tempfile::TempPath,
    writer: Mutex<BufWriter<std::fs::File>>,
}

impl Spool {
    /// A new, empty spool file in the system's temporary directory, readable only by us.
    pub fn create() -> std::io::Result<Spool> {
        let (file, path) = private_temp_file("stream")?;
        Ok(Spool {
            path,
            writer: Mutex::new(BufWriter::with_capacity(256 * 1024, file)),
        })
    }

    fn append(&self, bytes: &[u8]) -> std::io::Result<()> {
        let mut writer = self
            .writer
            .lock()
            .map_err(|_| std::io::Error::other("spool lock poisoned"))?;
        writer.write_all(bytes)
    }

    /// `len` bytes at `offset` of the stream, once they have been read from it.
    pub fn read_at(&self, offset: u64, len: usize) -> Option<Vec<u8>> {
        self.writer.lock().ok()?.flush().ok()?;
        let mut file = std::fs::File::open(&self.path).ok()?;
        let size = file.metadata().ok()?.len();
        if offset.checked_add(len as u64)? > size {
            return None;
        }
        file.seek(SeekFrom::Start(offset)).ok()?;
        let mut buf = vec![0u8; len];
        file.read_exact(&mut buf).ok()?;
        Some(buf)
    }

    /// The spooled bytes so far, as a file to read from the start.
    pub fn reopen(&self) -> std::io::Result<std::fs::File> {
        self.writer
            .lock()
            .map_err(|_| std::io::Error::other("spool lock poisoned"))?
            .flush()?;
        std::fs::File::open(&self.path)
    }

    /// Every byte spooled so far (for saving a stream as it was received).
    pub fn copy_to(&self, out: &mut dyn Write) -> std::io::Result<u64> {
        self.writer
            .lock()
            .map_err(|_| std::io::Error::other("spool lock poisoned"))?
            .flush()?;
        let mut file = std::fs::File::open(&self.path)?;
        std::io::copy(&mut file, out)
    }
}

/// Passes reads through, copying every byte into the spool (a failed copy stops copying:
/// the capture still reads, only the details of later frames are missing).
struct Tee {
    inner: Box<dyn Read + Send>,
    spool: Option<Arc<Spool>>,
}

impl Read for Tee {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(spool) = &self.spool
            && spool.append(buf.get(..n).unwrap_or(&[])).is_err()
        {
            self.spool = None;
        }
        Ok(n)
    }
}

/// The most bytes a gzip capture is inflated to in memory (the app re-reads frames by
/// offset, so a `.pcap.gz` opened in it is held decompressed).
const MAX_INFLATED: u64 = 4 * 1024 * 1024 * 1024;

fn gzip_unreadable(path: &Path) -> CaptureError {
    CaptureError::NotACapture {
        path: path.to_path_buf(),
        start: "a gzip stream that cannot be decompressed".to_string(),
    }
}

/// The file starts with the gzip signature.
pub fn is_gzip_file(path: &Path) -> bool {
    let mut magic = [0u8; 2];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok()
        && magic[..] == GZIP_MAGIC[..2]
}

/// The one place a gzip stream is opened: every gzip capture (a file, standard input, a
/// FIFO, the input of `annotate`) is read through this, members joined as `gzip -d`
/// joins them.
pub(crate) fn gunzip<R: Read + Send>(compressed: R) -> impl Read + Send {
    flate2::read::MultiGzDecoder::new(std::io::BufReader::new(compressed))
}

/// Inflate a gzip capture into memory, at most `MAX_INFLATED` (4 GiB). A damaged gzip
/// tail still leaves the bytes before it (the capture reader then warns about the record
/// it cuts).
pub fn inflate_file(path: &Path) -> Result<Arc<[u8]>, CaptureError> {
    let file = std::fs::File::open(path).map_err(|e| CaptureError::from_io(path, e))?;
    let mut out = Vec::new();
    let mut decoder = gunzip(file).take(MAX_INFLATED);
    let _ = decoder.read_to_end(&mut out);
    if out.is_empty() {
        return Err(gzip_unreadable(path));
    }
    Ok(Arc::from(out))
}

/// Open a capture held in memory (bundled samples, tests). `name` is used in messages.
pub fn open_bytes(name: &Path, bytes: Arc<[u8]>) -> Result<CaptureReader, CaptureError> {
    open_stream(name, Box::new(Cursor::new(bytes)))
}

fn open_stream(path: &Path, input: Box<dyn Read + Send>) -> Result<CaptureReader, CaptureError> {
    open_stream_with(path, input, None)
}

fn open_stream_with(
    path: &Path,
    mut input: Box<dyn Read + Send>,
    spool: Option<Arc<Spool>>,
) -> Result<CaptureReader, CaptureError> {
    let start = peek(path, &mut input, 4)?;
    let (start, input, gzip) = if start.starts_with(&GZIP_MAGIC) {
        let joined: Box<dyn Read + Send> = Box::new(Cursor::new(start).chain(input));
        let mut unzipped: Box<dyn Read + Send> = Box::new(gunzip(joined));
        let inner_start = peek(path, &mut unzipped, 4).map_err(|_| gzip_unreadable(path))?;
        (inner_start, unzipped, true)
    } else {
        (start, input, false)
    };
    let is_pcap = pcap::magic(&start).is_some();
    let is_pcapng = start.starts_with(&pcapng::SHB_TYPE);
    if !is_pcap && !is_pcapng {
        return Err(CaptureError::NotACapture {
            path: path.to_path_buf(),
            start: CaptureError::describe_start(&start),
        });
    }
    let mut joined: Box<dyn Read + Send> = Box::new(Cursor::new(start.clone()).chain(input));
    if spool.is_some() {
        // After decompression, so that spool offsets are the reader's offsets.
        joined = Box::new(Tee {
            inner: joined,
            spool,
        });
    }
    CaptureReader::new(joined, &start, gzip).map_err(|what| CaptureError::TooShort {
        path: path.to_path_buf(),
        what,
    })
}

/// Read up to `n` bytes (fewer only at end of stream).
fn peek(path: &Path, input: &mut Box<dyn Read + Send>, n: usize) -> Result<Vec<u8>, CaptureError> {
    let mut buf = Vec::with_capacity(n);
    input
        .take(n as u64)
        .read_to_end(&mut buf)
        .map_err(|e| CaptureError::from_io(path, e))?;
    if buf.len() < n && buf.is_empty() {
        return Err(CaptureError::TooShort {
            path: path.to_path_buf(),
            what: "the file is empty (0 bytes): not a pcap or pcapng capture".to_string(),
        });
    }
    Ok(buf)
}
