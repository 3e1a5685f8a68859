//! The words of predict mode (issue #15), one table per language: the questions
//! [`crate::ladder::predict`] asks before step mode reveals a packet, the sums and rules
//! that give their answers, and the mode's own controls (toggle, check, score). Protocol
//! words (SYN, ACK, ISN, state names) stay as the RFCs spell them.

use crate::flow::Cause;

/// The arithmetic of a sequence or acknowledgement number: "ISN 734888645 + SYN 1 +
/// 10 bytes = 734888656" (relative: "relative ISN 0 + SYN 1 + 10 bytes = 11").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sum {
    /// The ISN as the ladder shows it (0 when relative).
    pub isn: u32,
    pub relative: bool,
    /// Data bytes sent after the SYN.
    pub bytes: u32,
    /// A FIN was sent (it counts one).
    pub fin: bool,
    pub total: u32,
}

/// Every predict-mode sentence of one language.
pub struct PredictTexts {
    // --- the questions (`me` sends the packet asked about, `peer` receives it) ---
    pub ask_ack: fn(me: &str, peer: &str) -> String,
    pub ask_seq: fn(me: &str) -> String,
    pub ask_flags_syn_ack: fn(me: &str, peer: &str) -> String,
    pub ask_flags_handshake_ack: fn(me: &str, peer: &str) -> String,
    /// `peer_closed`: the peer sent its FIN before.
    pub ask_flags_fin: fn(me: &str, peer: &str, peer_closed: bool) -> String,
    /// `receiver` is in `state` when `event` from `sender` arrives.
    pub ask_state: fn(receiver: &str, sender: &str, event: Cause, state: &str) -> String,
    /// `len` bytes at `seq`: new data or a retransmission?
    pub ask_resent: fn(me: &str, len: u32, seq: u32) -> String,
    pub ask_resender: fn(frame: u64) -> String,
    pub ask_active_closer: &'static str,
    pub ask_time_wait: &'static str,
    // --- choices ---
    pub new_data: &'static str,
    pub retransmission: &'static str,
    pub both: &'static str,
    // --- why the answer is the answer ---
    pub sum: fn(&Sum) -> String,
    pub why_flags_syn_ack: &'static str,
    pub why_flags_ack: &'static str,
    pub why_flags_fin: &'static str,
    pub why_state: fn(from: &str, event: Cause, to: &str) -> String,
    pub why_resent: fn(frame: u64) -> String,
    /// `next`: the sender's next new sequence number.
    pub why_new_data: fn(me: &str, next: u32) -> String,
    pub why_resender: fn(who: &str, frame: u64) -> String,
    pub why_active_closer: fn(who: &str, frame: u64) -> String,
    pub why_time_wait: fn(who: &str, frame: u64) -> String,
    pub why_time_wait_both: &'static str,
    // --- the mode's controls ---
    /// Toolbar toggle, View menu item, and the key's line in the Help menu.
    pub toggle: &'static str,
    pub toggle_hint: &'static str,
    pub menu_item: &'static str,
    pub key_help: &'static str,
    /// Heading over a question: "Predict packet #3".
    pub heading: fn(frame: u64) -> String,
    /// The number field's accessible name, and the button that checks it.
    pub your_answer: &'static str,
    pub check: &'static str,
    /// Show the answer without answering (counts as not right).
    pub show_answer: &'static str,
    /// Presentation mode: the room answers aloud; a key shows the answer.
    pub ask_the_room: &'static str,
    /// After an answer: right, or the answer.
    pub right: &'static str,
    pub wrong: fn(answer: &str) -> String,
    pub answer_was: fn(answer: &str) -> String,
    /// "Score: 5 of 7 right".
    pub score: fn(right: usize, asked: usize) -> String,
    pub score_final: fn(right: usize, asked: usize) -> String,
    pub restart: &'static str,
    /// A phase band still going on, named without what is to come (opening, data,
    /// closing).
    pub bands_going_on: [&'static str; 3],
}

fn plural(n: u32, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn sum_en(s: &Sum) -> String {
    let mut parts = vec![if s.relative {
        format!("relative ISN {}", s.isn)
    } else {
        format!("ISN {}", s.isn)
    }];
    parts.push("SYN 1".to_string());
    if s.bytes > 0 {
        parts.push(plural(s.bytes, "byte", "bytes"));
    }
    if s.fin {
        parts.push("FIN 1".to_string());
    }
    format!("{} = {}", parts.join(" + "), s.total)
}

fn sum_zh(s: &Sum) -> String {
    let mut parts = vec![if s.relative {
        format!("相对 ISN {}", s.isn)
    } else {
        format!("ISN {}", s.isn)
    }];
    parts.push("SYN 1".to_string());
    if s.bytes > 0 {
        parts.push(format!("{} 字节", s.bytes));
    }
    if s.fin {
        parts.push("FIN 1".to_string());
    }
    format!("{} = {}", parts.join(" + "), s.total)
}

fn event_en(event: Cause, sender: &str, receiver: &str) -> String {
    match event {
        Cause::ReceivedSyn | Cause::SentSyn => format!("The {sender}'s SYN"),
        Cause::ReceivedSynAck | Cause::SentSynAck => format!("The {sender}'s SYN, ACK"),
        Cause::ReceivedAckOfSyn => format!("The {sender}'s ACK of the {receiver}'s SYN"),
        Cause::ReceivedFin | Cause::SentFin => format!("The {sender}'s FIN"),
        Cause::ReceivedAckOfFin => format!("The {sender}'s ACK of the {receiver}'s FIN"),
        Cause::ReceivedRst | Cause::SentRst => format!("The {sender}'s RST"),
    }
}

fn event_zh(event: Cause, sender: &str, receiver: &str) -> String {
    match event {
        Cause::ReceivedSyn | Cause::SentSyn => format!("{sender}的 SYN"),
        Cause::ReceivedSynAck | Cause::SentSynAck => format!("{sender}的 SYN, ACK"),
        Cause::ReceivedAckOfSyn => format!("{sender}对{receiver}的 SYN 的确认（ACK）"),
        Cause::ReceivedFin | Cause::SentFin => format!("{sender}的 FIN"),
        Cause::ReceivedAckOfFin => format!("{sender}对{receiver}的 FIN 的确认（ACK）"),
        Cause::ReceivedRst | Cause::SentRst => format!("{sender}的 RST"),
    }
}

fn event_short_en(event: Cause) -> &'static str {
    match event {
        Cause::ReceivedSyn | Cause::SentSyn => "receives a SYN",
        Cause::ReceivedSynAck | Cause::SentSynAck => "receives a SYN, ACK",
        Cause::ReceivedAckOfSyn => "receives the ACK of its SYN",
        Cause::ReceivedFin | Cause::SentFin => "receives a FIN",
        Cause::ReceivedAckOfFin => "receives the ACK of its FIN",
        Cause::ReceivedRst | Cause::SentRst => "receives a RST",
    }
}

fn event_short_zh(event: Cause) -> &'static str {
    match event {
        Cause::ReceivedSyn | Cause::SentSyn => "收到 SYN",
        Cause::ReceivedSynAck | Cause::SentSynAck => "收到 SYN, ACK",
        Cause::ReceivedAckOfSyn => "收到对其 SYN 的 ACK",
        Cause::ReceivedFin | Cause::SentFin => "收到 FIN",
        Cause::ReceivedAckOfFin => "收到对其 FIN 的 ACK",
        Cause::ReceivedRst | Cause::SentRst => "收到 RST",
    }
}

pub static EN: PredictTexts = PredictTexts {
    ask_ack: |me, peer| {
        format!(
            "The {me}'s next segment acknowledges everything the {peer} has sent so far. What is its acknowledgement number?"
        )
    },
    ask_seq: |me| {
        format!(
            "The {me}'s next segment continues right after everything it has sent so far (nothing is resent). What is its sequence number?"
        )
    },
    ask_flags_syn_ack: |me, peer| {
        format!(
            "The {me} accepts the {peer}'s SYN and answers it. Which flags does its answer carry?"
        )
    },
    ask_flags_handshake_ack: |me, peer| {
        format!(
            "The {me} completes the handshake: it acknowledges the {peer}'s SYN and sends no data yet. Which flags does this segment carry?"
        )
    },
    ask_flags_fin: |me, peer, peer_closed| {
        if peer_closed {
            format!(
                "The {peer} has closed; now the {me} has no more data either and closes its side too. Which flags does its segment carry?"
            )
        } else {
            format!(
                "The {me} has no more data to send and closes its side of the connection (the {peer} may still send). Which flags does its segment carry?"
            )
        }
    },
    ask_state: |receiver, sender, event, state| {
        format!(
            "{} reaches the {receiver}, which is in {state}. Which state does the {receiver} enter?",
            event_en(event, sender, receiver)
        )
    },
    ask_resent: |me, len, seq| {
        format!(
            "The {me}'s next segment carries {} starting at Seq={seq}. New data, or a retransmission?",
            plural(len, "byte", "bytes")
        )
    },
    ask_resender: |frame| {
        format!("The next packet is a retransmission of frame #{frame}. Who sends it?")
    },
    ask_active_closer: "The next packet is the second FIN of this connection, sent after the first one arrived. Which side closed first?",
    ask_time_wait: "Both FINs have been sent; the next packet acknowledges the last one still unacknowledged, and the teardown is complete. Which side waits in TIME-WAIT?",
    new_data: "New data",
    retransmission: "A retransmission",
    both: "Both",
    sum: sum_en,
    why_flags_syn_ack: "Step 2 of the handshake: SYN for its own ISN, ACK for the other side's SYN.",
    why_flags_ack: "Step 3 of the handshake: only ACK — the SYNs are done, and every segment after the first SYN carries ACK.",
    why_flags_fin: "Closing sends a FIN; after the handshake every segment also carries ACK.",
    why_state: |from, event, to| {
        format!(
            "RFC 9293: in {from}, an endpoint that {} goes to {to}.",
            event_short_en(event)
        )
    },
    why_resent: |frame| {
        format!("The same bytes (same Seq and length) were already sent in frame #{frame}.")
    },
    why_new_data: |me, next| {
        format!("The {me}'s next new byte was Seq={next}: the segment starts there.")
    },
    why_resender: |who, frame| {
        format!("Frame #{frame} was sent by the {who}: only its sender resends a segment.")
    },
    why_active_closer: |who, frame| format!("The {who} sent the first FIN, in frame #{frame}."),
    why_time_wait: |who, frame| {
        format!(
            "The side that closed first waits in TIME-WAIT: the {who} (its FIN was frame #{frame})."
        )
    },
    why_time_wait_both: "The two FINs crossed (a simultaneous close): both sides pass through CLOSING and wait in TIME-WAIT.",
    toggle: "? Predict",
    toggle_hint: "Predict mode: in step mode, answer a question about each packet before it appears",
    menu_item: "Predict mode",
    key_help: "step mode: predict each packet before it appears",
    heading: |frame| format!("Predict packet #{frame}"),
    your_answer: "Your answer",
    check: "Check",
    show_answer: "Show the answer",
    ask_the_room: "Ask the room — press → or Space to show the answer",
    right: "✔ Right!",
    wrong: |answer| format!("✘ Not quite — the answer is {answer}."),
    answer_was: |answer| format!("The answer: {answer}."),
    score: |right, asked| format!("Score: {right} of {asked} right"),
    score_final: |right, asked| format!("Connection done — {right} of {asked} predictions right"),
    restart: "Start again",
    bands_going_on: ["Opening …", "Data transfer …", "Closing …"],
};

pub static ZH_CN: PredictTexts = PredictTexts {
    ask_ack: |me, peer| {
        format!("{me}的下一个报文段确认了{peer}到目前为止发送的全部内容。它的确认号是多少？")
    },
    ask_seq: |me| {
        format!("{me}的下一个报文段紧接在它已发送的全部内容之后（没有重传）。它的序号是多少？")
    },
    ask_flags_syn_ack: |me, peer| format!("{me}接受{peer}的 SYN 并作出应答。这个应答带哪些标志？"),
    ask_flags_handshake_ack: |me, peer| {
        format!("{me}完成握手：它确认{peer}的 SYN，暂不发送数据。这个报文段带哪些标志？")
    },
    ask_flags_fin: |me, peer, peer_closed| {
        if peer_closed {
            format!(
                "{peer}已经关闭；现在{me}也没有数据要发，关闭自己这一侧。它的报文段带哪些标志？"
            )
        } else {
            format!(
                "{me}没有数据要发了，关闭自己这一侧的连接（{peer}仍可发送）。它的报文段带哪些标志？"
            )
        }
    },
    ask_state: |receiver, sender, event, state| {
        format!(
            "{} 到达处于 {state} 状态的{receiver}。{receiver}进入哪个状态？",
            event_zh(event, sender, receiver)
        )
    },
    ask_resent: |me, len, seq| {
        format!("{me}的下一个报文段从 Seq={seq} 开始，携带 {len} 字节。这是新数据，还是重传？")
    },
    ask_resender: |frame| format!("下一个报文是第 {frame} 帧的重传。由谁发送？"),
    ask_active_closer: "下一个报文是这个连接的第二个 FIN，在第一个 FIN 到达之后发出。哪一方先关闭？",
    ask_time_wait: "两个 FIN 都已发出；下一个报文确认最后一个尚未确认的 FIN，挥手完成。哪一方要在 TIME-WAIT 中等待？",
    new_data: "新数据",
    retransmission: "重传",
    both: "双方",
    sum: sum_zh,
    why_flags_syn_ack: "握手第 2 步：SYN 发出自己的 ISN，ACK 确认对方的 SYN。",
    why_flags_ack: "握手第 3 步：只有 ACK——SYN 已经交换完毕，第一个 SYN 之后的每个报文段都带 ACK。",
    why_flags_fin: "关闭时发送 FIN；握手之后的每个报文段都同时带 ACK。",
    why_state: |from, event, to| {
        format!(
            "RFC 9293：处于 {from} 的一端{}后进入 {to}。",
            event_short_zh(event)
        )
    },
    why_resent: |frame| format!("同样的字节（相同的 Seq 和长度）已在第 {frame} 帧发送过。"),
    why_new_data: |me, next| format!("{me}的下一个新字节是 Seq={next}：这个报文段正从那里开始。"),
    why_resender: |who, frame| format!("第 {frame} 帧由{who}发送：只有发送方才会重传报文段。"),
    why_active_closer: |who, frame| format!("{who}在第 {frame} 帧发出了第一个 FIN。"),
    why_time_wait: |who, frame| {
        format!("先关闭的一方在 TIME-WAIT 中等待：{who}（它的 FIN 在第 {frame} 帧）。")
    },
    why_time_wait_both: "两个 FIN 交叉而过（同时关闭）：双方都经过 CLOSING，然后在 TIME-WAIT 中等待。",
    toggle: "? 预测",
    toggle_hint: "预测模式：单步模式中，每个报文出现之前先回答一个关于它的问题",
    menu_item: "预测模式",
    key_help: "单步模式：在每个报文出现前预测它",
    heading: |frame| format!("预测第 {frame} 帧"),
    your_answer: "你的答案",
    check: "检查",
    show_answer: "显示答案",
    ask_the_room: "请全场作答——按 → 或空格显示答案",
    right: "✔ 正确！",
    wrong: |answer| format!("✘ 不对——答案是 {answer}。"),
    answer_was: |answer| format!("答案：{answer}。"),
    score: |right, asked| format!("得分：答对 {right} 题，共 {asked} 题"),
    score_final: |right, asked| format!("本连接结束——{asked} 次预测中答对 {right} 次"),
    restart: "重新开始",
    bands_going_on: ["建立连接……", "数据传输……", "关闭连接……"],
};
