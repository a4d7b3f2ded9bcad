//! The client's address, for limits per IP (R23): the socket's, or the one a trusted proxy names.
//! `X-Forwarded-For` is anyone's to write, so it counts only when the socket is a proxy listed in
//! TRUSTED_PROXIES, and only as far back as the chain stays within trusted proxies.

use std::net::{IpAddr, Ipv4Addr};

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};

use crate::{config::IpNet, error::AppError, state::AppState};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

fn trusted(proxies: &[IpNet], ip: IpAddr) -> bool {
    proxies.iter().any(|net| net.contains(ip))
}

/// Walks `X-Forwarded-For` from the right, where the nearest proxy wrote: the first address not
/// of a trusted proxy is the client. A malformed entry ends the walk at what was proven so far.
pub fn client_ip(peer: IpAddr, forwarded_for: &[&str], proxies: &[IpNet]) -> IpAddr {
    if !trusted(proxies, peer) {
        return peer;
    }
    let hops = forwarded_for
        .iter()
        .flat_map(|header| header.split(','))
        .collect::<Vec<_>>();
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Ok(ip) = hop.trim().parse::<IpAddr>() else {
            break;
        };
        client = ip;
        if !trusted(proxies, ip) {
            break;
        }
    }
    client
}

impl FromRequest for ClientIp {
    type Error = AppError;
    type Future = std::future::Ready<Result<ClientIp, AppError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        std::future::ready(Ok(ClientIp::of(req)))
    }
}

impl ClientIp {
    /// How limits per IP name this client: an IPv6 client by its /64.
    pub fn key(self) -> String {
        crate::domain::limits::client_key(self.0)
    }

    pub fn of(req: &HttpRequest) -> ClientIp {
        let peer = req
            .peer_addr()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |addr| addr.ip());
        let forwarded: Vec<&str> = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|value| value.to_str().ok())
            .collect();
        let proxies = req
            .app_data::<web::Data<AppState>>()
            .map(|state| state.settings.trusted_proxies.as_slice())
            .unwrap_or_default();
        ClientIp(client_ip(peer, &forwarded, proxies))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn forwarded_for_counts_only_through_trusted_proxies() {
        let proxies = [IpNet::parse("10.0.0.0/8").unwrap()];
        // Straight from the internet: whatever the header says, the socket is the client.
        assert_eq!(
            client_ip(ip("203.0.113.9"), &["1.2.3.4"], &proxies),
            ip("203.0.113.9")
        );
        // Through our proxy: the address it received from.
        assert_eq!(
            client_ip(ip("10.0.0.2"), &["1.2.3.4"], &proxies),
            ip("1.2.3.4")
        );
        // A client that forges a first entry does not get to choose: the rightmost untrusted wins.
        assert_eq!(
            client_ip(ip("10.0.0.2"), &["6.6.6.6, 1.2.3.4, 10.0.0.3"], &proxies),
            ip("1.2.3.4")
        );
        assert_eq!(
            client_ip(ip("10.0.0.2"), &["6.6.6.6", "1.2.3.4"], &proxies),
            ip("1.2.3.4")
        );
        assert_eq!(
            client_ip(ip("10.0.0.2"), &["garbage"], &proxies),
            ip("10.0.0.2")
        );
        assert_eq!(client_ip(ip("10.0.0.2"), &[], &proxies), ip("10.0.0.2"));
        assert_eq!(client_ip(ip("10.0.0.2"), &["1.2.3.4"], &[]), ip("10.0.0.2"));
    }
}
