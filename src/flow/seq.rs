//! Sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4): comparisons that survive the
//! wrap from 4294967295 to 0, and differences that never panic or go negative.

use std::cmp::Ordering;

/// Signed distance `a - b` in sequence space (valid for |a - b| < 2^31).
pub fn seq_diff(a: u32, b: u32) -> i32 {
    a.wrapping_sub(b) as i32
}

/// Compare two sequence numbers as TCP does (`a < b` iff `a - b` is negative mod 2^32).
pub fn seq_cmp(a: u32, b: u32) -> Ordering {
    seq_diff(a, b).cmp(&0)
}

/// `a` is strictly after `b`.
pub fn seq_gt(a: u32, b: u32) -> bool {
    seq_diff(a, b) > 0
}

/// `a` is strictly before `b`.
pub fn seq_lt(a: u32, b: u32) -> bool {
    seq_diff(a, b) < 0
}

/// `a` is at or after `b`.
pub fn seq_ge(a: u32, b: u32) -> bool {
    seq_diff(a, b) >= 0
}

/// A number relative to a base: `raw - base` modulo 2^32 (Wireshark's relative numbers).
pub fn relative(raw: u32, base: u32) -> u32 {
    raw.wrapping_sub(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparison_survives_wraparound() {
        assert!(seq_gt(5, u32::MAX - 5));
        assert!(seq_gt(0, u32::MAX));
        assert!(!seq_gt(u32::MAX, 0));
        assert_eq!(seq_diff(3, u32::MAX - 1), 5);
        assert_eq!(seq_cmp(10, 10), Ordering::Equal);
    }

    #[test]
    fn relative_numbers_near_two_to_the_32() {
        let isn = u32::MAX - 2; // SYN at 4294967293
        assert_eq!(relative(isn, isn), 0);
        assert_eq!(relative(isn.wrapping_add(1), isn), 1);
        // the data byte numbered 4 sits after the wrap
        assert_eq!(relative(1, isn), 4);
        assert_eq!(relative(isn.wrapping_add(1_000_000), isn), 1_000_000);
    }

    #[test]
    fn relative_never_panics_when_raw_is_below_base() {
        assert_eq!(relative(0, 1), u32::MAX);
    }
}
