//! A server on a thread of its own (the staff console, the follow page): started with a
//! small tokio runtime, its real address known once it is bound, stopped gracefully when
//! its handle is dropped. Its transport is shared too: `listener` (accepts within the
//! caps, TLS when it has a certificate, HTTP/1) and `places` (connections per client,
//! live streams); each server keeps its own values.

pub mod listener;
pub mod places;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;
use tokio::net::TcpListener;
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

/// A server's thread and runtime: `name` names the thread (its workers are
/// `<name>-worker`) and prefixes what is logged.
#[derive(Debug, Clone, Copy)]
pub struct Runtime {
    pub name: &'static str,
    pub workers: usize,
    /// Blocking threads (read queries, password checks…).
    pub blocking: usize,
    /// How long requests in progress may take to finish once the server is told to stop.
    pub grace: Duration,
}

/// Starts a server on a thread of its own: a tokio runtime sized by `runtime`, `addr`
/// bound (port 0 picks a free one), then `serve(shutdown, listener)` until it returns, or
/// until `grace` after the stop is asked. Returns once bound, with the real address, or
/// why the runtime or the address could not be had.
pub fn spawn<F, S>(runtime: Runtime, addr: SocketAddr, serve: F) -> std::io::Result<ServerHandle>
where
    F: FnOnce(watch::Receiver<bool>, TcpListener) -> S + Send + 'static,
    S: Future<Output = ()>,
{
    start(runtime.name, addr, move |shutdown, bound| run(runtime, addr, shutdown, bound, serve))
}

fn run<F, S>(
    runtime: Runtime,
    addr: SocketAddr,
    shutdown: watch::Receiver<bool>,
    bound: mpsc::Sender<std::io::Result<SocketAddr>>,
    serve: F,
) where
    F: FnOnce(watch::Receiver<bool>, TcpListener) -> S,
    S: Future<Output = ()>,
{
    let built = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(runtime.workers)
        .max_blocking_threads(runtime.blocking)
        .thread_name(format!("{}-worker", runtime.name))
        .enable_all()
        .build();
    let rt = match built {
        Ok(rt) => rt,
        Err(e) => {
            let _ = bound.send(Err(e));
            return;
        }
    };
    rt.block_on(async move {
        let listener = match TcpListener::bind(addr).await {
            Ok(l) => l,
            Err(e) => {
                let _ = bound.send(Err(e));
                return;
            }
        };
        let _ = bound.send(listener.local_addr());
        let served = serve(shutdown.clone(), listener);
        let grace = runtime.grace;
        tokio::select! {
            () = served => {}
            () = async { stop_requested(shutdown).await; tokio::time::sleep(grace).await } => {
                eprintln!("{}: requests still running after {grace:?}, stopping anyway", runtime.name);
            }
        }
    });
}

/// Resolves when the server is told to stop; never if it cannot be (no [`ServerHandle`]).
pub async fn stop_requested(mut shutdown: watch::Receiver<bool>) {
    if shutdown.wait_for(|stop| *stop).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Runs `serve` on a thread called `name`. `serve` gets the shutdown signal and sends,
/// once, the address it bound (port 0 picks a free one) or why it could not; this returns
/// then, with the real address.
fn start<F>(name: &str, addr: SocketAddr, serve: F) -> std::io::Result<ServerHandle>
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
