//! Counted places, shared by the console and the follow page: a connection's place among
//! its client's, a live stream's among all and its key's (a session, a ticket). A place
//! is taken or refused at once, and given back when dropped. A client is an IPv4 address
//! or an IPv6 /64 ([`client_net`]).

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::{Arc, Mutex, PoisonError};

/// How many places each key holds now.
pub type Counts<K> = Arc<Mutex<HashMap<K, usize>>>;

/// Takes one of `max` places for `key`, or `None` if all are taken; freed on drop.
pub fn take<K: std::hash::Hash + Eq + Clone>(counts: &Counts<K>, key: &K, max: usize) -> Option<Place<K>> {
    let mut map = counts.lock().unwrap_or_else(PoisonError::into_inner);
    let count = map.entry(key.clone()).or_insert(0);
    if *count >= max {
        return None;
    }
    *count += 1;
    Some(Place { counts: counts.clone(), key: key.clone() })
}

/// What one client is counted as, for the connection caps and the login throttle: an
/// IPv4 address alone; an IPv6 address by its /64 (a LAN's prefix: a host there may take
/// any address in it at will); an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, how a
/// dual-stack listener sees an IPv4 client) as its IPv4 address.
pub fn client_net(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & (u128::MAX << 64))),
        v4 => v4,
    }
}

/// One of `max` places of the client at `ip` (see [`client_net`]), or `None` if all are taken.
pub fn client_place(counts: &Counts<IpAddr>, ip: IpAddr, max: usize) -> Option<Place<IpAddr>> {
    take(counts, &client_net(ip), max)
}

/// One taken place; gives it back when dropped.
pub struct Place<K: std::hash::Hash + Eq> {
    counts: Counts<K>,
    key: K,
}

impl<K: std::hash::Hash + Eq> Drop for Place<K> {
    fn drop(&mut self) {
        let mut map = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = map.get_mut(&self.key) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                map.remove(&self.key);
            }
        }
    }
}

/// Live streams: at most `total` at once, `per_key` for one key.
pub struct Streams {
    all: Counts<()>,
    per_key: Counts<String>,
    total: usize,
    each: usize,
}

/// The places one live stream holds.
pub type StreamPlaces = (Place<()>, Place<String>);

impl Streams {
    pub fn new(total: usize, per_key: usize) -> Streams {
        Streams { all: Counts::default(), per_key: Counts::default(), total, each: per_key }
    }

    /// Places for one more stream of `key`, or `None` when over either cap.
    pub fn open(&self, key: &str) -> Option<StreamPlaces> {
        let all = take(&self.all, &(), self.total)?;
        let mine = take(&self.per_key, &key.to_string(), self.each)?;
        Some((all, mine))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_counted_per_key_and_given_back() {
        let counts: Counts<&str> = Counts::default();
        let a: Vec<_> = (0..2).filter_map(|_| take(&counts, &"a", 2)).collect();
        assert_eq!(a.len(), 2);
        assert!(take(&counts, &"a", 2).is_none(), "a is full");
        assert!(take(&counts, &"b", 2).is_some(), "b is not");
        drop(a);
        assert!(take(&counts, &"a", 2).is_some(), "places come back");
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    /// Takes every place of `first`'s client; whether `other` then still gets one.
    fn shares_places(first: &str, other: &str) -> bool {
        let counts: Counts<IpAddr> = Counts::default();
        let held: Vec<_> = (0..3).map(|_| client_place(&counts, ip(first), 3).unwrap()).collect();
        let other = client_place(&counts, ip(other), 3).is_none();
        drop(held);
        other
    }

    #[test]
    fn a_client_is_an_ipv4_address_or_an_ipv6_64() {
        assert_eq!(client_net(ip("192.168.1.7")), ip("192.168.1.7"));
        assert_eq!(client_net(ip("::ffff:192.168.1.7")), ip("192.168.1.7"));
        assert_eq!(client_net(ip("2001:db8:1:2:3:4:5:6")), ip("2001:db8:1:2::"));
        assert_eq!(client_net(ip("fe80::fc:ff:fe00:1")), ip("fe80::"));
        assert_eq!(client_net(ip("::1")), ip("::"));
    }

    #[test]
    fn connections_are_capped_per_ipv4_address_and_per_ipv6_64() {
        assert!(shares_places("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:fffe"), "one /64: one LAN");
        assert!(!shares_places("2001:db8:1:2::1", "2001:db8:1:3::1"), "another /64");
        assert!(shares_places("::ffff:10.0.0.9", "10.0.0.9"), "an IPv4-mapped address is its IPv4 address");
        assert!(!shares_places("10.0.0.9", "10.0.0.10"), "IPv4: per address");
        assert!(!shares_places("::ffff:10.0.0.9", "::ffff:10.0.0.10"), "IPv4-mapped: per address too");
    }

    #[test]
    fn streams_are_capped_per_key_and_overall() {
        let streams = Streams::new(5, 4);
        let held: Vec<_> = (0..4).map(|_| streams.open("s1").unwrap()).collect();
        assert!(streams.open("s1").is_none());
        assert!(streams.open("s2").is_some());
        let s2 = streams.open("s2").unwrap();
        assert!(streams.open("s3").is_none(), "5 open: all taken");
        drop((held, s2));
        assert!(streams.open("s1").is_some());
    }
}
