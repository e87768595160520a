//! tokio futures created by paths the lint would take to be std's
//! (`TcpStream`, `fs` imported from tokio at module level, out of the
//! attribute's sight) and handed on un-awaited — to a helper that awaits
//! them, to `join!`, through a `let` — are no blocking calls:
//! nothing is reported under `#![deny(warnings)]`, and both twins work.
#![deny(warnings)]

use std::future::Future;
use tokio::fs;
use tokio::net::TcpStream;

async fn with_timeout<F: Future>(f: F) -> F::Output {
    f.await
}

/// A connection that cannot be made (port 1 of no host).
#[twoworlds::dual]
pub async fn open() -> bool {
    with_timeout(TcpStream::connect("256.0.0.1:1")).await.is_err()
}

/// Two reads of a missing file, joined, one handed on through a `let`.
#[twoworlds::dual]
pub async fn reads() -> bool {
    let (a, b) = tokio::join!(fs::read("/no/such/file"), fs::read("/no/such/file"));
    let later = fs::read("/no/such/file");
    let c = with_timeout(later).await;
    a.is_err() && b.is_err() && c.is_err()
}

#[tokio::main]
async fn main() {
    assert!(open().await);
    assert!(reads().await);
    tokio::task::spawn_blocking(|| assert!(blocking_open() && blocking_reads()))
        .await
        .expect("the blocking twins ran");
}
