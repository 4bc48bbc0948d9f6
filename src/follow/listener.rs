//! The follow server's connections: plain TCP (no TLS: phones must open the page without
//! a certificate warning), accepted within the caps of `limits`, each served with hyper's
//! HTTP/1 in its own task with a time limit on reading a request's head.

use super::limits::{Limits, HEADER_TIMEOUT, MAX_CONNECTIONS};
use super::stopped;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tower::ServiceExt;

/// Serves `app` until `stop` turns true, then lets open connections finish.
pub(super) async fn run(listener: TcpListener, app: Router, limits: Arc<Limits>, stop: watch::Receiver<bool>) {
    let total = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let next = async { (total.clone().acquire_owned().await, listener.accept().await) };
        let (permit, accepted) = tokio::select! {
            () = stopped(stop.clone()) => break,
            next = next => next,
        };
        let Ok(permit) = permit else { break };
        let (stream, addr) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                eprintln!("follow: cannot accept a connection: {e}");
                tokio::time::sleep(Duration::from_millis(200)).await;
                continue;
            }
        };
        let Some(place) = limits.connection(addr.ip()) else { continue };
        let (app, stop) = (app.clone(), stop.clone());
        tokio::spawn(async move {
            let _places = (permit, place);
            serve_connection(stream, addr, app, stop).await;
        });
    }
    drop(listener);
    let _ = total.acquire_many(MAX_CONNECTIONS as u32).await;
}

async fn serve_connection(stream: TcpStream, addr: std::net::SocketAddr, app: Router, stop: watch::Receiver<bool>) {
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(addr));
        app.clone().oneshot(request)
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(HEADER_TIMEOUT);
    let connection = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => {}
        () = stopped(stop) => {
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        }
    }
}
