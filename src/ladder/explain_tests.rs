//! The explanations, situation by situation (issue 16): each test names the situation
//! and checks the sentence a student reads states the fact right, in English and Chinese.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use super::*;
use crate::session::{LoadControl, Session};
use std::path::Path;

const SYN: u8 = 0x02;
const ACK: u8 = 0x10;
const FIN: u8 = 0x01;
const PSH: u8 = 0x08;

/// One segment of a made-up capture: client 10.0.0.1:40000 ⇄ server 10.0.0.2:80.
struct Seg {
    from_client: bool,
    flags: u8,
    seq: u32,
    ack: u32,
    len: usize,
    window: u16,
    options: Vec<u8>,
}

fn seg(from_client: bool, flags: u8, seq: u32, ack: u32, len: usize) -> Seg {
    Seg {
        from_client,
        flags,
        seq,
        ack,
        len,
        window: 1000,
        options: Vec::new(),
    }
}

/// A pcap (raw IPv4 link type) of the segments, 100 ms apart.
fn pcap(segments: &[Seg]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend(0xa1b2_c3d4u32.to_le_bytes());
    out.extend(2u16.to_le_bytes());
    out.extend(4u16.to_le_bytes());
    out.extend([0; 8]);
    out.extend(65535u32.to_le_bytes());
    out.extend(101u32.to_le_bytes());
    for (i, s) in segments.iter().enumerate() {
        let (src, dst, sport, dport) = if s.from_client {
            ([10, 0, 0, 1], [10, 0, 0, 2], 40000u16, 80u16)
        } else {
            ([10, 0, 0, 2], [10, 0, 0, 1], 80, 40000)
        };
        let tcp_len = 20 + s.options.len();
        let total = 20 + tcp_len + s.len;
        let mut frame = vec![0x45, 0];
        frame.extend((total as u16).to_be_bytes());
        frame.extend([0, 0, 0x40, 0, 64, 6, 0, 0]);
        frame.extend(src);
        frame.extend(dst);
        frame.extend(sport.to_be_bytes());
        frame.extend(dport.to_be_bytes());
        frame.extend(s.seq.to_be_bytes());
        frame.extend(s.ack.to_be_bytes());
        frame.push(((tcp_len / 4) as u8) << 4);
        frame.push(s.flags);
        frame.extend(s.window.to_be_bytes());
        frame.extend([0, 0, 0, 0]);
        frame.extend(&s.options);
        frame.extend(std::iter::repeat_n(b'x', s.len));
        let micros = i as u32 * 100_000;
        out.extend((micros / 1_000_000).to_le_bytes());
        out.extend((micros % 1_000_000).to_le_bytes());
        out.extend((frame.len() as u32).to_le_bytes());
        out.extend((frame.len() as u32).to_le_bytes());
        out.extend(frame);
    }
    out
}

fn session_of(segments: &[Seg]) -> Session {
    Session::load_bytes(
        Path::new("made-up.pcap"),
        pcap(segments).into(),
        &LoadControl::default(),
    )
    .expect("the made-up capture loads")
}

fn sample(file_name: &str) -> Session {
    let s = crate::samples::find(file_name).expect("bundled");
    Session::load_bytes(
        Path::new(file_name),
        s.bytes.into(),
        &LoadControl::default(),
    )
    .expect("the sample loads")
}

/// The explanation of frame `frame`, in English and in Chinese.
fn said(session: &Session, frame: u64) -> (String, String) {
    said_with(session, frame, false)
}

fn said_with(session: &Session, frame: u64, absolute: bool) -> (String, String) {
    let index = session
        .packets
        .iter()
        .position(|p| p.frame() == frame)
        .expect("frame in capture") as u32;
    (
        explain_with(session, index, Lang::En, absolute),
        explain_with(session, index, Lang::ZhCn, absolute),
    )
}

/// Client ISN 100, server ISN 500.
fn handshake() -> Vec<Seg> {
    vec![
        seg(true, SYN, 100, 0, 0),
        seg(false, SYN | ACK, 500, 101, 0),
        seg(true, ACK, 101, 501, 0),
    ]
}

#[test]
fn syn_ack_acknowledges_the_syn_with_isn_plus_one_the_next_number_expected() {
    let s = session_of(&handshake());
    let (en, zh) = said(&s, 2);
    assert!(
        en.contains("acknowledges the client's SYN (ack = ISN + 1 = 101 (relative ack 1), the next sequence number it expects)"),
        "{en}"
    );
    assert!(!en.contains("acknowledges the client's ISN + 1"), "{en}");
    assert!(
        zh.contains(
            "确认客户端的 SYN（ack = ISN + 1 = 101（相对确认号 1），即它期待的下一个序号）"
        ),
        "{zh}"
    );
    let (en, _) = said(&s, 3);
    assert!(
        en.contains("the server's SYN (ack = ISN + 1 = 501 (relative ack 1)"),
        "{en}"
    );
}

#[test]
fn handshake_numbers_follow_the_absolute_toggle() {
    let mut segs = handshake();
    segs.push(seg(true, PSH | ACK, 101, 501, 10));
    segs.push(seg(false, ACK, 501, 111, 0));
    let s = session_of(&segs);
    let (en, _) = said_with(&s, 2, true);
    assert!(en.contains("ack = ISN + 1 = 101, the next"), "{en}");
    let (en, zh) = said_with(&s, 4, true);
    assert!(
        en.contains("bytes 1 to 10 of its stream (seq 101; its next new byte is seq 111)"),
        "{en}"
    );
    assert!(zh.contains("seq 101；它的下一个新字节是 seq 111"), "{zh}");
    let (en, _) = said_with(&s, 5, true);
    assert!(
        en.contains("ack 111 (relative 11) means \"I have everything before byte 11"),
        "{en}"
    );
    let (en, _) = said_with(&s, 5, false);
    assert!(en.contains("ack 11 means"), "{en}");
}

#[test]
fn fin_takes_one_sequence_number_but_carries_no_data() {
    let mut segs = handshake();
    segs.push(seg(true, FIN | ACK, 101, 501, 0));
    segs.push(seg(false, ACK, 501, 102, 0));
    let s = session_of(&segs);
    let (en, zh) = said(&s, 5);
    assert!(
        en.contains("a FIN takes one sequence number but carries no data"),
        "{en}"
    );
    assert!(!en.contains("counts as one byte"), "{en}");
    assert!(zh.contains("FIN 占用一个序号，但不携带数据"), "{zh}");
    let (en, zh) = said(&s, 4);
    assert!(en.contains("closes its sending direction (FIN)"), "{en}");
    assert!(zh.contains("关闭了自己的发送方向"), "{zh}");
}

#[test]
fn the_next_new_byte_is_not_promised_by_a_retransmission() {
    let mut segs = handshake();
    segs.push(seg(true, PSH | ACK, 101, 501, 10));
    segs.push(seg(true, PSH | ACK, 101, 501, 10)); // sent again, 100 ms later
    let s = session_of(&segs);
    let (en, _) = said(&s, 4);
    assert!(en.contains("its next new byte is seq 11"), "{en}");
    assert!(!en.contains("the next segment will start"), "{en}");
    let (en, zh) = said(&s, 5);
    assert!(!en.contains("next new byte"), "{en}");
    assert!(
        en.contains("Retransmission of frame 4: these sequence numbers were sent before"),
        "{en}"
    );
    assert!(zh.contains("超时重传"), "{zh}");
}

#[test]
fn linux_zero_window_probe_is_explained_as_a_probe() {
    let mut segs = handshake();
    segs.push(seg(true, PSH | ACK, 101, 501, 100));
    let mut full = seg(false, ACK, 501, 201, 0);
    full.window = 0;
    segs.push(full);
    // Linux probes with SND.NXT − 1 and no data: Wireshark says keep-alive.
    segs.push(seg(true, ACK, 200, 501, 0));
    let mut answer = seg(false, ACK, 501, 201, 0);
    answer.window = 0;
    segs.push(answer);
    let s = session_of(&segs);
    let probe = &s.packets[5];
    assert!(
        probe.analysis.flags.has(Flag::KeepAlive),
        "the premise: Wireshark's flag"
    );
    let (en, zh) = said(&s, 6);
    assert!(en.contains("Zero-window probe"), "{en}");
    assert!(en.contains("Wireshark calls it a keep-alive"), "{en}");
    assert!(!en.contains("idle connection"), "{en}");
    assert!(!en.contains("acknowledges data"), "{en}");
    assert!(
        zh.contains("零窗口探测") && zh.contains("Wireshark 把它称为保活探测"),
        "{zh}"
    );
    let (en, zh) = said(&s, 7);
    assert!(en.contains("answers the zero-window probe"), "{en}");
    assert!(zh.contains("回应零窗口探测"), "{zh}");
}

#[test]
fn one_byte_zero_window_probe_is_the_other_form() {
    let s = sample("zero-window.pcapng");
    let (en, zh) = said(&s, 46);
    assert!(
        en.contains("Zero-window probe: the client sends one new byte"),
        "{en}"
    );
    assert!(en.contains("Windows"), "{en}");
    assert!(zh.contains("零窗口探测"), "{zh}");
}

#[test]
fn keep_alive_is_one_below_the_next_byte_not_an_old_number() {
    let s = sample("keep-alive.pcapng");
    let (en, zh) = said(&s, 7);
    assert!(en.contains("one below its next byte (SND.NXT − 1)"), "{en}");
    assert!(!en.contains("old sequence number"), "{en}");
    assert!(
        zh.contains("保活探测") && zh.contains("SND.NXT − 1"),
        "{zh}"
    );
    let (en, zh) = said(&s, 8);
    assert!(en.contains("Keep-alive ACK"), "{en}");
    assert!(!en.contains("acknowledges new data"), "{en}");
    assert!(zh.contains("保活确认"), "{zh}");
}

#[test]
fn pure_ack_of_nothing_new_does_not_acknowledge_data() {
    let mut segs = handshake();
    segs.push(seg(true, PSH | ACK, 101, 501, 10));
    segs.push(seg(false, ACK, 501, 111, 0));
    segs.push(seg(false, ACK, 501, 111, 0)); // a duplicate ACK
    let s = session_of(&segs);
    let (en, _) = said(&s, 5);
    assert!(en.contains("acknowledges new data"), "{en}");
    let (en, zh) = said(&s, 6);
    assert!(!en.contains("acknowledges new data"), "{en}");
    assert!(en.contains("Duplicate ACK #1 of frame 5"), "{en}");
    assert!(zh.contains("第 5 帧的第 1 次重复确认"), "{zh}");
}

#[test]
fn window_update_is_any_change_of_a_nonzero_window() {
    let mut segs = handshake();
    segs.push(seg(true, PSH | ACK, 101, 501, 10));
    segs.push(seg(false, ACK, 501, 111, 0));
    let mut smaller = seg(false, ACK, 501, 111, 0);
    smaller.window = 500;
    segs.push(smaller);
    let s = session_of(&segs);
    assert!(
        s.packets[5].analysis.flags.has(Flag::WindowUpdate),
        "the premise"
    );
    let (en, zh) = said(&s, 6);
    assert!(
        en.contains("Window update: nothing new is acknowledged, only the window changes"),
        "{en}"
    );
    assert!(en.contains("not only a larger one"), "{en}");
    assert!(!en.contains("acknowledges new data"), "{en}");
    assert!(zh.contains("窗口更新") && zh.contains("不只是变大"), "{zh}");
}

#[test]
fn retransmitted_syn_carries_no_bytes() {
    let s = sample("syn-no-answer.pcapng");
    let (en, zh) = said(&s, 2);
    assert!(
        en.contains("repeats the SYN's sequence number; a repeated SYN carries no data bytes"),
        "{en}"
    );
    assert!(zh.contains("重发的 SYN 不携带数据字节"), "{zh}");
}

#[test]
fn unanswered_syn_never_opened() {
    let s = sample("syn-no-answer.pcapng");
    let (en, zh) = said(&s, 4);
    assert!(en.contains("never opened"), "{en}");
    assert!(!en.contains("still open"), "{en}");
    assert!(
        zh.contains("从未建立") && !zh.contains("连接仍然打开"),
        "{zh}"
    );
}

#[test]
fn both_ends_are_in_time_wait_after_a_simultaneous_close() {
    let s = sample("simultaneous-close.pcapng");
    let last = s.packets.last().unwrap().frame();
    let (en, zh) = said(&s, last);
    assert!(
        en.contains("Both the client and the server now wait in TIME-WAIT"),
        "{en}"
    );
    assert!(zh.contains("客户端和服务器现在都在 TIME-WAIT"), "{zh}");
}

#[test]
fn time_wait_gives_the_rfc_msl_the_linux_wait_and_its_second_job() {
    let s = sample("seed-github.pcapng");
    let last = s.packets.last().unwrap().frame();
    let (en, zh) = said(&s, last);
    assert!(
        en.contains("RFC 9293 sets the MSL to 2 minutes, so 4 minutes; Linux waits a fixed 60 s"),
        "{en}"
    );
    assert!(en.contains("old duplicate segments"), "{en}");
    assert!(
        zh.contains("MSL 为 2 分钟") && zh.contains("旧的重复报文段"),
        "{zh}"
    );
}

#[test]
fn four_way_teardown_names_all_four_steps() {
    let s = sample("seed-github.pcapng");
    let all: Vec<String> = (0..s.packets.len() as u32)
        .map(|i| explain_with(&s, i, Lang::En, false))
        .collect();
    for step in 1..=4 {
        let name = format!("Step {step} of the four-way teardown");
        assert!(all.iter().any(|e| e.contains(&name)), "{name} missing");
    }
}

#[test]
fn rst_answering_a_stray_segment_aborts_nothing() {
    let s = sample("rst-abort.pcapng");
    let (en, zh) = said(&s, 13);
    assert!(en.contains("it aborts nothing"), "{en}");
    assert!(en.contains("no longer has this connection"), "{en}");
    assert!(zh.contains("迷途报文段"), "{zh}");
    let (en, _) = said(&s, 11);
    assert!(en.contains("resets the connection"), "{en}");
}

#[test]
fn packet_sent_before_the_peers_rst_arrived_says_so() {
    let s = sample("rst-abort.pcapng");
    let (en, zh) = said(&s, 12);
    assert!(
        en.contains("sent this before the client's RST reached it"),
        "{en}"
    );
    assert!(zh.contains("在客户端的 RST 到达之前"), "{zh}");
}

#[test]
fn reset_says_which_rule_the_states_follow() {
    let s = sample("rst-abort.pcapng");
    let (en, _) = said(&s, 11);
    assert!(en.contains("RFC 9293") && en.contains("Linux"), "{en}");
    assert!(!en.contains("both sides forget"), "{en}");
}

#[test]
fn rst_in_syn_received_from_listen_is_explained_as_back_to_listen() {
    let mut segs = handshake();
    segs.truncate(2);
    segs.push(seg(true, 0x04, 101, 0, 0));
    let s = session_of(&segs);
    let (en, _) = said(&s, 3);
    assert!(en.contains("SYN-RECEIVED → LISTEN (received RST)"), "{en}");
}

#[test]
fn fin_from_syn_sent_is_explained_as_a_missed_packet() {
    let s = session_of(&[seg(true, SYN, 100, 0, 0), seg(true, FIN | ACK, 101, 501, 0)]);
    let (en, zh) = said(&s, 2);
    assert!(en.contains("was not captured"), "{en}");
    assert!(!en.contains("FIN-WAIT-1"), "{en}");
    assert!(zh.contains("没有被抓到"), "{zh}");
}

#[test]
fn mss_is_what_the_options_sender_can_receive() {
    let s = sample("seed-handshake-client.pcapng");
    let first = s.packets[0].frame();
    let (en, zh) = said(&s, first);
    assert!(
        en.contains("the largest payload it can receive in one segment"),
        "{en}"
    );
    assert!(
        en.contains(
            "used only if both sides offer it, and never applied to the window of a SYN itself"
        ),
        "{en}"
    );
    assert!(zh.contains("它在一个报文段中能接收的最大载荷"), "{zh}");
    assert!(!zh.contains("它提供了"), "{zh}");
}

#[test]
fn sack_blocks_name_their_edges_and_a_dsack_says_so() {
    let s = sample("sack.pcapng");
    let (en, zh) = said(&s, 27);
    assert!(en.contains("SACK block 21721–23169"), "{en}");
    assert!(
        en.contains("left edge is its first byte, the right edge the byte after its last"),
        "{en}"
    );
    assert!(!en.contains("D-SACK"), "{en}");
    assert!(zh.contains("SACK 块 21721–23169"), "{zh}");
    // A block below the ACK reports a duplicate (RFC 2883).
    let mut segs = handshake();
    segs.push(seg(true, PSH | ACK, 101, 501, 10));
    segs.push(seg(false, ACK, 501, 111, 0));
    let mut dsack = seg(false, ACK, 501, 111, 0);
    dsack.options = vec![1, 1, 5, 10];
    dsack.options.extend(101u32.to_be_bytes());
    dsack.options.extend(111u32.to_be_bytes());
    segs.push(dsack);
    let s = session_of(&segs);
    let (en, _) = said(&s, 6);
    assert!(en.contains("a D-SACK (RFC 2883)"), "{en}");
}

#[test]
fn half_closed_end_says_what_netstat_shows() {
    let s = sample("seed-handshake-client.pcapng");
    let last = s.packets.last().unwrap().frame();
    let (en, zh) = said(&s, last);
    assert!(!en.contains("netstat lesson"), "{en}");
    assert!(en.contains("netstat -tn (or ss -tn)"), "{en}");
    assert!(zh.contains("netstat -tn"), "{zh}");
}

#[test]
fn zeek_rstr_means_the_responder_sent_a_rst() {
    use crate::flow::ConnState;
    assert_eq!(
        Lang::En.texts().conn_state(ConnState::RSTR),
        "the responder sent a RST"
    );
    assert!(
        !Lang::ZhCn
            .texts()
            .conn_state(ConnState::RSTR)
            .contains("已建立")
    );
}

#[test]
fn chinese_state_change_has_a_verb_and_no_double_brackets() {
    let s = session_of(&handshake());
    let (_, zh) = said(&s, 2);
    assert!(!zh.contains("）（"), "{zh}");
    assert!(zh.contains("，因为收到了 SYN, ACK"), "{zh}");
}

#[test]
fn acked_unseen_segment_is_explained_and_is_not_new_data_seen() {
    let mut segs = handshake();
    segs.push(seg(false, ACK, 501, 201, 0)); // acknowledges 100 bytes never captured
    let s = session_of(&segs);
    assert!(
        s.packets[3].analysis.flags.has(Flag::AckLostSegment),
        "the premise"
    );
    let (en, zh) = said(&s, 4);
    assert!(
        en.contains(
            "ACKed unseen segment: it acknowledges bytes the capture never saw the client send"
        ),
        "{en}"
    );
    assert!(zh.contains("确认了未抓到的报文段"), "{zh}");
}
