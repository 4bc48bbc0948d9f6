//! TLS to one kiosk, trusted by its certificate's SHA-256 fingerprint (the one its
//! `guichet doctor`, its console page "État de la borne" and its staff panel show): a
//! self-signed certificate has no authority to check it against, and a pinned
//! fingerprint is stricter than one anyway. The handshake's signatures are still checked.

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};
use std::sync::Arc;

/// A fingerprint as 32 bytes, from "AB:CD:…" (browsers, doctor) or 64 hex digits, spaces
/// and colons ignored.
pub fn parse_fingerprint(text: &str) -> Result<[u8; 32], String> {
    let hex: String = text.chars().filter(|c| !matches!(c, ':' | ' ' | '-')).collect();
    let wrong = || {
        format!(
            "\"{text}\" is not a SHA-256 fingerprint: write the 32 pairs of hex digits the kiosk's \
             `guichet doctor` prints on its https line (AB:CD:…)"
        )
    };
    if hex.len() != 64 || !hex.is_ascii() {
        return Err(wrong());
    }
    let mut bytes = [0u8; 32];
    for (i, byte) in bytes.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|_| wrong())?;
    }
    Ok(bytes)
}

#[derive(Debug)]
struct Pinned {
    fingerprint: [u8; 32],
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let digest = ring::digest::digest(&ring::digest::SHA256, end_entity.as_ref());
        if digest.as_ref() == self.fingerprint {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(CertificateError::ApplicationVerificationFailure))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

/// A client configuration that accepts only the certificate with this fingerprint.
pub fn client_config(fingerprint: [u8; 32]) -> Result<Arc<rustls::ClientConfig>, rustls::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(Pinned { fingerprint, provider }))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_read_with_or_without_colons_and_a_wrong_one_says_what_to_write() {
        let colons = (0..32).map(|i| format!("{i:02X}")).collect::<Vec<_>>().join(":");
        let plain = colons.replace(':', "").to_lowercase();
        let expected: Vec<u8> = (0..32).collect();
        assert_eq!(parse_fingerprint(&colons).unwrap().to_vec(), expected);
        assert_eq!(parse_fingerprint(&plain).unwrap().to_vec(), expected);
        for wrong in ["", "AB:CD", &format!("{colons}:00"), &colons.replace("1F", "1G"), &"é".repeat(64)] {
            let e = parse_fingerprint(wrong).unwrap_err();
            assert!(e.contains("guichet doctor"), "{e}");
        }
    }
}
