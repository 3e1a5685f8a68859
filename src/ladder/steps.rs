//! The ladder as step mode reveals it, one row at a time: each lane's state after the
//! first N rows and the transitions the newest row caused ([`LaneStates`]), from a table
//! replayed once per ladder ([`StateTable`], then O(1) per step); the phase bands that
//! have begun, cut at the newest row ([`Ladder::bands_after`]); and, for the exports, a
//! copy of the ladder cut there with the lanes' states then ([`Ladder::step`]). The app's
//! step mode, the state diagram, and `tcp-ladder export --step` all read these.

use super::{Band, Ladder, LaneSide, Row};
use crate::flow::{TcpState, Transition};

/// Each lane's state after some rows of a ladder.
#[derive(Clone, Debug, PartialEq)]
pub struct LaneStates {
    /// [left, right], after the newest row.
    pub now: [TcpState; 2],
    /// [left, right], before the newest row.
    pub before: [TcpState; 2],
    /// The lane reached CLOSED through a transition (the connection is over for it),
    /// rather than being CLOSED before it began.
    pub ended: [bool; 2],
    /// The transitions the newest row caused, with their lane.
    pub newest: Vec<(LaneSide, Transition)>,
}

impl LaneStates {
    pub fn of(&self, side: LaneSide) -> TcpState {
        let [left, right] = self.now;
        match side {
            LaneSide::Left => left,
            LaneSide::Right => right,
        }
    }

    /// The states as shown while the newest arrow is still on its way to `receiver`:
    /// the receiver has not changed yet.
    pub fn in_flight(&self, receiver: LaneSide) -> LaneStates {
        let mut shown = self.clone();
        let lane = lane_index(receiver);
        if let (Some(now), Some(before)) = (shown.now.get_mut(lane), self.before.get(lane)) {
            *now = *before;
        }
        if let Some(ended) = shown.ended.get_mut(lane) {
            *ended = false;
        }
        shown.newest.retain(|(side, _)| *side != receiver);
        shown
    }
}

/// The index of a lane in `[left, right]` pairs.
pub fn lane_index(side: LaneSide) -> usize {
    match side {
        LaneSide::Left => 0,
        LaneSide::Right => 1,
    }
}

/// Each lane's state after every number of rows of one ladder, replayed once.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StateTable {
    /// Entry `n`: [left, right] after the first `n` rows, and whether each lane has
    /// ended (reached CLOSED through a transition).
    after: Vec<([TcpState; 2], [bool; 2])>,
}

impl StateTable {
    /// Replay the state boxes of every row of `ladder`.
    pub fn of(ladder: &Ladder) -> StateTable {
        let mut now = [
            ladder.lane(LaneSide::Left).initial_state,
            ladder.lane(LaneSide::Right).initial_state,
        ];
        let mut ended = [false; 2];
        let mut after = Vec::with_capacity(ladder.rows.len() + 1);
        after.push((now, ended));
        for row in &ladder.rows {
            if let Row::Packet(arrow) = row {
                for state_box in &arrow.states {
                    let lane = lane_index(state_box.lane);
                    if let Some(state) = now.get_mut(lane) {
                        *state = state_box.state;
                    }
                    if let Some(over) = ended.get_mut(lane) {
                        *over = state_box.state == TcpState::Closed;
                    }
                }
            }
            after.push((now, ended));
        }
        StateTable { after }
    }

    /// The lanes' states after the first `rows` rows of `ladder` (the ladder this table
    /// was made of; past its end, after all of them).
    pub fn after(&self, ladder: &Ladder, rows: usize) -> LaneStates {
        let last = self.after.len().saturating_sub(1);
        let rows = rows.min(last);
        let initial = [
            ladder.lane(LaneSide::Left).initial_state,
            ladder.lane(LaneSide::Right).initial_state,
        ];
        let (now, ended) = self
            .after
            .get(rows)
            .copied()
            .unwrap_or((initial, [false; 2]));
        let before = rows
            .checked_sub(1)
            .and_then(|r| self.after.get(r))
            .map_or(now, |(states, _)| *states);
        let newest = match rows.checked_sub(1).and_then(|r| ladder.rows.get(r)) {
            Some(Row::Packet(arrow)) => arrow
                .states
                .iter()
                .flat_map(|b| b.transitions.iter().map(|t| (b.lane, *t)))
                .collect(),
            _ => Vec::new(),
        };
        LaneStates {
            now,
            before,
            ended,
            newest,
        }
    }
}

impl Band {
    /// This band as shown after the first `rows` rows: `None` before it begins; cut at
    /// the newest row while it goes on, and then (with `plain_title`, as predict mode
    /// wants) named by its phase only, so its title does not tell what is to come.
    pub fn after(&self, rows: usize, plain_title: bool, lang: crate::i18n::Lang) -> Option<Band> {
        if self.first_row >= rows {
            return None;
        }
        let mut band = self.clone();
        if plain_title && band.last_row >= rows {
            band.title = band.phase.going_on_name(lang).to_string();
        }
        band.last_row = band.last_row.min(rows.saturating_sub(1));
        Some(band)
    }
}

/// One step of step mode as the exports draw it.
#[derive(Clone, Debug)]
pub struct Step {
    /// The ladder cut after the rows revealed.
    pub ladder: Ladder,
    /// Rows revealed, of `total`.
    pub rows: usize,
    pub total: usize,
    /// Each lane's state [left, right] then.
    pub now: [TcpState; 2],
}

impl Ladder {
    /// Step `rows` of step mode (past the end: the last): the first `rows` rows, the
    /// bands begun, and where each lane stands.
    pub fn step(&self, rows: usize) -> Step {
        let rows = rows.min(self.rows.len());
        Step {
            ladder: self.revealed(rows, false),
            rows,
            total: self.rows.len(),
            now: self.states_after(rows).now,
        }
    }

    /// Each lane's state after the first `rows` rows (one replay; for many steps over
    /// one ladder, make a [`StateTable`] once).
    pub fn states_after(&self, rows: usize) -> LaneStates {
        StateTable::of(self).after(self, rows)
    }

    /// The bands that have begun after the first `rows` rows, cut there (see
    /// [`Band::after`]).
    pub fn bands_after(&self, rows: usize, plain_titles: bool) -> Vec<Band> {
        self.bands
            .iter()
            .filter_map(|b| b.after(rows, plain_titles, self.lang))
            .collect()
    }

    /// A copy of the ladder as step mode shows it after the first `rows` rows: those rows
    /// and the bands that have begun, cut there (for the exports; the canvas draws the
    /// whole ladder up to the revealed row instead).
    pub fn revealed(&self, rows: usize, plain_titles: bool) -> Ladder {
        let rows = rows.min(self.rows.len());
        Ladder {
            stream: self.stream,
            title: self.title.clone(),
            lanes: self.lanes.clone(),
            rows: self
                .rows
                .get(..rows)
                .map(<[Row]>::to_vec)
                .unwrap_or_default(),
            bands: self.bands_after(rows, plain_titles),
            states_note: self.states_note.clone(),
            notes: self.notes.clone(),
            time: self.time.clone(),
            time_mode: self.time_mode,
            lang: self.lang,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ladder::{LadderOptions, layout};

    fn seed() -> Ladder {
        let name = "seed-handshake-client.pcapng";
        let session = crate::session::load_sample(name);
        layout(&session, 0, &LadderOptions::default())
    }

    #[test]
    fn lane_states_replay_the_handshake() {
        let ladder = seed();
        let states = |rows| ladder.states_after(rows).now;
        assert_eq!(states(0), [TcpState::Closed, TcpState::Listen]);
        assert_eq!(states(1), [TcpState::SynSent, TcpState::SynReceived]);
        assert_eq!(states(2), [TcpState::Established, TcpState::SynReceived]);
        assert_eq!(states(3), [TcpState::Established, TcpState::Established]);
        let third = ladder.states_after(3);
        let newest: Vec<_> = third
            .newest
            .iter()
            .map(|(side, t)| (*side, t.from, t.to))
            .collect();
        assert_eq!(
            newest,
            vec![(
                LaneSide::Right,
                TcpState::SynReceived,
                TcpState::Established
            )]
        );
        assert_eq!(third.before, [TcpState::Established, TcpState::SynReceived]);
        // Data rows change nothing.
        assert!(ladder.states_after(4).newest.is_empty());
    }

    #[test]
    fn the_table_agrees_with_a_replay_at_every_step_and_past_the_end() {
        let ladder = seed();
        let table = StateTable::of(&ladder);
        let last = ladder.rows.len();
        let end = table.after(&ladder, last);
        assert_eq!(table.after(&ladder, last + 5), end);
        for rows in 0..=last {
            let replayed = table.after(&ladder, rows);
            let newest_row = rows.checked_sub(1).and_then(|r| ladder.rows.get(r));
            let changed = matches!(newest_row, Some(Row::Packet(a)) if !a.states.is_empty());
            assert_eq!(!replayed.newest.is_empty(), changed, "row {rows}");
            if !changed {
                assert_eq!(replayed.before, replayed.now, "row {rows}");
            }
        }
    }

    #[test]
    fn the_revealed_copy_has_the_first_rows_and_the_begun_bands_cut() {
        let ladder = seed();
        let two = ladder.revealed(2, false);
        assert_eq!(two.rows.len(), 2);
        assert_eq!(two.bands.len(), 1);
        assert_eq!(two.bands.first().map(|b| b.last_row), Some(1));
        assert_eq!(
            two.bands.first().map(|b| &b.title),
            ladder.bands.first().map(|b| &b.title)
        );
        let plain = ladder.revealed(2, true);
        assert_eq!(
            plain.bands.first().map(|b| b.title.as_str()),
            Some(Phase::Open.going_on_name(ladder.lang))
        );
        assert!(ladder.revealed(0, false).bands.is_empty());
        assert_eq!(
            ladder.revealed(usize::MAX, false).rows.len(),
            ladder.rows.len()
        );
    }

    use crate::ladder::Phase;
}
