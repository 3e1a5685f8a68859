//! Wireshark's TCP analysis flags (`tcp.analysis.*`, computed by [`crate::flow`]) as the
//! ladder shows them, decided once: which flags of a packet become marks on its arrow (a
//! fast or spurious retransmission is not also called a plain one), their words and
//! badge in the ladder's language, the frame each one refers to, and the colour group
//! each belongs to ([`MarkGroup`]). Every view — the canvas, the step card, the details
//! pane, the overview strip, the legend, SVG, ASCII and JSON — reads the marks from the
//! arrow ([`super::Arrow::marks`]); only the colour of a group is the view's own.

use crate::flow::{Analysis, Flag};
use crate::i18n::{Lang, UiTexts};

/// The colour family of a mark: one colour each on the canvas and in the legend. The
/// order is the order of seriousness; an arrow with several marks takes the first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum MarkGroup {
    /// Bytes seen before or behind a gap: lost, or not captured.
    Lost,
    Retransmission,
    DuplicateAck,
    ZeroWindow,
    OutOfOrder,
    /// Window updates, window full, keep-alives, reused ports: routine housekeeping.
    Housekeeping,
}

impl MarkGroup {
    pub fn of(flag: Flag) -> MarkGroup {
        match flag {
            Flag::LostSegment | Flag::AckLostSegment => MarkGroup::Lost,
            Flag::Retransmission | Flag::FastRetransmission | Flag::SpuriousRetransmission => {
                MarkGroup::Retransmission
            }
            Flag::DuplicateAck => MarkGroup::DuplicateAck,
            Flag::ZeroWindow | Flag::ZeroWindowProbe | Flag::ZeroWindowProbeAck => {
                MarkGroup::ZeroWindow
            }
            Flag::OutOfOrder => MarkGroup::OutOfOrder,
            Flag::WindowFull
            | Flag::WindowUpdate
            | Flag::KeepAlive
            | Flag::KeepAliveAck
            | Flag::ReusedPorts => MarkGroup::Housekeeping,
        }
    }
}

/// The frame a mark refers to ("the ACK this one repeats").
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FrameRef {
    pub frame: u64,
    /// Its index in `Session::packets` (numbered over both files with both ends open),
    /// when the frame is in this connection.
    pub packet: Option<u32>,
    /// What that frame is to this one, in the ladder's language.
    pub role: &'static str,
}

/// One mark on one arrow.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Mark {
    /// The analysis flag; `None` for what the two-ended view adds ("seen only at the
    /// client"), which is no flag of Wireshark's.
    pub flag: Option<Flag>,
    /// In words, as on the ladder label: "Duplicate ACK #2 of frame 43".
    pub words: String,
    /// Short, for the badge on the arrow: "DUP #2" (none for a two-ended mark).
    pub badge: Option<String>,
    pub refers_to: Option<FrameRef>,
}

impl Mark {
    /// Its colour group (`None`: the plain mark colour).
    pub fn group(&self) -> Option<MarkGroup> {
        self.flag.map(MarkGroup::of)
    }

    /// Whether its words say more than its badge (which frame is retransmitted, which
    /// ACK is repeated, or it has no badge): the canvas writes those words on the label,
    /// so each fact is on the arrow once.
    pub fn says_more_than_badge(&self) -> bool {
        self.refers_to.is_some() || self.badge.is_none()
    }

    /// A mark of the two-ended view, in words only.
    pub fn words_only(words: String) -> Mark {
        Mark {
            flag: None,
            words,
            badge: None,
            refers_to: None,
        }
    }
}

/// The badge text of a flag in `lang` (a duplicate ACK's badge also has its number: see
/// [`marks_of`]).
pub fn badge(flag: Flag, lang: Lang) -> &'static str {
    let at = Flag::ALL.iter().position(|&f| f == flag);
    at.and_then(|i| lang.ui().badges.get(i))
        .copied()
        .unwrap_or_default()
}

/// The badge of a flag in a legend, where no one packet is meant: "DUP #n".
pub fn legend_badge(flag: Flag, lang: Lang) -> String {
    match flag {
        Flag::DuplicateAck => UiTexts::fill(lang.ui().badge_duplicate, &["n"]),
        _ => badge(flag, lang).to_string(),
    }
}

/// The marks a packet with analysis `a` shows, in Wireshark's order: the one place that
/// decides which flags are shown and how they are said. `packet_of` finds a referred
/// frame's packet in the connection.
pub fn marks_of(a: &Analysis, lang: Lang, packet_of: impl Fn(u64) -> Option<u32>) -> Vec<Mark> {
    let (t, w) = (lang.texts(), lang.ui());
    let refers_to = |frame: u64, role: &'static str| {
        (frame > 0).then(|| FrameRef {
            frame,
            packet: packet_of(frame),
            role,
        })
    };
    a.flags
        .iter()
        // Fast and spurious retransmissions also carry the plain flag; say it once.
        .filter(|f| {
            *f != Flag::Retransmission
                || !(a.flags.has(Flag::FastRetransmission)
                    || a.flags.has(Flag::SpuriousRetransmission))
        })
        .map(|flag| match flag {
            Flag::DuplicateAck => Mark {
                flag: Some(flag),
                words: t.mark_duplicate_ack(a.dup_ack_num, a.dup_ack_frame),
                badge: Some(UiTexts::fill(
                    w.badge_duplicate,
                    &[&a.dup_ack_num.to_string()],
                )),
                refers_to: refers_to(a.dup_ack_frame, w.role_repeats),
            },
            Flag::Retransmission | Flag::FastRetransmission | Flag::SpuriousRetransmission => {
                Mark {
                    flag: Some(flag),
                    words: if a.retransmits_frame > 0 {
                        t.mark_retransmission(t.flag_title(flag), a.retransmits_frame)
                    } else {
                        t.flag_title(flag).to_string()
                    },
                    badge: Some(badge(flag, lang).to_string()),
                    refers_to: refers_to(a.retransmits_frame, w.role_first_carried),
                }
            }
            _ => Mark {
                flag: Some(flag),
                words: t.flag_title(flag).to_string(),
                badge: Some(badge(flag, lang).to_string()),
                refers_to: None,
            },
        })
        .collect()
}

/// The flags the marks of `arrows` use, in Wireshark's order (what a legend lists).
pub fn flags_used<'a>(marks: impl Iterator<Item = &'a Mark>) -> Vec<Flag> {
    let mut used: Vec<Flag> = Vec::new();
    for flag in marks.filter_map(|m| m.flag) {
        if !used.contains(&flag) {
            used.push(flag);
        }
    }
    used.sort_by_key(|f| Flag::ALL.iter().position(|g| g == f));
    used
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::AnalysisFlags;

    fn analysis(flags: &[Flag]) -> Analysis {
        let mut set = AnalysisFlags::default();
        for &f in flags {
            set.set(f);
        }
        Analysis {
            flags: set,
            ..Analysis::default()
        }
    }

    #[test]
    fn duplicate_ack_mark_names_its_number_and_refers_to_the_original() {
        let a = Analysis {
            dup_ack_num: 2,
            dup_ack_frame: 43,
            ..analysis(&[Flag::DuplicateAck])
        };
        let marks = marks_of(&a, Lang::En, |f| (f == 43).then_some(42));
        assert_eq!(marks.len(), 1);
        let Some(mark) = marks.first() else {
            panic!("one mark expected");
        };
        assert_eq!(mark.words, "Duplicate ACK #2 of frame 43");
        assert_eq!(mark.badge.as_deref(), Some("DUP #2"));
        assert_eq!(mark.refers_to.as_ref().and_then(|l| l.packet), Some(42));
        assert_eq!(mark.group(), Some(MarkGroup::DuplicateAck));
    }

    #[test]
    fn fast_retransmission_is_not_also_a_plain_retransmission() {
        let a = Analysis {
            retransmits_frame: 48,
            ..analysis(&[Flag::Retransmission, Flag::FastRetransmission])
        };
        let marks = marks_of(&a, Lang::En, |_| None);
        let flags: Vec<Option<Flag>> = marks.iter().map(|m| m.flag).collect();
        assert_eq!(flags, vec![Some(Flag::FastRetransmission)]);
        let link = marks.first().and_then(|m| m.refers_to.as_ref());
        assert_eq!(link.map(|l| l.frame), Some(48));
        assert!(marks.iter().all(Mark::says_more_than_badge));
    }

    #[test]
    fn a_plain_flag_says_nothing_more_than_its_badge() {
        let marks = marks_of(&analysis(&[Flag::WindowUpdate]), Lang::En, |_| None);
        assert!(marks.iter().all(|m| !m.says_more_than_badge()));
        assert!(Mark::words_only("seen only at the client".into()).says_more_than_badge());
    }

    #[test]
    fn the_most_serious_group_comes_first() {
        assert!(MarkGroup::Lost < MarkGroup::Retransmission);
        assert!(MarkGroup::Retransmission < MarkGroup::Housekeeping);
    }

    #[test]
    fn chinese_marks_are_in_chinese() {
        let a = Analysis {
            dup_ack_num: 1,
            dup_ack_frame: 7,
            ..analysis(&[Flag::DuplicateAck])
        };
        let marks = marks_of(&a, Lang::ZhCn, |_| None);
        assert!(marks.first().is_some_and(|m| !m.words.is_ascii()));
    }
}
