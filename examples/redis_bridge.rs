//! An async Redis library, called from plain sync code through `#[bridge]`.
//!
//! `KvStore` is written once, async, over the `redis` crate's tokio client.
//! `#[bridge]` on its impl adds the blocking twins `KvStore::blocking_connect`,
//! `blocking_get`, `blocking_set`, `blocking_incr` and `blocking_set_all`,
//! each running its async method to completion on the calling thread
//! (`twoworlds::block_on`, inside tokio thanks to the `tokio` feature). The
//! connection's driver task lives on twoworlds' shared tokio runtime, so one
//! store serves blocking calls from any number of threads.
//!
//! Run: `cargo run --example redis_bridge --features tokio` (starts its own
//! `redis-server` on a free loopback port; set `REDIS_URL` to use another).

use std::thread;
use std::time::Duration;

use redis::aio::MultiplexedConnection;
use redis::{AsyncCommands as _, AsyncConnectionConfig, RedisResult};
use twoworlds::bridge;

#[path = "../tests/support/redis_server.rs"]
#[allow(dead_code, reason = "tests/live_redis.rs uses the rest of the helper")]
pub(crate) mod redis_server;

/// A small key-value store over Redis; clones share one multiplexed
/// connection.
#[derive(Clone)]
pub(crate) struct KvStore {
    /// The `redis` crate's async connection (cheap to clone).
    connection: MultiplexedConnection,
}

#[bridge]
impl KvStore {
    /// Connects to the server at `url` (`redis://host:port/`).
    pub(crate) async fn connect(url: &str) -> RedisResult<Self> {
        let client = redis::Client::open(url)?;
        // Generous timeouts: a loaded CI machine is slow, but a dead server
        // must still surface as an error rather than a hang.
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(5)))
            .set_response_timeout(Some(Duration::from_secs(5)));
        let connection = client.get_multiplexed_async_connection_with_config(&config).await?;
        Ok(Self { connection })
    }

    /// The value of `key`, `None` when it is not set.
    pub(crate) async fn get(&self, key: &str) -> RedisResult<Option<String>> {
        self.connection.clone().get(key).await
    }

    /// Sets `key` to `value`.
    pub(crate) async fn set(&self, key: &str, value: &str) -> RedisResult<()> {
        self.connection.clone().set(key, value).await
    }

    /// Adds `by` to the integer at `key` (0 when unset); returns the new value.
    pub(crate) async fn incr(&self, key: &str, by: i64) -> RedisResult<i64> {
        self.connection.clone().incr(key, by).await
    }

    /// Sets every pair and reads the values back, in one atomic round trip
    /// (a `MULTI`/`EXEC` pipeline).
    pub(crate) async fn set_all(&self, pairs: &[(&str, &str)]) -> RedisResult<Vec<String>> {
        let mut pipe = redis::pipe();
        pipe.atomic();
        for (key, value) in pairs {
            pipe.set(*key, *value).ignore();
        }
        for (key, _) in pairs {
            pipe.get(*key);
        }
        pipe.query_async(&mut self.connection.clone()).await
    }
}

/// Plain sync code: no runtime, no `.await`, only blocking twins.
pub(crate) fn main() {
    // `_server` keeps our own server alive until the end of `main`.
    let (_server, url) = if let Ok(url) = std::env::var("REDIS_URL") {
        (None, url)
    } else {
        let server = redis_server::RedisServer::start().unwrap_or_else(|e| panic!("{e}"));
        let url = server.url();
        (Some(server), url)
    };
    let store = KvStore::blocking_connect(&url).expect("connect");
    println!("connected to {url} from sync code");

    store.blocking_set("greeting", "hello from sync code").expect("SET");
    println!("get greeting   → {:?}", store.blocking_get("greeting").expect("GET"));
    println!("get missing    → {:?}", store.blocking_get("missing").expect("GET"));

    let visits: Vec<i64> =
        (0..3).map(|_| store.blocking_incr("visits", 1).expect("INCR")).collect();
    println!("incr visits ×3 → {visits:?}");

    let values = store.blocking_set_all(&[("a", "1"), ("b", "2")]).expect("pipeline");
    println!("pipeline       → set a=1 b=2, read back {values:?}");

    // One store, many sync threads: each call blocks only its own thread.
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let store = store.clone();
            thread::spawn(move || {
                for _ in 0..250 {
                    store.blocking_incr("hits", 1).expect("INCR");
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("incr thread");
    }
    println!("4 threads × 250 incr → hits = {:?}", store.blocking_get("hits").expect("GET"));
}
