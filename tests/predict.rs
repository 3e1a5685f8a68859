//! Predict mode's questions against every capture under `samples/` (recursively, pcap
//! and pcapng), every connection, both number modes, both languages: each question asked
//! has exactly one right answer among its choices (or one number); that answer is
//! worked out here again, independently, from the packets *before* the one asked about
//! (and the RFC 9293 table written out below); and it equals what the revealed packet
//! then shows (its ack, seq, flags, the state box it draws, its retransmission flag).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use tcp_ladder::flow::{Flag, Side, TcpState};
use tcp_ladder::i18n::Lang;
use tcp_ladder::ladder::predict::{Answer, Kind, Pick, Question, question};
use tcp_ladder::session::{LoadControl, PacketRecord, Session};

fn captures_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            captures_under(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "pcap" || e == "pcapng")
        {
            out.push(path);
        }
    }
}

fn all_samples() -> Vec<PathBuf> {
    let mut out = Vec::new();
    captures_under(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("samples"),
        &mut out,
    );
    assert!(out.len() > 20, "samples/ holds {} captures", out.len());
    out
}

/// Wrapping "a after b" in sequence space.
fn after(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) > 0
}

/// The sequence number after everything `side` sent in `before`.
fn next_of(before: &[&PacketRecord], side: Side) -> Option<u32> {
    let mut next: Option<u32> = None;
    for q in before.iter().filter(|q| q.side() == side) {
        let end = q
            .seq
            .wrapping_add(q.payload_len)
            .wrapping_add(q.flags.syn() as u32)
            .wrapping_add(q.flags.fin() as u32);
        if next.is_none_or(|n| after(end, n)) {
            next = Some(end);
        }
    }
    next
}

/// The first packet of `side` in `before` carrying a FIN.
fn first_fin<'a>(before: &[&'a PacketRecord], side: Side) -> Option<&'a PacketRecord> {
    before
        .iter()
        .copied()
        .find(|q| q.side() == side && q.flags.fin())
}

/// RFC 9293 written out again, from the question's event words.
fn rfc(from: TcpState, prompt: &str) -> TcpState {
    use TcpState::*;
    let reaches = |what: &str| prompt.contains(&format!("'s {what} reaches"));
    let event = if reaches("SYN, ACK") {
        "SYN, ACK"
    } else if prompt.contains("ACK of the") && reaches("SYN") {
        "ACK of SYN"
    } else if prompt.contains("ACK of the") && reaches("FIN") {
        "ACK of FIN"
    } else if reaches("SYN") {
        "SYN"
    } else if reaches("FIN") {
        "FIN"
    } else if reaches("RST") {
        "RST"
    } else {
        panic!("no event in {prompt:?}")
    };
    match (from, event) {
        (Listen | SynSent, "SYN") => SynReceived,
        (SynSent, "SYN, ACK") => Established,
        (SynReceived, "ACK of SYN") => Established,
        (Established, "FIN") => CloseWait,
        (FinWait1, "FIN") => Closing,
        (FinWait2, "FIN") => TimeWait,
        (FinWait1, "ACK of FIN") => FinWait2,
        (Closing, "ACK of FIN") => TimeWait,
        (LastAck, "ACK of FIN") => Closed,
        (_, "RST") => Closed,
        other => panic!("not a single RFC answer: {other:?} ({prompt})"),
    }
}

/// Each side's state after packet `upto` (inclusive; None: before the first), replaying
/// the connection's transitions as the ladder's state boxes do.
fn states_after(session: &Session, stream: u32, upto: Option<u32>) -> HashMap<Side, TcpState> {
    let conn = session.connection(stream).unwrap();
    let mut now = HashMap::new();
    for side in [Side::A, Side::B] {
        now.insert(side, conn.observer().initial(side));
    }
    for t in conn.transitions() {
        if upto.is_some_and(|u| t.packet <= u) {
            now.insert(t.side, t.to);
        }
    }
    now
}

/// Check one question; returns nothing, panics with the sample and frame on a mismatch.
fn check(session: &Session, name: &str, q: &Question, absolute: bool) {
    let p = &session.packets[q.packet as usize];
    let before: Vec<&PacketRecord> = session
        .connection_packets(p.stream)
        .take_while(|r| r.index < p.index)
        .collect();
    let at = format!("{name} frame {} ({:?}): {}", p.frame(), q.kind, q.prompt);
    assert!(!q.prompt.is_empty() && !q.why.is_empty(), "{at}");
    let picked = match &q.answer {
        Answer::Number(n) => {
            let (raw, shown, base) = match q.kind {
                Kind::AckNumber => {
                    let peer = p.side().other();
                    let next = next_of(&before, peer).expect(&at);
                    let base = before.iter().find(|r| r.side() == peer).unwrap();
                    (
                        p.ack,
                        if absolute {
                            p.ack
                        } else {
                            p.rel_ack().unwrap()
                        },
                        (next, base.seq.wrapping_sub(base.rel_seq)),
                    )
                }
                Kind::SeqNumber => {
                    assert!(!p.flags.syn(), "{at}: an ISN is never predictable");
                    let next = next_of(&before, p.side()).expect(&at);
                    let base = before.iter().find(|r| r.side() == p.side()).unwrap();
                    (
                        p.seq,
                        if absolute { p.seq } else { p.rel_seq },
                        (next, base.seq.wrapping_sub(base.rel_seq)),
                    )
                }
                other => panic!("{at}: a number for {other:?}"),
            };
            let (next, base) = base;
            let expected = if absolute {
                next
            } else {
                next.wrapping_sub(base)
            };
            assert_eq!(*n, expected, "{at}: from the packets before");
            assert_eq!(raw, next, "{at}: the revealed packet's raw field");
            assert_eq!(*n, shown, "{at}: the revealed packet's shown field");
            assert!(q.why.ends_with(&format!("= {n}")), "{at}: {}", q.why);
            return;
        }
        Answer::Choice { choices, right } => {
            assert!(choices.len() >= 2, "{at}: {choices:?}");
            for (i, a) in choices.iter().enumerate() {
                assert!(
                    !choices[..i].contains(a),
                    "{at}: a choice offered twice: {choices:?}"
                );
            }
            assert_eq!(q.choice_labels.len(), choices.len(), "{at}");
            let mut labels = q.choice_labels.clone();
            labels.sort();
            labels.dedup();
            assert_eq!(labels.len(), choices.len(), "{at}: {:?}", q.choice_labels);
            choices[*right]
        }
    };
    let conn = session.connection(p.stream).unwrap();
    let side_of_frame = |frame: u64| before.iter().find(|r| r.frame() == frame).map(|r| r.side());
    match q.kind {
        Kind::Flags => {
            let Pick::Flags(words) = picked else {
                panic!("{at}: {picked:?}")
            };
            assert_eq!(words, p.flags.words(), "{at}");
        }
        Kind::StateOnArrival => {
            let Pick::State(to) = picked else {
                panic!("{at}: {picked:?}")
            };
            let receiver = p.side().other();
            let from = states_after(session, p.stream, p.index.checked_sub(1))[&receiver];
            assert!(
                q.prompt
                    .contains(&format!("which is in {}", from.rfc_name())),
                "{at}: the state before is {}",
                from.rfc_name()
            );
            assert_eq!(to, rfc(from, &q.prompt), "{at}: RFC 9293");
            assert_eq!(
                states_after(session, p.stream, Some(p.index))[&receiver],
                to,
                "{at}: the state box the packet draws"
            );
        }
        Kind::Retransmission => {
            let same = before
                .iter()
                .any(|r| r.side() == p.side() && r.seq == p.seq && r.payload_len == p.payload_len);
            let expected = if same {
                Pick::Resent
            } else {
                assert_eq!(Some(p.seq), next_of(&before, p.side()), "{at}");
                Pick::NewData
            };
            assert_eq!(picked, expected, "{at}: from the packets before");
            let flagged = [
                Flag::Retransmission,
                Flag::FastRetransmission,
                Flag::SpuriousRetransmission,
            ]
            .into_iter()
            .any(|f| p.analysis.flags.has(f));
            assert_eq!(flagged, picked == Pick::Resent, "{at}: the analysis flag");
        }
        Kind::Resender => {
            let original = side_of_frame(session.analysis(p).retransmits_frame).expect(&at);
            assert_eq!(
                picked,
                Pick::Side(original),
                "{at}: from the packets before"
            );
            assert_eq!(picked, Pick::Side(p.side()), "{at}: the revealed sender");
        }
        Kind::ActiveCloser => {
            let fins: Vec<&PacketRecord> = [Side::A, Side::B]
                .into_iter()
                .filter_map(|s| first_fin(&before, s))
                .collect();
            assert_eq!(fins.len(), 1, "{at}: exactly one side closed before");
            assert_eq!(picked, Pick::Side(fins[0].side()), "{at}");
            assert!(
                p.flags.fin() && p.side() != fins[0].side(),
                "{at}: the second FIN"
            );
        }
        Kind::TimeWait => {
            let fin_a = first_fin(&before, Side::A).expect(&at);
            let fin_b = first_fin(&before, Side::B).expect(&at);
            let (first, second) = if fin_a.index < fin_b.index {
                (fin_a, fin_b)
            } else {
                (fin_b, fin_a)
            };
            let first_end = first.seq.wrapping_add(first.payload_len).wrapping_add(1);
            let acked_first = second.flags.ack() && !after(first_end, second.ack);
            let expected = if acked_first {
                Pick::Side(first.side())
            } else {
                Pick::Both
            };
            assert_eq!(picked, expected, "{at}: from the packets before");
            let now = states_after(session, p.stream, Some(p.index));
            let waiting: Vec<Side> = [Side::A, Side::B]
                .into_iter()
                .filter(|s| now[s] == TcpState::TimeWait)
                .collect();
            let revealed = match waiting.as_slice() {
                [one] => Pick::Side(*one),
                [_, _] => Pick::Both,
                _ => panic!("{at}: nobody in TIME-WAIT after it ({now:?})"),
            };
            assert_eq!(picked, revealed, "{at}: the states after it");
        }
        Kind::AckNumber | Kind::SeqNumber => unreachable!(),
    }
    let _ = conn;
}

#[test]
fn every_question_on_every_sample_has_one_answer_from_the_packets_before_it() {
    let mut asked: BTreeMap<String, usize> = BTreeMap::new();
    let mut packets = 0usize;
    for path in all_samples() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let session = Session::load_path(&path, &LoadControl::default()).unwrap();
        for (index, p) in session.packets.iter().enumerate() {
            let _ = p;
            packets += 1;
            for absolute in [false, true] {
                let en = question(&session, index as u32, Lang::En, absolute);
                let zh = question(&session, index as u32, Lang::ZhCn, absolute);
                assert_eq!(
                    en.as_ref().map(|q| (&q.kind, &q.answer)),
                    zh.as_ref().map(|q| (&q.kind, &q.answer)),
                    "{name}: the same question in both languages"
                );
                if let Some(q) = en {
                    check(&session, &name, &q, absolute);
                    *asked.entry(format!("{:?}", q.kind)).or_default() += 1;
                }
            }
        }
    }
    println!("{packets} packets; asked: {asked:?}");
    for kind in [
        "AckNumber",
        "SeqNumber",
        "Flags",
        "StateOnArrival",
        "Retransmission",
        "Resender",
        "ActiveCloser",
        "TimeWait",
    ] {
        assert!(
            asked.get(kind).copied().unwrap_or(0) > 0,
            "no {kind} question on any sample: {asked:?}"
        );
    }
}
