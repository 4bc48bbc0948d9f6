//! The address other machines on the office network reach this kiosk at, for `doctor`.
//!
//! Asked of the kernel's routing (a UDP socket "connected" to an address; no packet is
//! sent): first the way to a usual private network (through the default gateway), then, on
//! a network with no gateway at all (an office LAN with no internet box), the way to each
//! network a cable or Wi-Fi link reaches directly, read from /proc/net/route.

use std::net::{IpAddr, Ipv4Addr, UdpSocket};

pub fn lan_address() -> Option<IpAddr> {
    let table = std::fs::read_to_string("/proc/net/route").unwrap_or_default();
    std::iter::once(Ipv4Addr::new(192, 168, 0, 1)).chain(linked_networks(&table)).find_map(source_towards)
}

fn source_towards(to: Ipv4Addr) -> Option<IpAddr> {
    let socket = UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect((to, 9)).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

/// One address inside each network reached without a gateway (routes of /proc/net/route
/// whose gateway is 0, loopback and the default route left out).
fn linked_networks(table: &str) -> Vec<Ipv4Addr> {
    table
        .lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            let (iface, destination, gateway, mask) = (*f.first()?, *f.get(1)?, *f.get(2)?, *f.get(7)?);
            let hex = |s: &str| u32::from_str_radix(s, 16).ok();
            if iface == "lo" || hex(gateway)? != 0 || hex(mask)? == 0 {
                return None;
            }
            // The kernel prints the address as it lies in memory (network order), read as
            // a number in the machine's own order: its bytes in memory give it back.
            let network = u32::from_be_bytes(hex(destination)?.to_ne_bytes());
            Some(Ipv4Addr::from(network.wrapping_add(1)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(iface: &str, destination: Ipv4Addr, gateway: Ipv4Addr, mask: Ipv4Addr) -> String {
        let kernel = |a: Ipv4Addr| format!("{:08X}", u32::from_ne_bytes(a.octets()));
        format!("{iface}\t{}\t{}\t0003\t0\t0\t1024\t{}\t0\t0\t0\n", kernel(destination), kernel(gateway), kernel(mask))
    }

    #[test]
    fn a_network_without_gateway_is_found_from_its_route() {
        let any = Ipv4Addr::UNSPECIFIED;
        let table = "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\n".to_string()
            + &route("eth0", any, Ipv4Addr::new(10, 0, 2, 2), any)
            + &route("eth0", Ipv4Addr::new(10, 0, 2, 0), any, Ipv4Addr::new(255, 255, 255, 0))
            + &route("lo", Ipv4Addr::new(127, 0, 0, 0), any, Ipv4Addr::new(255, 0, 0, 0))
            + &route("wlan0", Ipv4Addr::new(192, 168, 1, 0), any, Ipv4Addr::new(255, 255, 255, 0));
        assert_eq!(linked_networks(&table), [Ipv4Addr::new(10, 0, 2, 1), Ipv4Addr::new(192, 168, 1, 1)]);
    }

    #[test]
    fn a_table_that_cannot_be_read_gives_nothing() {
        assert!(linked_networks("").is_empty());
        assert!(linked_networks("Iface\tDestination\nbroken line\n").is_empty());
    }
}
