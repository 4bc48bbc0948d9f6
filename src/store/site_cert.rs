//! The site's own certificates for the link to its PostgreSQL: a certificate authority
//! that exists only to sign the site server's certificate (its names: the addresses
//! kiosks use), so each kiosk trusts that authority (`[site] ca_file`) and nothing else.
//! Made once by the technician (`guichet site-cert`), kept with the server.

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose};

/// What the site server and its kiosks are given (PEM).
pub struct SiteCerts {
    /// The authority's certificate: every kiosk's `ca_file`.
    pub ca_cert: String,
    /// The server's certificate and key: PostgreSQL's `ssl_cert_file` and `ssl_key_file`.
    pub server_cert: String,
    pub server_key: String,
}

/// An authority and a server certificate for `names` (IP addresses or host names), valid
/// for ten years.
pub fn make(site: &str, names: &[String]) -> Result<SiteCerts, rcgen::Error> {
    use chrono::Datelike;
    // From yesterday (a clock a little behind still accepts it), for ten years.
    let from = chrono::Utc::now().date_naive().pred_opt().unwrap_or_default();
    let (y, m, d) = (from.year(), from.month() as u8, from.day() as u8);
    let (start, end) = (rcgen::date_time_ymd(y, m, d), rcgen::date_time_ymd(y + 10, m, d.min(28)));
    let mut ca = CertificateParams::new(Vec::<String>::new())?;
    ca.distinguished_name.push(DnType::CommonName, format!("guichet site authority: {site}"));
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    (ca.not_before, ca.not_after) = (start, end);
    let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate()?)?;
    let mut server = CertificateParams::new(names.to_vec())?;
    server.distinguished_name.push(DnType::CommonName, format!("guichet site server: {site}"));
    (server.not_before, server.not_after) = (start, end);
    let key = KeyPair::generate()?;
    let cert = server.signed_by(&key, &ca)?;
    Ok(SiteCerts { ca_cert: ca.pem(), server_cert: cert.pem(), server_key: key.serialize_pem() })
}
