//! Wall-clock helpers: a UTC calendar date plus a time of day, turned into
//! the `Duration` since the Unix epoch that pcap and pcapng files store.
//!
//! The samples store the seeds' wall-clock times as UTC, so
//! `TZ=UTC tcpdump -r FILE` prints them exactly as the seeds show them.

use std::time::Duration;

/// A calendar day (proleptic Gregorian, UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date {
    year: i64,
    month: u32,
    day: u32,
}

impl Date {
    /// The given day. Months and days count from 1.
    pub const fn new(year: i64, month: u32, day: u32) -> Self {
        Date { year, month, day }
    }

    /// Days between 1970-01-01 and this date (Howard Hinnant's
    /// `days_from_civil`).
    pub const fn days_since_epoch(self) -> i64 {
        let y = if self.month <= 2 {
            self.year - 1
        } else {
            self.year
        };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = self.month as i64;
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + self.day as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// This date at `hour:minute:second.micros` UTC.
    pub const fn at(self, hour: u32, minute: u32, second: u32, micros: u32) -> Duration {
        self.at_nanos(hour, minute, second, micros * 1_000)
    }

    /// This date at `hour:minute:second.nanos` UTC.
    pub const fn at_nanos(self, hour: u32, minute: u32, second: u32, nanos: u32) -> Duration {
        let days = self.days_since_epoch();
        // Every sample date is after 1970, so the cast cannot wrap.
        let secs = days as u64 * 86_400 + hour as u64 * 3_600 + minute as u64 * 60 + second as u64;
        Duration::new(secs, nanos)
    }
}

/// Whole milliseconds of a timestamp, truncated to 32 bits: the clock that
/// the TCP timestamp option (`TS val`) ticks with in these samples.
pub fn millis_u32(ts: Duration) -> u32 {
    // Truncation to 32 bits is what a TS clock does.
    (ts.as_millis() & 0xffff_ffff) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(Date::new(1970, 1, 1).days_since_epoch(), 0);
        assert_eq!(Date::new(2000, 3, 1).days_since_epoch(), 11_017);
        // 2020-05-20 17:38:17 UTC
        assert_eq!(
            Date::new(2020, 5, 20).at(17, 38, 17, 0).as_secs(),
            1_589_996_297
        );
        // 2014-01-15 16:17:58 UTC
        assert_eq!(
            Date::new(2014, 1, 15).at(16, 17, 58, 0).as_secs(),
            1_389_802_678
        );
        // 2024-03-01 10:00:00 UTC
        assert_eq!(
            Date::new(2024, 3, 1).at(10, 0, 0, 0).as_secs(),
            1_709_287_200
        );
    }
}
