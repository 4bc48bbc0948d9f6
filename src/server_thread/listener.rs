//! A server's connections, for the console and the follow page: accepts TCP connections
//! within the caps (overall; per client: an IPv4 address or an IPv6 /64), does the TLS
//! handshake when the server has a certificate, then serves HTTP/1 on each with a time
//! limit on reading a request's head — which also closes a kept-alive connection left
//! idle. Every connection runs in its own task, so a client that stalls holds up nobody
//! else. Each request carries its client's address (`ConnectInfo<SocketAddr>`).

use super::places::{client_place, Counts};
use super::stop_requested;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

/// A server's caps on its connections (each server keeps its own values).
#[derive(Debug, Clone, Copy)]
pub struct Caps {
    /// Open connections at once, all clients together (further ones wait in the kernel's queue).
    pub total: usize,
    /// Open connections at once from one client (further ones are closed at once).
    pub per_client: usize,
    /// Longest time a client may take to finish the TLS handshake.
    pub handshake: Duration,
    /// Longest wait for a request's head: from the connection's start or the end of its
    /// previous response.
    pub header: Duration,
}

/// Serves `app` on `inner` (over TLS with `tls`) until `stop` turns true, then lets the
/// open connections finish (the caller bounds how long) and returns once they have all
/// closed. `name` prefixes what is logged.
pub async fn run(
    name: &'static str,
    inner: TcpListener,
    tls: Option<TlsAcceptor>,
    caps: Caps,
    app: Router,
    stop: watch::Receiver<bool>,
) {
    let total = Arc::new(Semaphore::new(caps.total));
    let per_client: Counts<IpAddr> = Counts::default();
    loop {
        // Waits for a free place first: further clients wait in the kernel's queue.
        let next = async { (total.clone().acquire_owned().await, inner.accept().await) };
        let (permit, accepted) = tokio::select! {
            () = stop_requested(stop.clone()) => break,
            next = next => next,
        };
        let Ok(permit) = permit else { break };
        let (stream, addr) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors and the like: wait rather than spin.
                eprintln!("{name}: cannot accept a connection: {e}");
                tokio::time::sleep(Duration::from_millis(200)).await;
                continue;
            }
        };
        // Over its client's share, the connection is closed at once (dropped).
        let Some(place) = client_place(&per_client, addr.ip(), caps.per_client) else { continue };
        let (tls, app, stop) = (tls.clone(), app.clone(), stop.clone());
        tokio::spawn(async move {
            // Both places are given back when the connection ends.
            let _places = (permit, place);
            let io = match tls {
                None => Io::Plain(stream),
                Some(acceptor) => match tokio::time::timeout(caps.handshake, acceptor.accept(stream)).await {
                    Ok(Ok(tls)) => Io::Tls(Box::new(tls)),
                    // Plain HTTP to the HTTPS port, a stalled or refused handshake: closed.
                    _ => return,
                },
            };
            serve_connection(io, addr, caps.header, app, stop).await;
        });
    }
    drop(inner);
    // Every connection gives its place back when it closes: all places free, all closed.
    let _ = total.acquire_many(u32::try_from(caps.total).unwrap_or(u32::MAX)).await;
}

/// HTTP/1 on one connection; each request carries its client's address (the throttles,
/// the audit log). On stop, the request in progress finishes, then it closes.
async fn serve_connection(io: Io, peer: SocketAddr, header: Duration, app: Router, stop: watch::Receiver<bool>) {
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        app.clone().oneshot(request)
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(header);
    let connection = builder.serve_connection(TokioIo::new(io), service);
    tokio::pin!(connection);
    // A client that resets the connection or runs out of time is no news: nothing is logged.
    tokio::select! {
        _ = connection.as_mut() => {}
        () = stop_requested(stop) => {
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        }
    }
}

/// A plain or TLS connection.
enum Io {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl AsyncRead for Io {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Io::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Io::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Io {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Io::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Io::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Io::Plain(s) => Pin::new(s).poll_flush(cx),
            Io::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Io::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Io::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}
