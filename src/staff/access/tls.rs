//! HTTPS for the console (rustls): a certificate the site supplies, or one made for this
//! kiosk at first start and kept in its data directory. Staff phones reach the console
//! over the office Wi-Fi: passwords must not cross it in clear.
//!
//! A self-signed certificate makes browsers warn once; staff compare the fingerprint the
//! browser shows with the one `guichet doctor` and the page "État de la borne" show.

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// File names of the certificate made at first start, in the data directory.
pub const SELF_CERT: &str = "console-cert.pem";
pub const SELF_KEY: &str = "console-key.pem";

/// The console's certificate, ready to serve.
#[derive(Clone)]
pub struct TlsIdentity {
    pub(crate) config: Arc<rustls::ServerConfig>,
    /// SHA-256 of the certificate, "AB:CD:…" (what browsers show).
    pub fingerprint: String,
    /// Made by this kiosk (browsers will warn once), not supplied by the site.
    pub self_signed: bool,
    pub cert_path: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("{path}: cannot read it: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: {problem}\n    fix: {fix}")]
    Invalid { path: PathBuf, problem: String, fix: &'static str },
    #[error("cannot make the console's certificate in {dir}: {problem}")]
    Create { dir: PathBuf, problem: String },
}

fn invalid(path: &Path, problem: impl std::fmt::Display, fix: &'static str) -> TlsError {
    TlsError::Invalid { path: path.to_path_buf(), problem: problem.to_string(), fix }
}

/// SHA-256 of DER bytes as "AB:CD:…".
pub fn fingerprint(der: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, der);
    digest.as_ref().iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

/// Reads a PEM certificate chain and its private key.
fn read_pair(cert: &Path, key: &Path) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>), TlsError> {
    const CERT_FIX: &str = "give the PEM file of the certificate (\"-----BEGIN CERTIFICATE-----\"), then its chain";
    const KEY_FIX: &str = "give the PEM file of the certificate's private key (\"-----BEGIN PRIVATE KEY-----\")";
    let cert_bytes = std::fs::read(cert).map_err(|source| TlsError::Read { path: cert.into(), source })?;
    let key_bytes = std::fs::read(key).map_err(|source| TlsError::Read { path: key.into(), source })?;
    let chain = CertificateDer::pem_slice_iter(&cert_bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| invalid(cert, e, CERT_FIX))?;
    if chain.is_empty() {
        return Err(invalid(cert, "no certificate in this file", CERT_FIX));
    }
    let key_der = PrivateKeyDer::from_pem_slice(&key_bytes).map_err(|e| invalid(key, e, KEY_FIX))?;
    Ok((chain, key_der))
}

fn server_config(
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
    key_path: &Path,
) -> Result<Arc<rustls::ServerConfig>, TlsError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| invalid(key_path, e, "report this: the TLS library refused its own defaults"))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| invalid(key_path, e, "give the private key that goes with this certificate"))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// The site's certificate (`cert` and `key` from the config) or, without one, the
/// kiosk's own, made in `data_dir` the first time for `names` (host names and addresses
/// staff use: the public URL's host, the bind address, `localhost`).
pub fn load_or_create(
    supplied: Option<(&Path, &Path)>,
    data_dir: &Path,
    names: &[String],
) -> Result<TlsIdentity, TlsError> {
    let (cert, key, self_signed) = match supplied {
        Some((cert, key)) => (cert.to_path_buf(), key.to_path_buf(), false),
        None => {
            let (cert, key) = (data_dir.join(SELF_CERT), data_dir.join(SELF_KEY));
            if !cert.exists() || !key.exists() {
                create(&cert, &key, names)?;
            } else if let Err(e @ TlsError::Invalid { .. }) = read_pair(&cert, &key) {
                // The kiosk's own pair, cut short: a power cut while an older version made it
                // (it was not written atomically). A new one is better than a kiosk that
                // never starts; staff see a new fingerprint. A file that cannot be read
                // (another user) stays an error: it must never replace the kiosk's pair.
                eprintln!("guichet: the kiosk's own certificate was unreadable ({e}); making a new one");
                create(&cert, &key, names)?;
            }
            (cert, key, true)
        }
    };
    let (chain, key_der) = read_pair(&cert, &key)?;
    let fingerprint = fingerprint(&chain[0]);
    let config = server_config(chain, key_der, &key)?;
    Ok(TlsIdentity { config, fingerprint, self_signed, cert_path: cert })
}

/// Makes a self-signed certificate (ECDSA P-256); the key file is readable by its owner
/// only. Each file is written whole or not at all (a power cut leaves the old file or
/// none), the key first: a certificate on disk always has its key.
fn create(cert: &Path, key: &Path, names: &[String]) -> Result<(), TlsError> {
    let dir = cert.parent().unwrap_or(Path::new(".")).to_path_buf();
    let failed = |problem: String| TlsError::Create { dir: dir.clone(), problem };
    let made = rcgen::generate_simple_self_signed(names.to_vec()).map_err(|e| failed(e.to_string()))?;
    let _ = std::fs::remove_file(cert);
    write_durably(key, made.signing_key.serialize_pem().as_bytes()).map_err(|e| failed(e.to_string()))?;
    write_durably(cert, made.cert.pem().as_bytes()).map_err(|e| failed(e.to_string()))?;
    Ok(())
}

/// Writes `bytes` to a temporary file (mode 0600), flushes it to the disk, renames it over
/// `path` and flushes the folder: after a power cut `path` is either whole or absent.
fn write_durably(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let temporary = dir.join(format!(".{name}.new"));
    let mut file = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(&temporary)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&temporary, path)?;
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pair_cut_short_by_a_power_cut_is_made_again() {
        let dir = tempfile::tempdir().unwrap();
        let names = vec!["localhost".to_string()];
        load_or_create(None, dir.path(), &names).unwrap();
        // What an older version left after a power cut: the key synced, the certificate empty.
        std::fs::write(dir.path().join(SELF_CERT), b"").unwrap();
        let again = load_or_create(None, dir.path(), &names).unwrap();
        assert!(again.self_signed);
        assert_eq!(load_or_create(None, dir.path(), &names).unwrap().fingerprint, again.fingerprint);
        let mode = std::fs::metadata(dir.path().join(SELF_CERT)).unwrap().permissions();
        assert_eq!(std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777, 0o600);
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().filter_map(|e| e.ok()).collect();
        assert_eq!(left.len(), 2, "no temporary file left behind");
    }

    #[test]
    fn a_certificate_is_made_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let names = vec!["guichet.local".to_string(), "192.168.1.20".to_string()];
        let first = load_or_create(None, dir.path(), &names).unwrap();
        assert!(first.self_signed);
        assert_eq!(first.fingerprint.len(), 32 * 3 - 1, "{}", first.fingerprint);
        let again = load_or_create(None, dir.path(), &names).unwrap();
        assert_eq!(first.fingerprint, again.fingerprint, "the same certificate after a restart");
        let mode = std::fs::metadata(dir.path().join(SELF_KEY)).unwrap().permissions();
        assert_eq!(std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777, 0o600);
    }

    #[test]
    fn a_wrong_file_is_named_with_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let cert = dir.path().join("site.crt");
        let key = dir.path().join("site.key");
        std::fs::write(&cert, "not a certificate").unwrap();
        std::fs::write(&key, "not a key").unwrap();
        let e = load_or_create(Some((&cert, &key)), dir.path(), &[]).err().unwrap().to_string();
        assert!(e.contains("site.crt") && e.contains("fix:"), "{e}");
        let e = load_or_create(Some((&dir.path().join("none.crt"), &key)), dir.path(), &[]).err().unwrap().to_string();
        assert!(e.contains("none.crt") && e.contains("cannot read"), "{e}");
    }
}
