//! A session that grows as packets arrive, without reading again what was already read.
//!
//! [`Growth`] keeps the [`FlowTable`] open: each frame is decoded and placed once
//! ([`Growth::push`]); [`Growth::take_delta`] hands out the new packet records and the
//! connections that changed since the last delta, each settled as if the capture ended
//! now ([`FlowTable::settled`]). [`Session::apply`] adds a delta to a session. Feeding a
//! capture frame by frame this way gives the same session as loading it whole (a property
//! test checks it on every sample and the corpus).

use crate::capture::{CaptureReader, CaptureWarning, Frame};
use crate::flow::{Connection, FlowTable};
use crate::session::{LAST_FRAME, LoadStats, PlacedPacket, Session, packet_record, scan_frame};
use std::collections::BTreeSet;

/// The growing state of a capture being read: the open flow table.
#[derive(Default)]
pub struct Growth {
    table: FlowTable,
    changed: BTreeSet<u32>,
    new_packets: Vec<PlacedPacket>,
    stats: LoadStats,
    /// IP fragments waiting for the rest of their datagram.
    reassembler: crate::decode::Reassembler,
    /// The timestamp of the first frame: time zero.
    first_frame_ts: Option<crate::capture::Timestamp>,
    /// Packet comments of the frames pushed since the last delta.
    new_comments: Vec<(u64, Vec<String>)>,
}

/// What changed since the last delta.
#[derive(Clone, Debug, Default)]
pub struct Delta {
    /// New packet records, in capture order, following the session's last one.
    pub packets: Vec<PlacedPacket>,
    /// Connections that are new or changed, settled.
    pub connections: Vec<Connection>,
    pub stats: LoadStats,
    pub warnings: Vec<CaptureWarning>,
    /// The timestamp of the capture's first frame (time zero), once one was read.
    pub first_frame_ts: Option<crate::capture::Timestamp>,
    /// Packet comments (pcapng `opt_comment`) of the new frames, by frame number.
    pub comments: Vec<(u64, Vec<String>)>,
}

impl Delta {
    pub fn is_empty(&self) -> bool {
        self.packets.is_empty() && self.connections.is_empty()
    }
}

impl Growth {
    pub fn new() -> Growth {
        Growth::default()
    }

    /// Decode and place one frame.
    pub fn push(&mut self, frame: &Frame<'_>) {
        if frame.number > LAST_FRAME {
            self.stats.frame_limit = true;
            return;
        }
        let mut record = None;
        self.first_frame_ts.get_or_insert(frame.ts);
        if !frame.comments.is_empty() {
            self.new_comments
                .push((frame.number, frame.comments.to_vec()));
        }
        scan_frame(
            frame,
            &mut self.table,
            &mut self.stats,
            &mut self.reassembler,
            &mut |f, _| {
                record = packet_record(f);
            },
        );
        let Some(record) = record else {
            return;
        };
        self.changed.insert(record.record.stream);
        self.new_packets.push(record);
    }

    /// Read up to `max_frames` frames from `reader` (it blocks while a live stream has
    /// nothing). Returns false when the stream has ended.
    pub fn read_from(&mut self, reader: &mut CaptureReader, max_frames: usize) -> bool {
        for _ in 0..max_frames {
            match reader.next_frame() {
                Some(frame) => self.push(&frame),
                None => {
                    self.stats.bytes_read = reader.position();
                    return false;
                }
            }
        }
        self.stats.bytes_read = reader.position();
        true
    }

    /// Frames pushed so far.
    pub fn frames(&self) -> u64 {
        self.stats.frames
    }

    /// Whether anything arrived since the last delta.
    pub fn has_changes(&self) -> bool {
        !self.new_packets.is_empty() || !self.changed.is_empty()
    }

    /// The new packets and changed connections since the last call.
    pub fn take_delta(&mut self, warnings: Vec<CaptureWarning>) -> Delta {
        let changed = std::mem::take(&mut self.changed);
        let connections = changed
            .into_iter()
            .filter_map(|stream| self.table.settled(stream))
            .collect();
        Delta {
            packets: std::mem::take(&mut self.new_packets),
            connections,
            stats: self.stats.clone(),
            warnings,
            first_frame_ts: self.first_frame_ts,
            comments: std::mem::take(&mut self.new_comments),
        }
    }
}

impl Session {
    /// Add what arrived to this session (made with [`Session::empty`]).
    pub fn apply(&mut self, delta: Delta) {
        for record in delta.packets {
            self.push_packet(record);
        }
        for conn in delta.connections {
            let stream = conn.stream() as usize;
            if stream < self.connections.len() {
                if let Some(slot) = self.connections.get_mut(stream) {
                    *slot = conn;
                }
            } else {
                // Streams are numbered in order of appearance, and a delta lists them in
                // order, so a new one always comes next.
                self.connections.push(conn);
            }
        }
        self.comments.extend(delta.comments);
        self.stats = delta.stats;
        self.warnings = delta.warnings;
        if self.first_frame_ts.is_none() {
            self.first_frame_ts = delta.first_frame_ts;
        }
    }
}
