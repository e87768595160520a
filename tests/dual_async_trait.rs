//! `#[dual]` above `#[async_trait]`: the way to get `dyn` in both worlds.
//! The async trait is async-trait's (dyn-compatible, boxed futures); its
//! blocking twin is a plain trait, dyn-compatible too, implemented by each
//! `#[dual]` impl.
#![allow(clippy::unused_async, reason = "trivial bodies")]

use async_trait::async_trait;

/// A client, object-safe in both worlds.
#[twoworlds::dual]
#[async_trait]
pub trait Client: Send + Sync {
    /// Runs a query.
    async fn execute(&self, query: &str) -> u64;
    /// Runs it twice.
    async fn twice(&self, query: &str) -> u64 {
        self.execute(query).await * 2
    }
}

/// A client of queries' lengths.
struct Lengths;

#[twoworlds::dual]
#[async_trait]
impl Client for Lengths {
    async fn execute(&self, query: &str) -> u64 {
        query.len() as u64
    }
}

/// A client that counts words, overriding the default too.
struct Words;

#[twoworlds::dual]
#[async_trait]
impl Client for Words {
    async fn execute(&self, query: &str) -> u64 {
        query.split_whitespace().count() as u64
    }
    async fn twice(&self, query: &str) -> u64 {
        Client::execute(self, query).await + 100
    }
}

#[test]
fn dyn_works_in_both_worlds() {
    let async_clients: Vec<Box<dyn Client>> = vec![Box::new(Lengths), Box::new(Words)];
    let blocking_clients: Vec<Box<dyn BlockingClient>> = vec![Box::new(Lengths), Box::new(Words)];
    let from_async: Vec<u64> = twoworlds::block_on(async {
        let mut out = Vec::new();
        for client in &async_clients {
            out.push(client.execute("a b c").await);
            out.push(client.twice("a b").await);
        }
        out
    });
    let from_blocking: Vec<u64> = blocking_clients
        .iter()
        .flat_map(|client| [client.execute("a b c"), client.twice("a b")])
        .collect();
    assert_eq!(from_async, from_blocking);
    assert_eq!(from_blocking, [5, 6, 3, 102]);
}
