//! A throwaway PostgreSQL cluster from Debian's own packages (`initdb`, `pg_ctl`) in a
//! folder: what the tests and the site demo run a shared queue on. Trusted on a Unix
//! socket in that folder; on the loopback address (a port of its own) only with the
//! superuser's password, and over TLS once [`Cluster::serve_tls`] gave it a certificate.
//! It stops when dropped, and, should the process die first, a watchdog stops it and
//! removes the folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[cfg(test)]
#[path = "series_tests.rs"]
mod series_tests;
#[cfg(test)]
#[path = "cluster_tests.rs"]
mod tests;

/// The superuser the cluster is made with (trusted on its own socket only).
pub const USER: &str = "guichet";
pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    /// The loopback port (it also names the socket, `.s.PGSQL.<port>`).
    port: u16,
    /// The superuser's password over TCP (random, this cluster's only).
    password: String,
}

/// A port free on the loopback address now.
fn free_port() -> Result<u16, String> {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    probe.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

/// Writes `text` to `file` for the server's user (readable by it alone).
fn write_owned(file: &Path, text: &str) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(file, text).map_err(|e| format!("{}: {e}", file.display()))?;
    std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600)).map_err(|e| e.to_string())?;
    if nix::unistd::geteuid().is_root() {
        let mut c = Command::new("chown");
        c.arg("postgres:").arg(file);
        run(c, "chown")?;
    }
    Ok(())
}

fn append(file: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    let appended = std::fs::OpenOptions::new().append(true).open(file).and_then(|mut f| f.write_all(text.as_bytes()));
    appended.map_err(|e| format!("{}: {e}", file.display()))
}

/// Debian's server programs: the newest installed version.
fn server_bin() -> Result<PathBuf, String> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map_err(|e| {
            format!("PostgreSQL's server is not installed (/usr/lib/postgresql: {e}): sudo apt install postgresql")
        })?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|bin| bin.join("initdb").exists())
        .collect();
    found.sort_by_key(|bin| bin.parent().and_then(|v| v.file_name()?.to_str()?.parse::<u32>().ok()).unwrap_or(0));
    found.pop().ok_or_else(|| "no initdb under /usr/lib/postgresql/*/bin: sudo apt install postgresql".into())
}

/// PostgreSQL's server refuses to run as root: as root, the cluster belongs to the
/// `postgres` user the Debian package makes.
fn as_owner(program: &Path) -> Command {
    if nix::unistd::geteuid().is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn run(mut command: Command, what: &str) -> Result<(), String> {
    let out = command.stdin(Stdio::null()).output().map_err(|e| format!("{what}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
    }
}

impl Cluster {
    /// Makes and starts a cluster in `dir` (which must not exist yet).
    pub fn start(dir: &Path) -> Result<Cluster, String> {
        let bin = server_bin()?;
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        if nix::unistd::geteuid().is_root() {
            run(
                {
                    let mut c = Command::new("chown");
                    c.arg("postgres:").arg(dir);
                    c
                },
                "chown",
            )?;
            // The server must reach its folder through every parent.
            let mut parent = dir.parent();
            while let Some(p) = parent.filter(|p| p.starts_with(std::env::temp_dir()) && *p != std::env::temp_dir()) {
                use std::os::unix::fs::PermissionsExt;
                let _ = std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755));
                parent = p.parent();
            }
        }
        let data = dir.join("data");
        let password = super::write::new_token();
        let pwfile = dir.join("password");
        write_owned(&pwfile, &password)?;
        let mut init = as_owner(&bin.join("initdb"));
        init.args(["-D"]).arg(&data).args(["-U", USER, "--auth-local=trust", "--auth-host=scram-sha-256"]);
        init.arg(format!("--pwfile={}", pwfile.display())).args(["--no-sync", "-E", "UTF8", "--locale=C"]);
        run(init, "initdb")?;
        let port = free_port()?;
        // In its own settings, so that a restart keeps them. `fsync` off: a throwaway
        // cluster (the store's own durability is SQLite's, or the site server's).
        let settings = format!(
            "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\nport = {port}\nfsync = off\n\
             max_connections = 200\n",
            dir.display()
        );
        append(&data.join("postgresql.conf"), &settings)?;
        let cluster = Cluster { dir: dir.to_path_buf(), bin, port, password };
        cluster.set_running(true)?;
        cluster.watch();
        Ok(cluster)
    }

    /// Stops the cluster and removes its folder once this process is gone.
    fn watch(&self) {
        let stop = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {owner} {ctl} -D {data} -m immediate stop; rm -rf {dir}",
            pid = std::process::id(),
            owner = if nix::unistd::geteuid().is_root() { "runuser -u postgres --" } else { "" },
            ctl = self.bin.join("pg_ctl").display(),
            data = self.dir.join("data").display(),
            dir = self.dir.display(),
        );
        let _ = Command::new("sh")
            .args(["-c", &stop])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
    }

    /// The connection settings of database `name` on this cluster (its socket).
    pub fn conninfo(&self, name: &str) -> String {
        self.conninfo_as(name, USER)
    }

    /// The connection settings of database `name` on this cluster's socket, as `user`.
    pub fn conninfo_as(&self, name: &str, user: &str) -> String {
        format!("host={} port={} user={user} dbname={name}", self.dir.display(), self.port)
    }

    /// The settings of database `name` over the loopback address with the password, as a
    /// kiosk reaches a site server (TLS required: see [`Cluster::serve_tls`]).
    pub fn tcp_conninfo(&self, name: &str) -> String {
        format!(
            "host=127.0.0.1 port={} user={USER} password={} dbname={name} sslmode=require",
            self.port, self.password
        )
    }

    /// Serves TLS with this certificate chain and key (PEM), from now on.
    pub fn serve_tls(&self, cert_pem: &str, key_pem: &str) -> Result<(), String> {
        let data = self.dir.join("data");
        write_owned(&data.join("site.crt"), cert_pem)?;
        write_owned(&data.join("site.key"), key_pem)?;
        append(&data.join("postgresql.conf"), "\nssl = on\nssl_cert_file = 'site.crt'\nssl_key_file = 'site.key'\n")?;
        let mut reload = as_owner(&self.bin.join("pg_ctl"));
        reload.arg("-D").arg(&data).arg("reload");
        run(reload, "pg_ctl reload")?;
        // The reload is asynchronous: wait until a TLS handshake is answered.
        std::thread::sleep(std::time::Duration::from_millis(300));
        Ok(())
    }

    /// Makes a new, empty database; its connection settings.
    pub fn create_database(&self, name: &str) -> Result<String, String> {
        let mut client = postgres::Client::connect(&self.conninfo("postgres"), postgres::NoTls)
            .map_err(|e| format!("connecting to the cluster in {}: {e}", self.dir.display()))?;
        client
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .map_err(|e| format!("CREATE DATABASE {name}: {e}"))?;
        Ok(self.conninfo(name))
    }

    /// Stops the server (`fast`: connections are cut) or starts it again.
    pub fn set_running(&self, running: bool) -> Result<(), String> {
        let mut c = as_owner(&self.bin.join("pg_ctl"));
        c.arg("-D").arg(self.dir.join("data")).args(["-w", "-l"]).arg(self.dir.join("log"));
        if running {
            c.arg("start");
        } else {
            c.args(["-m", "fast", "stop"]);
        }
        run(c, "pg_ctl")
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.set_running(false);
    }
}
