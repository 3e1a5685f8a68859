//! What the ladder says about an arrow's times, in words: when it was sent and when it
//! arrived (captured or estimated, and from what), and why we know it was lost. The
//! details pane, the step card and the JSON model all use these sentences.

use super::{Arrow, Ladder, LaneSide};
use crate::i18n::Lang;
use crate::session::Session;

/// "Sent at 0.000000 s (captured). Arrived at about 0.016 s (estimated from the 32.7 ms
/// round trip)." — or, for a lost packet, the evidence that it never arrived.
pub fn timing_sentences(
    session: &Session,
    ladder: &Ladder,
    arrow: &Arrow,
    lang: Lang,
) -> Vec<String> {
    let words = lang.time();
    let timing = &arrow.timing;
    let rtt = ladder.time.rtt;
    let mut out = vec![(words.sent_at)(
        timing.sent_at,
        timing.sent_estimated,
        rtt.filter(|_| timing.sent_estimated),
    )];
    match (timing.arrives_at, &timing.lost) {
        (_, Some(evidence)) => {
            let receiver_lane = match arrow.from {
                LaneSide::Left => LaneSide::Right,
                LaneSide::Right => LaneSide::Left,
            };
            let receiver = session
                .connection(ladder.stream)
                .map(|conn| super::phases::who(conn, ladder.lane(receiver_lane).side, lang.texts()))
                .unwrap_or_default();
            out.push(
                lang.texts()
                    .finish((words.lost_because)(evidence, receiver)),
            );
        }
        (Some(at), None) => out.push((words.arrived_at)(
            at,
            timing.arrival_estimated,
            rtt.filter(|_| timing.arrival_estimated),
        )),
        (None, None) => {}
    }
    if let Some(waited) = timing.waited {
        let stop = if lang == Lang::ZhCn { "。" } else { "." };
        out.push(crate::i18n::capitalised(&(words.waited)(waited)) + stop);
    }
    out
}
