//! A server on a thread of its own (the staff console, the follow page): started, its real
//! address known once it is bound, stopped gracefully when its handle is dropped.

use std::net::SocketAddr;
use std::sync::mpsc;
use std::thread::JoinHandle;
use tokio::sync::watch;

/// A running server. Dropping it (or calling [`ServerHandle::stop`]) shuts it down
/// gracefully: live streams end, requests in progress finish.
pub struct ServerHandle {
    pub addr: SocketAddr,
    stop: Option<watch::Sender<bool>>,
    thread: Option<JoinHandle<()>>,
}

impl ServerHandle {
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Runs `serve` on a thread called `name`. `serve` gets the shutdown signal and sends,
/// once, the address it bound (port 0 picks a free one) or why it could not; this returns
/// then, with the real address.
pub fn spawn<F>(name: &str, addr: SocketAddr, serve: F) -> std::io::Result<ServerHandle>
where
    F: FnOnce(watch::Receiver<bool>, mpsc::Sender<std::io::Result<SocketAddr>>) + Send + 'static,
{
    let (stop, shutdown) = watch::channel(false);
    let (bound_tx, bound_rx) = mpsc::channel();
    let thread = std::thread::Builder::new().name(name.into()).spawn(move || serve(shutdown, bound_tx))?;
    let mut handle = ServerHandle { addr, stop: Some(stop), thread: Some(thread) };
    let bound = bound_rx.recv().map_err(|_| std::io::Error::other(format!("the {name} thread stopped before binding")));
    match bound.and_then(|r| r) {
        Ok(addr) => {
            handle.addr = addr;
            Ok(handle)
        }
        Err(e) => {
            handle.shutdown();
            Err(e)
        }
    }
}
