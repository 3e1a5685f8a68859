//! The machine's network interfaces for the Capture dialog, read from `/sys/class/net`
//! (name, up/down, loopback) with addresses from `/proc/net/if_inet6` (IPv6) and
//! `/proc/net/fib_trie` + `/proc/net/route` (IPv4). No privileges, no library.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::Path;

const IFF_UP: u32 = 0x1;
const IFF_LOOPBACK: u32 = 0x8;

/// One interface.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interface {
    pub name: String,
    pub up: bool,
    pub loopback: bool,
    pub addresses: Vec<IpAddr>,
}

/// Every interface, loopback first, then the ones that are up, then by name.
pub fn list() -> Vec<Interface> {
    list_from(Path::new("/sys/class/net"), Path::new("/proc/net"))
}

/// [`list`] reading the given `sys` and `proc/net` directories (tests use copies).
pub fn list_from(sys_class_net: &Path, proc_net: &Path) -> Vec<Interface> {
    let Ok(entries) = std::fs::read_dir(sys_class_net) else {
        return Vec::new();
    };
    let v6 = std::fs::read_to_string(proc_net.join("if_inet6")).unwrap_or_default();
    let v4 = ipv4_addresses(
        &std::fs::read_to_string(proc_net.join("fib_trie")).unwrap_or_default(),
        &std::fs::read_to_string(proc_net.join("route")).unwrap_or_default(),
    );
    let mut all: Vec<Interface> = entries
        .filter_map(Result::ok)
        .take(4096)
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            let flags = std::fs::read_to_string(e.path().join("flags")).unwrap_or_default();
            let flags = u32::from_str_radix(flags.trim().trim_start_matches("0x"), 16).unwrap_or(0);
            let loopback = flags & IFF_LOOPBACK != 0;
            let mut addresses: Vec<IpAddr> = if loopback {
                vec![IpAddr::V4(Ipv4Addr::LOCALHOST)]
            } else {
                v4.iter()
                    .filter(|(n, _)| *n == name)
                    .map(|(_, a)| IpAddr::V4(*a))
                    .collect()
            };
            addresses.extend(ipv6_addresses(&v6, &name));
            Some(Interface {
                up: flags & IFF_UP != 0,
                loopback,
                name,
                addresses,
            })
        })
        .collect();
    all.sort_by(|a, b| (!a.loopback, !a.up, &a.name).cmp(&(!b.loopback, !b.up, &b.name)));
    all
}

/// `/proc/net/if_inet6`: `address index prefix scope flags name`.
fn ipv6_addresses(text: &str, name: &str) -> Vec<IpAddr> {
    text.lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.last() != Some(&name) {
                return None;
            }
            let hex = f.first()?;
            let n = u128::from_str_radix(hex, 16).ok()?;
            (hex.len() == 32).then_some(IpAddr::V6(Ipv6Addr::from(n)))
        })
        .collect()
}

/// IPv4 addresses per interface: the `host LOCAL` addresses of the fib trie, each given
/// to the interface whose route covers it.
fn ipv4_addresses(fib_trie: &str, route: &str) -> Vec<(String, Ipv4Addr)> {
    let routes: Vec<(String, u32, u32)> = route
        .lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            let dest = u32::from_str_radix(f.get(1)?, 16).ok()?;
            let mask = u32::from_str_radix(f.get(7)?, 16).ok()?;
            // Written in the machine's byte order.
            let dest = u32::from_be_bytes(dest.to_ne_bytes());
            let mask = u32::from_be_bytes(mask.to_ne_bytes());
            let name = f.first()?.to_string();
            (mask != 0).then_some((name, dest, mask))
        })
        .collect();
    let mut found = Vec::new();
    let mut last: Option<Ipv4Addr> = None;
    for line in fib_trie.lines() {
        let t = line.trim();
        if let Some(addr) = t.strip_prefix("|-- ") {
            last = addr.parse().ok();
        } else if t.starts_with("/32 host LOCAL")
            && let Some(addr) = last
        {
            let a = u32::from(addr);
            if let Some((name, _, _)) = routes.iter().find(|(_, d, m)| a & m == *d)
                && !found.contains(&(name.clone(), addr))
            {
                found.push((name.clone(), addr));
            }
        }
    }
    found
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[cfg(target_endian = "little")]
    #[test]
    fn ipv4_from_trie_and_routes() {
        let route = "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\n\
                     eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\n\
                     eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\n";
        let trie = "  |-- 127.0.0.1\n     /32 host LOCAL\n  |-- 192.0.2.2\n     /32 host LOCAL\n";
        assert_eq!(
            ipv4_addresses(trie, route),
            vec![("eth0".to_string(), Ipv4Addr::new(192, 0, 2, 2))]
        );
    }

    #[test]
    fn ipv6_from_if_inet6() {
        let text = "00000000000000000000000000000001 01 80 10 80       lo\n";
        assert_eq!(
            ipv6_addresses(text, "lo"),
            vec!["::1".parse::<IpAddr>().unwrap()]
        );
        assert!(ipv6_addresses(text, "eth0").is_empty());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn this_machine_lists_loopback_first() {
        let all = list();
        assert_eq!(all.first().map(|i| i.name.as_str()), Some("lo"));
        assert!(all[0].addresses.contains(&IpAddr::V4(Ipv4Addr::LOCALHOST)));
    }
}
