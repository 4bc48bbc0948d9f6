//! Test harnesses that run this test binary again as a child process (`crash`,
//! `site_kill`): the child runs one ignored test, and what it confirms comes back as the
//! lines it prints after `mark`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;

/// Starts `test` (an ignored test's exact name) with `env`; its marked lines, as they come.
pub fn start(test: &str, env: &[(&str, &str)], mark: &'static str) -> (Child, mpsc::Receiver<String>) {
    let mut command = Command::new(std::env::current_exe().expect("the test binary"));
    command.args([test, "--exact", "--ignored", "--nocapture", "--test-threads=1"]);
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("start the child");
    let stdout = child.stdout.take().expect("its stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            // libtest may print "test NAME ... " before the first line.
            if let Some(at) = line.find(mark) {
                let _ = tx.send(line[at + mark.len()..].trim().to_string());
            }
        }
    });
    (child, rx)
}
