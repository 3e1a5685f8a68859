//! Connection identity: an [`Endpoint`] (address, port), the unordered pair of them that
//! keys a connection, and [`Side`], which of the two a packet came from.

use std::fmt;
use std::net::IpAddr;

/// One end of a TCP connection.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Endpoint {
    pub addr: IpAddr,
    pub port: u16,
}

impl fmt::Display for Endpoint {
    /// `10.0.0.1:80`, `[2001:db8::1]:80`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.addr {
            IpAddr::V4(a) => write!(f, "{a}:{}", self.port),
            IpAddr::V6(a) => write!(f, "[{a}]:{}", self.port),
        }
    }
}

/// The unordered endpoint pair that identifies a conversation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ConnKey {
    lo: Endpoint,
    hi: Endpoint,
}

impl ConnKey {
    pub fn new(a: Endpoint, b: Endpoint) -> ConnKey {
        if a <= b {
            ConnKey { lo: a, hi: b }
        } else {
            ConnKey { lo: b, hi: a }
        }
    }
}

/// Which endpoint of a connection: `A` sent the connection's first captured packet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Side {
    A,
    B,
}

impl Side {
    pub fn other(self) -> Side {
        match self {
            Side::A => Side::B,
            Side::B => Side::A,
        }
    }
    pub fn index(self) -> usize {
        match self {
            Side::A => 0,
            Side::B => 1,
        }
    }
}

/// One value for each side of a connection, indexed by [`Side`] (never out of bounds).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PerSide<T>(pub [T; 2]);

impl<T> PerSide<T> {
    pub fn new(a: T, b: T) -> PerSide<T> {
        PerSide([a, b])
    }
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }
}

impl<T> std::ops::Index<Side> for PerSide<T> {
    type Output = T;
    fn index(&self, side: Side) -> &T {
        let [a, b] = &self.0;
        match side {
            Side::A => a,
            Side::B => b,
        }
    }
}

impl<T> std::ops::IndexMut<Side> for PerSide<T> {
    fn index_mut(&mut self, side: Side) -> &mut T {
        let [a, b] = &mut self.0;
        match side {
            Side::A => a,
            Side::B => b,
        }
    }
}
