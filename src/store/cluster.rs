//! A throwaway PostgreSQL cluster from Debian's own packages (`initdb`, `pg_ctl`) in a
//! folder, reached only through a Unix socket in that folder: what the tests and the
//! site demo run a shared queue on. It stops when dropped, and, should the process die
//! first, a watchdog stops it and removes the folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The superuser the cluster is made with (trusted on its own socket only).
pub const USER: &str = "guichet";
/// The port only names the socket (`.s.PGSQL.<port>`): the cluster listens on no network.
const PORT: u16 = 5432;

pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
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
        let mut init = as_owner(&bin.join("initdb"));
        init.args(["-D"]).arg(&data).args(["-U", USER, "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
        run(init, "initdb")?;
        // In its own settings, so that a restart keeps them. `fsync` off: a throwaway
        // cluster (the store's own durability is SQLite's, or the site server's).
        let settings = format!(
            "\nlisten_addresses = ''\nunix_socket_directories = '{}'\nport = {PORT}\nfsync = off\nmax_connections = 200\n",
            dir.display()
        );
        let conf = data.join("postgresql.conf");
        let appended = std::fs::OpenOptions::new().append(true).open(&conf).and_then(|mut f| {
            use std::io::Write;
            f.write_all(settings.as_bytes())
        });
        appended.map_err(|e| format!("{}: {e}", conf.display()))?;
        let cluster = Cluster { dir: dir.to_path_buf(), bin };
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

    /// The connection settings of database `name` on this cluster.
    pub fn conninfo(&self, name: &str) -> String {
        format!("host={} port={PORT} user={USER} dbname={name}", self.dir.display())
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
