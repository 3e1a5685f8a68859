//! Where a table built for rows keeps track of the connections it has set aside
//! ([`super::spill`]), in memory that does not grow with their number.
//!
//! A set-aside connection leaves one [`Entry`]: the hash of its four-tuple, its stream
//! number, and where its record is in the spill. The table asks two things of them:
//! - while the capture is read, *which set-aside streams may be this four-tuple's?* Nearly
//!   every time the answer is "none" (a new connection); for the entries in files, a
//!   [`Bloom`] filter of fixed size gives it without reading them;
//! - when the rows are written, *where is stream n?*, for n in order.
//!
//! Entries gather in memory up to a fixed count, then are written to private temporary
//! files twice, as two sorted runs: one by hash (a lookup reads one block of it, found
//! through each run's small table of block fences; runs by hash are merged as they grow,
//! so a lookup reads at most log₂ of their number) and one by stream (merged as the rows
//! are written). A connection read back and set aside again has a newer
//! entry with a later place in the spill (which is only appended to): the later place is
//! the one that counts.

use super::spill::SetAside;
use super::table::spread;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};

/// Entries kept in memory before they are written as runs (20 bytes each: 2.5 MiB).
pub(super) const RECENT_MAX: usize = 1 << 17;

/// One set-aside connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry {
    key_hash: u32,
    stream: u32,
    at: SetAside,
}

/// An entry's size in a run: hash, stream, offset and length, little-endian.
const ENTRY_BYTES: usize = 20;

/// Entries per block of a run sorted by hash (one read per lookup in that run).
const BLOCK_ENTRIES: usize = 256;

/// Bytes a run sorted by stream is read in, when the rows are written.
const MERGE_CHUNK: usize = 32 * 1024;

impl Entry {
    fn bytes(&self) -> [u8; ENTRY_BYTES] {
        let mut b = [0; ENTRY_BYTES];
        b[..4].copy_from_slice(&self.key_hash.to_le_bytes());
        b[4..8].copy_from_slice(&self.stream.to_le_bytes());
        b[8..].copy_from_slice(&self.at.to_bytes());
        b
    }

    fn from_bytes(b: &[u8; ENTRY_BYTES]) -> Entry {
        let [h0, h1, h2, h3, s0, s1, s2, s3, at @ ..] = *b;
        Entry {
            key_hash: u32::from_le_bytes([h0, h1, h2, h3]),
            stream: u32::from_le_bytes([s0, s1, s2, s3]),
            at: SetAside::from_bytes(at),
        }
    }

    /// Entries in a byte slice of whole entries.
    fn all_in(bytes: &[u8]) -> impl Iterator<Item = Entry> + '_ {
        bytes
            .chunks_exact(ENTRY_BYTES)
            .filter_map(|c| <&[u8; ENTRY_BYTES]>::try_from(c).ok())
            .map(Entry::from_bytes)
    }
}

/// A sorted run in the file.
struct Run {
    /// Where it starts in the file, and how many entries it has.
    start: u64,
    len: usize,
    /// For a run sorted by hash: the first hash of each block.
    fences: Vec<u32>,
}

/// The entries of set-aside connections.
pub(super) struct Directory {
    /// Entries not yet in the file.
    recent: Vec<Entry>,
    /// Where in `recent` the entries of each hash are.
    recent_index: hashbrown::HashTable<u32>,
    recent_max: usize,
    /// The hashes of the entries in runs (made when the first runs are written: until
    /// then `recent_index` answers exactly).
    bloom: Bloom,
    /// The runs sorted by hash, each in its own file, oldest first; merged so that each
    /// is at least as long as the next (at most log₂ of their number are looked in).
    by_hash: Vec<(RunFile, Run)>,
    /// The runs sorted by stream, one after another in one file.
    by_stream: Option<(RunFile, Vec<Run>)>,
}

/// A private temporary file of runs (removed when dropped), only appended to.
struct RunFile {
    file: File,
    _path: tempfile::TempPath,
    written: u64,
}

impl Default for Directory {
    fn default() -> Directory {
        Directory::new(RECENT_MAX)
    }
}

impl Directory {
    /// `recent_max` entries are kept in memory before they are written as runs.
    pub(super) fn new(recent_max: usize) -> Directory {
        Directory {
            recent: Vec::new(),
            recent_index: hashbrown::HashTable::new(),
            recent_max: recent_max.max(1),
            bloom: Bloom::default(),
            by_hash: Vec::new(),
            by_stream: None,
        }
    }

    /// Note that `stream`, whose four-tuple hashes to `key_hash`, is now at `at`. An
    /// error means the runs could not be written: the entry is kept in memory all the
    /// same (every entry is), and the table should set no more connections aside.
    pub(super) fn record(&mut self, key_hash: u32, stream: u32, at: SetAside) -> io::Result<()> {
        self.recent.push(Entry {
            key_hash,
            stream,
            at,
        });
        self.index_entry(self.recent.len().saturating_sub(1));
        if self.recent.len() >= self.recent_max
            && let Err(e) = self.write_runs()
        {
            // Sorted for writing: indexed again where they now are.
            self.recent_index.clear();
            for i in 0..self.recent.len() {
                self.index_entry(i);
            }
            return Err(e);
        }
        Ok(())
    }

    /// Index the entry of `recent` at `i`.
    fn index_entry(&mut self, i: usize) {
        let recent = &self.recent;
        let Some(entry) = recent.get(i) else {
            return;
        };
        self.recent_index
            .insert_unique(spread(entry.key_hash), i as u32, |&i| {
                spread(recent.get(i as usize).map_or(0, |e| e.key_hash))
            });
    }

    /// Write the entries in memory as two runs; they leave memory only once both are in
    /// the files. Then merge the runs by hash that have grown as long as the one before.
    fn write_runs(&mut self) -> io::Result<()> {
        self.recent.sort_unstable_by_key(|e| e.key_hash);
        let mut hash_file = RunFile::create()?;
        let mut entries = self.recent.iter().copied();
        let by_hash = hash_file.append(|| Ok(entries.next()))?;
        self.recent
            .sort_unstable_by_key(|e| (e.stream, e.at.offset()));
        let (stream_file, stream_runs) = match &mut self.by_stream {
            Some((file, runs)) => (file, runs),
            None => {
                let (file, runs) = self.by_stream.insert((RunFile::create()?, Vec::new()));
                (file, runs)
            }
        };
        let mut entries = self.recent.iter().copied();
        stream_runs.push(stream_file.append(|| Ok(entries.next()))?);
        self.by_hash.push((hash_file, by_hash));
        for e in &self.recent {
            self.bloom.insert(e.key_hash);
        }
        self.recent.clear();
        self.recent_index.clear();
        while let [.., (older, a), (newer, b)] = &self.by_hash[..] {
            if a.len > b.len {
                break;
            }
            let merged = merge((older, a), (newer, b))?;
            self.by_hash.truncate(self.by_hash.len() - 2);
            self.by_hash.push(merged);
        }
        Ok(())
    }

    /// The set-aside streams whose four-tuple may hash to `key_hash`, newest stream
    /// first, each with its latest place.
    pub(super) fn candidates(&self, key_hash: u32) -> io::Result<Vec<(u32, SetAside)>> {
        let mut found: Vec<Entry> = self
            .recent_index
            .iter_hash(spread(key_hash))
            .filter_map(|&i| self.recent.get(i as usize))
            .filter(|e| e.key_hash == key_hash)
            .copied()
            .collect();
        if self.bloom.may_contain(key_hash) {
            for (file, run) in &self.by_hash {
                file.find(run, key_hash, &mut found)?;
            }
        }
        found.sort_unstable_by_key(|e| Reverse((e.stream, e.at.offset())));
        found.dedup_by_key(|e| e.stream);
        Ok(found.into_iter().map(|e| (e.stream, e.at)).collect())
    }

    /// Every entry, merged in stream order, for writing the rows.
    pub(super) fn into_stream_order(mut self) -> io::Result<StreamOrder> {
        self.recent
            .sort_unstable_by_key(|e| (e.stream, e.at.offset()));
        let (file, runs) = match self.by_stream {
            Some((file, runs)) => (Some(file), runs),
            None => (None, Vec::new()),
        };
        let mut sources = vec![Source::Memory(self.recent.into_iter())];
        sources.extend(runs.iter().map(|run| Source::Run(RunReader::of(run))));
        let mut order = StreamOrder {
            heap: BinaryHeap::new(),
            sources,
            file,
        };
        for i in 0..order.sources.len() {
            order.refill(i)?;
        }
        Ok(order)
    }
}

impl RunFile {
    fn create() -> io::Result<RunFile> {
        let (file, path) = crate::capture::private_temp_file("flows-index")?;
        Ok(RunFile {
            file,
            _path: path,
            written: 0,
        })
    }

    /// Append a run of `entries`, with a fence for each block (used by runs sorted by
    /// hash).
    fn append(&mut self, mut next: impl FnMut() -> io::Result<Option<Entry>>) -> io::Result<Run> {
        let mut run = Run {
            start: self.written,
            len: 0,
            fences: Vec::new(),
        };
        let mut bytes = Vec::with_capacity(MERGE_CHUNK);
        (&self.file).seek(SeekFrom::Start(self.written))?;
        while let Some(e) = next()? {
            if run.len.is_multiple_of(BLOCK_ENTRIES) {
                run.fences.push(e.key_hash);
            }
            bytes.extend_from_slice(&e.bytes());
            run.len += 1;
            if bytes.len() >= MERGE_CHUNK {
                (&self.file).write_all(&bytes)?;
                bytes.clear();
            }
        }
        (&self.file).write_all(&bytes)?;
        self.written += (run.len * ENTRY_BYTES) as u64;
        Ok(run)
    }

    /// Add the entries of `run` (sorted by hash) with `key_hash` to `found`.
    fn find(&self, run: &Run, key_hash: u32, found: &mut Vec<Entry>) -> io::Result<()> {
        // The block before the first fence at or above the hash may end with it too.
        let first = run
            .fences
            .partition_point(|&f| f < key_hash)
            .saturating_sub(1);
        let mut block = Vec::new();
        for (b, &fence) in run.fences.iter().enumerate().skip(first) {
            if fence > key_hash {
                break;
            }
            let start = b * BLOCK_ENTRIES;
            let len = BLOCK_ENTRIES.min(run.len - start);
            block.resize(len * ENTRY_BYTES, 0);
            (&self.file).seek(SeekFrom::Start(run.start + (start * ENTRY_BYTES) as u64))?;
            (&self.file).read_exact(&mut block)?;
            found.extend(Entry::all_in(&block).filter(|e| e.key_hash == key_hash));
        }
        Ok(())
    }
}

/// One run sorted by hash from two (the older one's entries first among equal hashes).
fn merge(older: (&RunFile, &Run), newer: (&RunFile, &Run)) -> io::Result<(RunFile, Run)> {
    let (mut a, mut b) = (RunReader::of(older.1), RunReader::of(newer.1));
    let (mut next_a, mut next_b) = (a.next_entry(&older.0.file)?, b.next_entry(&newer.0.file)?);
    let mut merged = RunFile::create()?;
    let run = merged.append(|| {
        Ok(match (next_a, next_b) {
            (Some(x), Some(y)) if y.key_hash < x.key_hash => {
                next_b = b.next_entry(&newer.0.file)?;
                Some(y)
            }
            (Some(x), _) => {
                next_a = a.next_entry(&older.0.file)?;
                Some(x)
            }
            (None, Some(y)) => {
                next_b = b.next_entry(&newer.0.file)?;
                Some(y)
            }
            (None, None) => None,
        })
    })?;
    Ok((merged, run))
}

/// The entries of every run, merged in order of stream (then place).
pub(super) struct StreamOrder {
    /// The next entry of each source that has one, smallest first.
    heap: BinaryHeap<Reverse<(u32, u64, usize, Entry)>>,
    sources: Vec<Source>,
    /// The file of the runs sorted by stream.
    file: Option<RunFile>,
}

enum Source {
    Memory(std::vec::IntoIter<Entry>),
    Run(RunReader),
}

/// Reads a run's entries in order, a chunk at a time.
struct RunReader {
    next: u64,
    end: u64,
    chunk: std::vec::IntoIter<Entry>,
}

impl RunReader {
    fn of(run: &Run) -> RunReader {
        RunReader {
            next: run.start,
            end: run.start + (run.len * ENTRY_BYTES) as u64,
            chunk: Vec::new().into_iter(),
        }
    }

    fn next_entry(&mut self, mut file: &File) -> io::Result<Option<Entry>> {
        if let Some(e) = self.chunk.next() {
            return Ok(Some(e));
        }
        if self.next >= self.end {
            return Ok(None);
        }
        let len = (self.end - self.next).min(MERGE_CHUNK as u64) as usize;
        let len = len - len % ENTRY_BYTES;
        let mut bytes = vec![0; len];
        file.seek(SeekFrom::Start(self.next))?;
        file.read_exact(&mut bytes)?;
        self.next += len as u64;
        self.chunk = Entry::all_in(&bytes).collect::<Vec<_>>().into_iter();
        Ok(self.chunk.next())
    }
}

impl Ord for Entry {
    fn cmp(&self, other: &Entry) -> std::cmp::Ordering {
        (self.stream, self.at.offset()).cmp(&(other.stream, other.at.offset()))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Entry) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl StreamOrder {
    fn refill(&mut self, source: usize) -> io::Result<()> {
        let next = match self.sources.get_mut(source) {
            Some(Source::Memory(entries)) => entries.next(),
            Some(Source::Run(reader)) => match &self.file {
                Some(f) => reader.next_entry(&f.file)?,
                None => None,
            },
            None => None,
        };
        if let Some(e) = next {
            self.heap
                .push(Reverse((e.stream, e.at.offset(), source, e)));
        }
        Ok(())
    }

    /// Where `stream` is, if it was set aside: its latest place. Ask in increasing order
    /// of stream (entries of the streams skipped are passed over).
    pub(super) fn place_of(&mut self, stream: u32) -> io::Result<Option<SetAside>> {
        let mut place = None;
        while let Some(Reverse((s, _, source, entry))) = self.heap.peek().copied() {
            if s > stream {
                break;
            }
            self.heap.pop();
            if s == stream {
                place = Some(entry.at);
            }
            self.refill(source)?;
        }
        Ok(place)
    }
}

/// Bits of the Bloom filter (8 MiB, allocated when the first runs are written): with four
/// bits a hash, a four-tuple never set aside reads the runs (one block of each run by
/// hash) about once in 100,000 lookups with a million connections set aside, once in 25
/// with ten million.
const BLOOM_BITS: usize = 1 << 26;

/// Which hashes were ever set aside: "no" is certain, "maybe" means look.
#[derive(Default)]
struct Bloom {
    words: Vec<u64>,
}

impl Bloom {
    fn bits(key_hash: u32) -> impl Iterator<Item = usize> {
        let h = u64::from(key_hash).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let (a, b) = (h as u32, (h >> 32) as u32 | 1);
        (0..4u32).map(move |i| a.wrapping_add(i.wrapping_mul(b)) as usize % BLOOM_BITS)
    }

    fn insert(&mut self, key_hash: u32) {
        if self.words.is_empty() {
            self.words = vec![0; BLOOM_BITS / 64];
        }
        for bit in Bloom::bits(key_hash) {
            if let Some(w) = self.words.get_mut(bit / 64) {
                *w |= 1 << (bit % 64);
            }
        }
    }

    fn may_contain(&self, key_hash: u32) -> bool {
        !self.words.is_empty()
            && Bloom::bits(key_hash).all(|bit| {
                self.words
                    .get(bit / 64)
                    .is_some_and(|w| w & (1 << (bit % 64)) != 0)
            })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::*;

    fn at(offset: u64) -> SetAside {
        SetAside::from_bytes({
            let mut b = [0; 12];
            b[..8].copy_from_slice(&offset.to_le_bytes());
            b[8..].copy_from_slice(&7u32.to_le_bytes());
            b
        })
    }

    /// Lookups and the walk in stream order give the same answers whether the entries
    /// are still in memory or in runs of any size, with streams set aside more than once
    /// and hashes shared by several streams.
    #[test]
    fn entries_are_found_the_same_in_memory_and_in_runs() {
        // (hash, stream, place): stream s is set aside at place 10s, and every third one
        // again later at 10s + 5000; hashes repeat every 7 streams.
        let mut entries: Vec<(u32, u32, u64)> = (0..600u32)
            .map(|s| (s % 7 * 1000, s, 10 * u64::from(s)))
            .collect();
        entries.extend(
            (0..600u32)
                .step_by(3)
                .map(|s| (s % 7 * 1000, s, 10 * u64::from(s) + 5000)),
        );
        let answers = |recent_max: usize| {
            let mut dir = Directory::new(recent_max);
            for &(h, s, o) in &entries {
                dir.record(h, s, at(o)).unwrap();
            }
            // Runs by hash merged as they grow: a binary counter's worth of them.
            let runs = entries.len().div_ceil(recent_max.min(entries.len()));
            assert!(
                dir.by_hash.len() <= runs.ilog2() as usize + 1,
                "{}",
                dir.by_hash.len()
            );
            let lookups: Vec<_> = (0..8u32)
                .map(|h| dir.candidates(h * 1000).unwrap())
                .collect();
            let mut order = dir.into_stream_order().unwrap();
            let places: Vec<_> = (0..610u32)
                .filter(|s| s % 2 == 0)
                .map(|s| order.place_of(s).unwrap())
                .collect();
            (lookups, places)
        };
        let (lookups, places) = answers(usize::MAX);
        assert!(lookups[7].is_empty(), "a hash never set aside");
        let three: Vec<u32> = lookups[3].iter().map(|&(s, _)| s).take(3).collect();
        assert_eq!(three, [598, 591, 584], "newest stream first");
        assert_eq!(lookups[3][0].1.offset(), 5980, "598 is set aside once");
        assert_eq!(
            lookups[3][1].1.offset(),
            5910 + 5000,
            "591 twice: the later place"
        );
        assert_eq!(places[0].unwrap().offset(), 5000);
        assert_eq!(places[1].unwrap().offset(), 20);
        assert_eq!(places[300], None, "stream 600 was never set aside");
        for recent_max in [1, 5, 256, 257, 1000] {
            assert_eq!(
                answers(recent_max),
                (lookups.clone(), places.clone()),
                "{recent_max}"
            );
        }
    }

    #[test]
    fn the_bloom_filter_never_forgets() {
        let mut bloom = Bloom::default();
        assert!(!bloom.may_contain(1));
        for h in (0..100_000u32).map(|i| i.wrapping_mul(2_654_435_761)) {
            bloom.insert(h);
        }
        assert!((0..100_000u32).all(|i| bloom.may_contain(i.wrapping_mul(2_654_435_761))));
        let false_positives = (0..100_000u32)
            .filter(|i| bloom.may_contain(i.wrapping_mul(40_503) ^ 0x5555_5555))
            .count();
        assert!(false_positives < 10, "{false_positives}");
    }
}
