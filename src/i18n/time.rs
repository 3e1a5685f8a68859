//! The words of time on the ladder, one table per language: where the capture was taken,
//! when a packet left and arrived, why we know it was lost, idle gaps and timeouts, and
//! the time view's controls. Kept apart from the packet explanations ([`super::Texts`])
//! because they speak of the capture, not of TCP.

use crate::timeline::{CapturePoint, LostEvidence, PointEvidence};
use crate::units::human_delay;

/// Every time sentence of one language.
pub struct TimeTexts {
    /// The toolbar toggle and its tooltip.
    pub time_view: &'static str,
    pub time_view_hint: &'static str,
    /// The View menu item and the key's meaning in the help.
    pub time_view_item: &'static str,
    pub time_view_key: &'static str,
    /// The time mode "since the connection's first packet" and its tooltip.
    pub since_connection: &'static str,
    pub since_connection_hint: &'static str,
    /// The margin header per time mode (relative, absolute, delta, since connection):
    /// what the numbers count from.
    pub margin_headers: [&'static str; 4],
    /// Beside the lifeline nearest the capture.
    pub captured_here: &'static str,
    /// A compressed idle gap: "29.1 s later".
    pub gap_later: fn(f64) -> String,
    /// The handshake bracket: "round trip 32.7 ms".
    pub round_trip: fn(f64) -> String,
    /// Beside a timeout retransmission: the sentence, and the mark on the canvas.
    pub waited: fn(f64) -> String,
    pub waited_short: fn(f64) -> String,
    /// Where a lost arrow stops.
    pub lost_mark: &'static str,
    /// "near the client"...
    pub point_name: fn(CapturePoint) -> &'static str,
    /// The connection summary's sentence about the capture point and what gave it away.
    pub point_sentence: fn(CapturePoint, &PointEvidence, Option<f64>) -> String,
    /// "Sent at 0.000000 s (captured)." / "… (estimated from the 32.7 ms round trip)."
    pub sent_at: fn(f64, bool, Option<f64>) -> String,
    pub arrived_at: fn(f64, bool, Option<f64>) -> String,
    /// The label of a segment the receiver never got: "Seq=36201 Len=1448 (never arrived)".
    pub unseen_label: fn(u32, u32) -> String,
    /// Why we know a packet was lost (receiver's role word given).
    pub lost_because: fn(&LostEvidence, &str) -> String,
}

fn ms(seconds: f64) -> String {
    human_delay(seconds)
}

pub static EN: TimeTexts = TimeTexts {
    time_view: "◷ To scale",
    time_view_hint: "Draw time to scale: each arrow runs from when it was sent to when it arrived, so its slope is the delay; long idle gaps are shortened to a break mark",
    time_view_item: "Time to scale",
    time_view_key: "time to scale ⇄ one row per packet",
    since_connection: "Since connection start",
    since_connection_hint: "Seconds since this connection's first packet",
    margin_headers: [
        "frame / s from start",
        "frame / time of day",
        "frame / s since prev.",
        "frame / s in conn.",
    ],
    captured_here: "captured here",
    gap_later: |s| format!("{} later", human_delay(s)),
    round_trip: |s| format!("round trip {}", ms(s)),
    waited_short: |s| format!("waited {}", human_delay(s)),
    waited: |s| {
        format!(
            "waited {} — retransmission timeout, then sent again",
            human_delay(s)
        )
    },
    lost_mark: "lost",
    unseen_label: |seq, len| format!("Seq={seq} Len={len} (never arrived)"),
    point_name: |p| match p {
        CapturePoint::Client => "near the client",
        CapturePoint::Server => "near the server",
        CapturePoint::Between => "between the two ends",
        CapturePoint::Unknown => "unknown",
        CapturePoint::BothEnds => "at both ends",
    },
    point_sentence: |point, e, rtt| {
        let handshake = e
            .handshake
            .map(|(a, b)| format!("SYN → SYN-ACK took {} and SYN-ACK → ACK {}", ms(a), ms(b)));
        let data = match (e.data_to_server, e.data_to_client) {
            (Some(s), Some(c)) => Some(format!(
                "the quickest ACK of the client's data came {} after it, of the server's data {}",
                ms(s),
                ms(c)
            )),
            _ => None,
        };
        let seen = [handshake, data]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("; ");
        let rtt = rtt.map(ms).unwrap_or_default();
        match point {
            CapturePoint::Client => format!(
                "Captured near the client: {seen}. The client's packets are seen when they leave and arrive; the server's times are estimated from half the {rtt} round trip."
            ),
            CapturePoint::Server => format!(
                "Captured near the server: {seen}. The server's packets are seen when they leave and arrive; the client's times are estimated from half the {rtt} round trip."
            ),
            CapturePoint::Between => format!(
                "Captured between the two ends (a tap on the path, or one machine talking to itself): {seen}. Both ends' times are estimated."
            ),
            CapturePoint::Unknown => {
                "Where the capture was taken is unknown: there is no handshake and too few data/ACK pairs to tell. Each packet is drawn as if it arrived when it was captured.".to_string()
            }
            CapturePoint::BothEnds => {
                "Captured at both ends: every arrow leaves its sender when that end's capture saw it go and reaches its receiver when the other end's capture saw it arrive.".to_string()
            }
        }
    },
    sent_at: |t, estimated, rtt| {
        if estimated {
            match rtt {
                Some(rtt) => format!(
                    "Sent at about {t:.6} s (estimated from the {} round trip).",
                    ms(rtt)
                ),
                None => format!("Sent at about {t:.6} s (estimated)."),
            }
        } else {
            format!("Sent at {t:.6} s (captured).")
        }
    },
    arrived_at: |t, estimated, rtt| {
        if estimated {
            match rtt {
                Some(rtt) => format!(
                    "Arrived at about {t:.6} s (estimated from the {} round trip).",
                    ms(rtt)
                ),
                None => format!("Arrived at about {t:.6} s (estimated)."),
            }
        } else {
            format!("Arrived at {t:.6} s (captured).")
        }
    },
    lost_because: |evidence, receiver| match evidence {
        LostEvidence::UnansweredSyn { resent_in } => format!(
            "It never reached the {receiver}: no SYN-ACK came back, and the same SYN was sent again in frame {resent_in}."
        ),
        LostEvidence::ReceiverMissedIt {
            reported_in,
            acks,
            resent_in,
        } => format!(
            "It never reached the {receiver}: after it should have arrived, the {receiver} still acknowledged only up to its first byte ({acks} ACK(s), from frame {reported_in}), until it was sent again in frame {resent_in}."
        ),
        LostEvidence::NotCaptured { before } => format!(
            "These bytes never reached the {receiver}: the capture was taken at the {receiver}'s end, and frame {before} arrived starting past them (Wireshark: previous segment not captured). The sender's copy is not in this capture, so when it was sent is estimated."
        ),
        LostEvidence::SeenOnlyAtSender { frame } => format!(
            "It never reached the {receiver}: the sender's capture has it (frame {frame}), the {receiver}'s capture does not — it was lost between the two capture points (or arrived after that capture stopped)."
        ),
    },
};

pub static ZH_CN: TimeTexts = TimeTexts {
    time_view: "◷ 按比例",
    time_view_hint: "按时间比例绘制：每个箭头从发送时刻画到到达时刻，斜率就是时延；很长的空闲间隔缩短为一个断开标记",
    time_view_item: "按时间比例",
    time_view_key: "按时间比例 ⇄ 每个报文一行",
    since_connection: "自连接开始",
    since_connection_hint: "距本连接第一个报文的秒数",
    margin_headers: [
        "帧 / 自首帧起（秒）",
        "帧 / 时刻",
        "帧 / 距上一个（秒）",
        "帧 / 自连接开始（秒）",
    ],
    captured_here: "抓包位置",
    gap_later: |s| format!("{} 之后", human_delay(s)),
    round_trip: |s| format!("往返时间 {}", ms(s)),
    waited: |s| format!("等待了 {}（超时重传），然后重发", human_delay(s)),
    waited_short: |s| format!("等待 {}", human_delay(s)),
    lost_mark: "丢失",
    unseen_label: |seq, len| format!("Seq={seq} Len={len}（未到达）"),
    point_name: |p| match p {
        CapturePoint::Client => "靠近客户端",
        CapturePoint::Server => "靠近服务器",
        CapturePoint::Between => "在两端之间",
        CapturePoint::Unknown => "未知",
        CapturePoint::BothEnds => "两端都有",
    },
    point_sentence: |point, e, rtt| {
        let handshake = e
            .handshake
            .map(|(a, b)| format!("SYN → SYN-ACK 用了 {}，SYN-ACK → ACK 用了 {}", ms(a), ms(b)));
        let data = match (e.data_to_server, e.data_to_client) {
            (Some(s), Some(c)) => Some(format!(
                "客户端数据最快在 {} 后被确认，服务器数据最快在 {} 后被确认",
                ms(s),
                ms(c)
            )),
            _ => None,
        };
        let seen = [handshake, data]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("；");
        let rtt = rtt.map(ms).unwrap_or_default();
        match point {
            CapturePoint::Client => format!(
                "抓包点靠近客户端：{seen}。客户端报文的发送和到达时刻都是抓到的；服务器一侧的时刻按往返时间 {rtt} 的一半估算。"
            ),
            CapturePoint::Server => format!(
                "抓包点靠近服务器：{seen}。服务器报文的发送和到达时刻都是抓到的；客户端一侧的时刻按往返时间 {rtt} 的一半估算。"
            ),
            CapturePoint::Between => format!(
                "抓包点在两端之间（路径上的分光点，或同一台机器自己和自己通信）：{seen}。两端的时刻都是估算的。"
            ),
            CapturePoint::Unknown => {
                "无法判断抓包位置：没有握手，数据和确认也太少。每个报文按抓到的时刻画为到达。"
                    .to_string()
            }
            CapturePoint::BothEnds => {
                "两端都抓了包：每个箭头从发送方一端抓到它发出的时刻，画到接收方一端抓到它到达的时刻。"
                    .to_string()
            }
        }
    },
    sent_at: |t, estimated, rtt| {
        if estimated {
            match rtt {
                Some(rtt) => format!("约在 {t:.6} 秒发出（按往返时间 {} 估算）。", ms(rtt)),
                None => format!("约在 {t:.6} 秒发出（估算）。"),
            }
        } else {
            format!("在 {t:.6} 秒发出（抓包所得）。")
        }
    },
    arrived_at: |t, estimated, rtt| {
        if estimated {
            match rtt {
                Some(rtt) => format!("约在 {t:.6} 秒到达（按往返时间 {} 估算）。", ms(rtt)),
                None => format!("约在 {t:.6} 秒到达（估算）。"),
            }
        } else {
            format!("在 {t:.6} 秒到达（抓包所得）。")
        }
    },
    lost_because: |evidence, receiver| match evidence {
        LostEvidence::UnansweredSyn { resent_in } => format!(
            "它没有到达{receiver}：没有收到 SYN-ACK，同一个 SYN 在第 {resent_in} 帧又发了一次。"
        ),
        LostEvidence::ReceiverMissedIt {
            reported_in,
            acks,
            resent_in,
        } => format!(
            "它没有到达{receiver}：在它本应到达之后，{receiver}仍然只确认到它的第一个字节（{acks} 个 ACK，从第 {reported_in} 帧起），直到它在第 {resent_in} 帧被重发。"
        ),
        LostEvidence::NotCaptured { before } => format!(
            "这些字节没有到达{receiver}：抓包点在{receiver}一端，而第 {before} 帧到达时已越过了它们（Wireshark：previous segment not captured，前一个报文段未抓到）。发送方的这份报文不在抓包中，所以发送时刻是估算的。"
        ),
        LostEvidence::SeenOnlyAtSender { frame } => format!(
            "它没有到达{receiver}：发送方一端的抓包里有它（第 {frame} 帧），{receiver}一端的抓包里没有——它在两个抓包点之间丢失了（或在那边停止抓包之后才到达）。"
        ),
    },
};
