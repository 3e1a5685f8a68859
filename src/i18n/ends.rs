//! The words of the two-ended ladder (a capture at each end of the same connections), one
//! table per language: opening the other end, when each copy was seen, what the path
//! changed, the clocks, and the connection summary's sentences.

use crate::flow::Endpoint;
use crate::timeline::Sender;
use crate::timeline::pair::{Both, Clock, DelayStats};
use crate::timeline::rewrites::{Change, Rewrites};
use crate::units::human_delay;

/// Every two-ended sentence of one language.
pub struct EndsTexts {
    /// File menu item and its tooltip.
    pub add_other_end: &'static str,
    pub add_other_end_hint: &'static str,
    /// Leave the two-ended view (back to one capture).
    pub drop_other_end: &'static str,
    /// Asked when a second file is dropped while one is open.
    pub drop_question: fn(&str) -> String,
    pub as_other_end: &'static str,
    pub instead: &'static str,
    pub cancel: &'static str,
    /// "client", "server".
    pub role: fn(Sender) -> &'static str,
    /// Under a lane's address: "seen by the server as 120.132.11.203:48096".
    pub seen_as: fn(Sender, &Endpoint) -> String,
    /// The connection's NAT mapping, said once: "10.23.185.135:48096 is seen by the server
    /// as 120.132.11.203:48096".
    pub mapping: fn(&Endpoint, Sender, &Endpoint) -> String,
    /// Both copies: "Sent by the client at 0.000000 s (its own capture) and reached the
    /// server at 0.018848 s (the server's capture): 18.848 ms on the way."
    pub both_copies: fn(Sender, f64, f64) -> String,
    /// Only the receiver's copy: its send time is not known.
    pub only_receiver_copy: fn(Sender, f64) -> String,
    /// The mark on an arrow seen at one end only.
    pub only_at: fn(Sender) -> String,
    /// One change the path made, in words.
    pub change: fn(&Change) -> String,
    /// Heading of the list of changes, and the sentence when nothing but addresses changed.
    pub changes_heading: &'static str,
    pub nothing_changed: &'static str,
    /// Summary: one-way delays each way.
    pub delays: fn(Option<DelayStats>, Option<DelayStats>) -> String,
    /// Summary: how the clocks were brought together.
    pub clock: fn(&Clock) -> String,
    /// Summary: packets lost between the two points each way.
    pub lost_between: fn(usize, usize) -> String,
    /// Summary: the rewrites of the connection, one line each.
    pub rewrites: fn(&Rewrites) -> Vec<String>,
    /// The clock offset control.
    pub clock_offset: &'static str,
    pub clock_offset_hint: &'static str,
    /// Column headings of the details pane's two copies, and under one that has no copy.
    pub copy_heading: fn(Sender) -> String,
    pub not_captured: &'static str,
    /// Title suffix: "both ends".
    pub both_ends: &'static str,
    /// The banner after adding the other end: matched, or why not.
    pub matched: fn(&str, usize) -> String,
    pub no_match: fn(&str, &str) -> String,
    pub no_match_why: &'static str,
    /// The Samples menu's two-ended entries: heading.
    pub samples_heading: &'static str,
    /// Said once under the title: where the state boxes come from.
    pub states_note: &'static str,
}

fn stats(s: Option<DelayStats>) -> String {
    match s {
        Some(s) => format!(
            "{} / {} / {}",
            human_delay(s.min),
            human_delay(s.median),
            human_delay(s.max)
        ),
        None => "—".to_string(),
    }
}

pub static EN: EndsTexts = EndsTexts {
    add_other_end: "Add the other end…",
    add_other_end_hint: "Open the capture taken at the other end of the same connections: one ladder, every arrow from when it was sent to when it arrived, both measured",
    drop_other_end: "Close the other end",
    drop_question: |name| {
        format!(
            "A capture is open. Open {name} as the other end of the same connections, or instead of it?"
        )
    },
    as_other_end: "As the other end",
    instead: "Instead",
    cancel: "Cancel",
    role: |s| match s {
        Sender::Client => "client",
        Sender::Server => "server",
    },
    seen_as: |by, e| {
        let by = match by {
            Sender::Client => "client",
            Sender::Server => "server",
        };
        format!("seen by the {by} as {e}")
    },
    mapping: |inside, by, outside| {
        let by = match by {
            Sender::Client => "client",
            Sender::Server => "server",
        };
        format!("{inside} is seen by the {by} as {outside}")
    },
    both_copies: |from, sent, arrived| {
        let (from, to) = match from {
            Sender::Client => ("client", "server"),
            Sender::Server => ("server", "client"),
        };
        format!(
            "Sent by the {from} at {sent:.6} s (in the {from}'s capture) and reached the {to} at {arrived:.6} s (in the {to}'s capture): {} on the way.",
            human_delay(arrived - sent)
        )
    },
    only_receiver_copy: |from, arrived| {
        let (from, to) = match from {
            Sender::Client => ("client", "server"),
            Sender::Server => ("server", "client"),
        };
        format!(
            "Reached the {to} at {arrived:.6} s (in the {to}'s capture). The {from}'s capture does not have it (it was sent before that capture started), so when it was sent is not known."
        )
    },
    only_at: |s| match s {
        Sender::Client => "only at the client's side".to_string(),
        Sender::Server => "only at the server's side".to_string(),
    },
    change: |c| match c {
        Change::Mss { from, to } if to < from => {
            format!("MSS lowered from {from} to {to} (a router on the path clamps it)")
        }
        Change::Mss { from, to } => format!("MSS changed from {from} to {to}"),
        Change::Ttl { from, to } => format!(
            "TTL {from} → {to} ({} router(s) on the way)",
            from.wrapping_sub(*to)
        ),
        Change::Window { from, to } => format!("window {from} → {to}"),
        Change::Options { from, to } => format!("options [{from}] → [{to}]"),
    },
    changes_heading: "What the path changed",
    nothing_changed: "Nothing but the addresses (and so the checksums) changed on the way.",
    delays: |to_server, to_client| {
        format!(
            "One-way delay (min / median / max): client → server {}, server → client {}.",
            stats(to_server),
            stats(to_client)
        )
    },
    clock: |c| {
        if c.by_hand {
            format!(
                "The other end's clock is shifted by {:+.6} s, set by hand.",
                0.0 - c.offset
            )
        } else if c.estimated {
            format!(
                "The two clocks disagreed (some packets would arrive before they were sent): the other end's times are shifted by {:+.6} s, an estimate from the smallest delay each way, assuming the path takes as long both ways (as NTP does).",
                0.0 - c.offset
            )
        } else {
            "The two clocks agree (every packet arrives after it was sent): the one-way delays are as measured, and may differ each way.".to_string()
        }
    },
    lost_between: |to_server, to_client| {
        if to_server + to_client == 0 {
            "Every packet one capture saw sent, the other saw arrive.".to_string()
        } else {
            format!(
                "Seen at one end only: {to_server} packet(s) from the client never reached the server's capture, {to_client} from the server never reached the client's."
            )
        }
    },
    rewrites: |r| {
        let mut out = Vec::new();
        let role = |s: Sender| match s {
            Sender::Client => "client",
            Sender::Server => "server",
        };
        if let Some([inside, outside]) = &r.client_mapped {
            out.push(format!(
                "NAT: the client {inside} is seen by the server as {outside}."
            ));
        }
        if let Some([outside, inside]) = &r.server_mapped {
            out.push(format!(
                "The server {inside} is reached by the client as {outside}."
            ));
        }
        for m in &r.mss {
            out.push(format!(
                "MSS in the {}'s SYN: {} → {} (clamped on the way).",
                role(m.sent_by),
                m.from,
                m.to
            ));
        }
        if let Some((lo, hi)) = r.ttl_to_server {
            out.push(format!(
                "TTL, client → server: lowered by {}.",
                span(lo, hi)
            ));
        }
        if let Some((lo, hi)) = r.ttl_to_client {
            out.push(format!(
                "TTL, server → client: lowered by {}.",
                span(lo, hi)
            ));
        }
        let Both([window_c, window_s]) = r.window_changed;
        if window_c + window_s > 0 {
            out.push(format!(
                "Window rewritten in {window_c} packet(s) from the client, {window_s} from the server."
            ));
        }
        let Both([options_c, options_s]) = r.options_changed;
        if options_c + options_s > 0 {
            out.push(format!(
                "Options changed or stripped in {options_c} packet(s) from the client, {options_s} from the server."
            ));
        }
        if r.checksums_recomputed > 0 {
            out.push(format!(
                "Checksums recomputed in {} packet(s) (they cover the rewritten fields).",
                r.checksums_recomputed
            ));
        }
        out
    },
    clock_offset: "Other end's clock",
    clock_offset_hint: "Shift the other end's times (seconds) if its clock was off; drag, or type a value",
    copy_heading: |s| match s {
        Sender::Client => "At the client".to_string(),
        Sender::Server => "At the server".to_string(),
    },
    not_captured: "not in this capture",
    both_ends: "both ends",
    matched: |name, n| {
        format!(
            "{name} opened as the other end: {n} connection(s) seen at both ends. Arrows now run from when they were sent to when they arrived, both measured."
        )
    },
    no_match: |other, first| format!("No connection of {other} is in {first}"),
    no_match_why: "Two captures of the same connections share their raw sequence numbers (a NAT changes addresses and ports, not those). These two have no packet in common: they are not two ends of the same traffic, or their time spans do not overlap.",
    samples_heading: "Both ends of the wire (two captures)",
    states_note: "Each endpoint's states come from its own end's capture: a state changes when that endpoint sent or received the packet, at the time its own capture saw it.",
};

fn span(lo: u8, hi: u8) -> String {
    if lo == hi {
        lo.to_string()
    } else {
        format!("{lo}–{hi}")
    }
}

pub static ZH_CN: EndsTexts = EndsTexts {
    add_other_end: "添加另一端的抓包…",
    add_other_end_hint: "打开同一批连接在另一端抓到的文件：合成一张时序图，每个箭头从实测的发送时刻画到实测的到达时刻",
    drop_other_end: "关闭另一端",
    drop_question: |name| {
        format!("已经打开了一个抓包。把 {name} 作为同一批连接的另一端打开，还是替换当前文件？")
    },
    as_other_end: "作为另一端",
    instead: "替换",
    cancel: "取消",
    role: |s| match s {
        Sender::Client => "客户端",
        Sender::Server => "服务器",
    },
    seen_as: |by, e| {
        let by = match by {
            Sender::Client => "客户端",
            Sender::Server => "服务器",
        };
        format!("{by}看到的是 {e}")
    },
    mapping: |inside, by, outside| {
        let by = match by {
            Sender::Client => "客户端",
            Sender::Server => "服务器",
        };
        format!("{inside} 在{by}看来是 {outside}")
    },
    both_copies: |from, sent, arrived| {
        let (from, to) = match from {
            Sender::Client => ("客户端", "服务器"),
            Sender::Server => ("服务器", "客户端"),
        };
        format!(
            "{from}在 {sent:.6} 秒发出（{from}一端的抓包），{to}在 {arrived:.6} 秒收到（{to}一端的抓包）：路上用了 {}。",
            human_delay(arrived - sent)
        )
    },
    only_receiver_copy: |from, arrived| {
        let (from, to) = match from {
            Sender::Client => ("客户端", "服务器"),
            Sender::Server => ("服务器", "客户端"),
        };
        format!(
            "{to}在 {arrived:.6} 秒收到（{to}一端的抓包）。{from}一端的抓包里没有它（它在那边开始抓包之前就发出了），所以发送时刻未知。"
        )
    },
    only_at: |s| match s {
        Sender::Client => "只在客户端一侧".to_string(),
        Sender::Server => "只在服务器一侧".to_string(),
    },
    change: |c| match c {
        Change::Mss { from, to } if to < from => {
            format!("MSS 从 {from} 降到 {to}（路径上的路由器做了钳制）")
        }
        Change::Mss { from, to } => format!("MSS 从 {from} 变为 {to}"),
        Change::Ttl { from, to } => format!(
            "TTL {from} → {to}（途经 {} 个路由器）",
            from.wrapping_sub(*to)
        ),
        Change::Window { from, to } => format!("窗口 {from} → {to}"),
        Change::Options { from, to } => format!("选项 [{from}] → [{to}]"),
    },
    changes_heading: "路径上被改动的内容",
    nothing_changed: "路上只改了地址（因此校验和也随之改变），其余都没变。",
    delays: |to_server, to_client| {
        format!(
            "单程时延（最小 / 中位 / 最大）：客户端 → 服务器 {}，服务器 → 客户端 {}。",
            stats(to_server),
            stats(to_client)
        )
    },
    clock: |c| {
        if c.by_hand {
            format!("另一端的时钟手动平移了 {:+.6} 秒。", 0.0 - c.offset)
        } else if c.estimated {
            format!(
                "两边的时钟不一致（有的报文会在发出之前就到达）：另一端的时间平移了 {:+.6} 秒，这是按两个方向的最小时延估算的，假设路径来回一样长（NTP 的做法）。",
                0.0 - c.offset
            )
        } else {
            "两边的时钟一致（每个报文都在发出之后才到达）：单程时延就是实测值，两个方向可以不同。"
                .to_string()
        }
    },
    lost_between: |to_server, to_client| {
        if to_server + to_client == 0 {
            "一端抓到发出的每个报文，另一端都抓到了它的到达。".to_string()
        } else {
            format!(
                "只在一端看到：客户端发出的 {to_server} 个报文没有出现在服务器一端的抓包里，服务器发出的 {to_client} 个没有出现在客户端一端。"
            )
        }
    },
    rewrites: |r| {
        let mut out = Vec::new();
        let role = |s: Sender| match s {
            Sender::Client => "客户端",
            Sender::Server => "服务器",
        };
        if let Some([inside, outside]) = &r.client_mapped {
            out.push(format!("NAT：客户端 {inside} 在服务器看来是 {outside}。"));
        }
        if let Some([outside, inside]) = &r.server_mapped {
            out.push(format!("服务器 {inside} 在客户端看来是 {outside}。"));
        }
        for m in &r.mss {
            out.push(format!(
                "{}的 SYN 里的 MSS：{} → {}（路上被钳制）。",
                role(m.sent_by),
                m.from,
                m.to
            ));
        }
        if let Some((lo, hi)) = r.ttl_to_server {
            out.push(format!("TTL，客户端 → 服务器：减少了 {}。", span(lo, hi)));
        }
        if let Some((lo, hi)) = r.ttl_to_client {
            out.push(format!("TTL，服务器 → 客户端：减少了 {}。", span(lo, hi)));
        }
        let Both([window_c, window_s]) = r.window_changed;
        if window_c + window_s > 0 {
            out.push(format!(
                "窗口被改写：客户端发出的 {window_c} 个报文，服务器发出的 {window_s} 个。"
            ));
        }
        let Both([options_c, options_s]) = r.options_changed;
        if options_c + options_s > 0 {
            out.push(format!(
                "选项被改动或删除：客户端发出的 {options_c} 个报文，服务器发出的 {options_s} 个。"
            ));
        }
        if r.checksums_recomputed > 0 {
            out.push(format!(
                "{} 个报文的校验和被重新计算（校验和覆盖了被改写的字段）。",
                r.checksums_recomputed
            ));
        }
        out
    },
    clock_offset: "另一端的时钟",
    clock_offset_hint: "另一端的时钟不准时，平移它的时间（秒）；可拖动或直接输入",
    copy_heading: |s| match s {
        Sender::Client => "在客户端".to_string(),
        Sender::Server => "在服务器".to_string(),
    },
    not_captured: "这一端的抓包里没有",
    both_ends: "两端",
    matched: |name, n| {
        format!(
            "已把 {name} 作为另一端打开：{n} 个连接在两端都抓到了。现在每个箭头从实测的发送时刻画到实测的到达时刻。"
        )
    },
    no_match: |other, first| format!("{other} 里没有 {first} 中的连接"),
    no_match_why: "同一批连接在两端的抓包，原始序号是相同的（NAT 改的是地址和端口，不改序号）。这两个文件没有共同的报文：它们不是同一批流量的两端，或者时间上没有重叠。",
    samples_heading: "线路两端（两个抓包文件）",
    states_note: "每一端的状态都来自它自己那一端的抓包：状态在这一端发出或收到报文的时刻改变，时刻以它自己的抓包为准。",
};
