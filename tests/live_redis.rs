//! Both worlds against a real `redis-server`, no mocks: the `redis` crate's
//! async client bridged to sync callers with `#[bridge]`
//! (`examples/redis_bridge.rs`) and the RESP client written once with
//! `#[dual]` (`examples/resp_dual.rs`), each test on a server of its own.
//!
//! The tests that need `redis-server` are `#[ignore]`d; `.ci/run` installs it
//! and runs them with `cargo test --all-features --test live_redis -- --ignored`.
//! The protocol tests below them use a tiny fake server that sends canned
//! bytes (they test our parser, not redis) and always run.

mod deadline;
#[path = "../examples/redis_bridge.rs"]
mod redis_bridge;
#[path = "../examples/resp_dual.rs"]
#[allow(
    clippy::duplicate_mod,
    reason = "both examples include the redis-server helper, so it is loaded twice here"
)]
mod resp_dual;

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener};
use std::thread;

use deadline::{tokio_runtime, with_deadline};
use redis_bridge::KvStore;
use redis_bridge::redis_server::RedisServer;
use resp_dual::resp::{self, Error, Value};

/// Starts a server for one test, failing it with the reason when it can't.
fn server() -> RedisServer {
    RedisServer::start().unwrap_or_else(|e| panic!("{e}"))
}

/// The UTF-8 text of a value read by the RESP client.
fn text(value: Option<Vec<u8>>) -> Option<String> {
    value.map(|bytes| String::from_utf8(bytes).expect("UTF-8 value"))
}

#[test]
#[ignore = "needs redis-server"]
fn both_apis_read_what_the_other_wrote() {
    with_deadline("both_apis_read_what_the_other_wrote", || {
        let server = server();
        let (url, address) = (server.url(), server.address());
        let store = KvStore::blocking_connect(&url).expect("connect store");
        let mut sync = resp::blocking::Client::connect(address).expect("connect resp");

        // bridged blocking twin → dual blocking twin, and back.
        store.blocking_set("bridge:sync", "from KvStore::blocking_set").unwrap();
        assert_eq!(
            text(sync.get("bridge:sync").unwrap()).as_deref(),
            Some("from KvStore::blocking_set")
        );
        sync.set("dual:sync", b"from resp::blocking").unwrap();
        assert_eq!(
            store.blocking_get("dual:sync").unwrap().as_deref(),
            Some("from resp::blocking")
        );

        // A pipeline through the bridge, read by the async dual client.
        let read_back = store.blocking_set_all(&[("p:1", "one"), ("p:2", "two")]).unwrap();
        assert_eq!(read_back, ["one", "two"]);

        // The async APIs, on a tokio runtime, against what sync code wrote.
        tokio_runtime().block_on(async {
            let mut client = resp::Client::connect(address).await.expect("connect async resp");
            let store = KvStore::connect(&url).await.expect("connect async store");
            assert_eq!(text(client.get("p:2").await.unwrap()).as_deref(), Some("two"));
            assert_eq!(
                store.get("dual:sync").await.unwrap().as_deref(),
                Some("from resp::blocking")
            );
            client.set("dual:async", b"from resp::Client").await.unwrap();
            store.set("bridge:async", "from KvStore::set").await.unwrap();
            assert_eq!(store.incr("counter", 5).await.unwrap(), 5);
            assert_eq!(client.incr("counter").await.unwrap(), 6);
        });

        // ..and sync code reads what the async APIs wrote.
        assert_eq!(text(sync.get("bridge:async").unwrap()).as_deref(), Some("from KvStore::set"));
        assert_eq!(store.blocking_get("dual:async").unwrap().as_deref(), Some("from resp::Client"));
        assert_eq!(store.blocking_incr("counter", 1).unwrap(), 7);
        assert!(sync.del("counter").unwrap());
        assert!(!sync.del("counter").unwrap());
        assert_eq!(store.blocking_get("counter").unwrap(), None);
        sync.ping().unwrap();
    });
}

/// INCRs per thread or task.
const PER_WORKER: usize = 1_000;

#[test]
#[ignore = "needs redis-server"]
fn sixteen_thousand_increments_from_both_worlds_lose_nothing() {
    with_deadline("sixteen_thousand_increments", || {
        let server = server();
        let (url, address) = (server.url(), server.address());
        let store = KvStore::blocking_connect(&url).expect("connect store");
        // 8 sync threads: 4 through the bridged twins (one shared store),
        // 4 through the dual blocking client (a connection each)...
        let threads: Vec<_> = (0..8)
            .map(|i| {
                let store = store.clone();
                thread::spawn(move || {
                    if i % 2 == 0 {
                        for _ in 0..PER_WORKER {
                            store.blocking_incr("hits", 1).expect("bridged INCR");
                        }
                    } else {
                        let mut client = resp::blocking::Client::connect(address).unwrap();
                        for _ in 0..PER_WORKER {
                            client.incr("hits").expect("dual blocking INCR");
                        }
                    }
                })
            })
            .collect();
        // ...while 8 async tasks do the same through the async APIs.
        tokio_runtime().block_on(async {
            let store = KvStore::connect(&url).await.expect("connect async store");
            let tasks: Vec<_> = (0..8)
                .map(|i| {
                    let store = store.clone();
                    tokio::spawn(async move {
                        if i % 2 == 0 {
                            for _ in 0..PER_WORKER {
                                store.incr("hits", 1).await.expect("async INCR");
                            }
                        } else {
                            let mut client = resp::Client::connect(address).await.unwrap();
                            for _ in 0..PER_WORKER {
                                client.incr("hits").await.expect("dual async INCR");
                            }
                        }
                    })
                })
                .collect();
            for task in tasks {
                task.await.expect("incr task");
            }
        });
        for thread in threads {
            thread.join().expect("incr thread");
        }
        assert_eq!(store.blocking_get("hits").unwrap().as_deref(), Some("16000"));
    });
}

#[test]
#[ignore = "needs redis-server"]
fn a_killed_server_yields_errors_not_panics_or_hangs() {
    with_deadline("a_killed_server_yields_errors", || {
        let mut server = server();
        let (url, address) = (server.url(), server.address());
        let store = KvStore::blocking_connect(&url).expect("connect store");
        let mut sync = resp::blocking::Client::connect(address).expect("connect resp");
        let runtime = tokio_runtime();
        let mut client = runtime.block_on(resp::Client::connect(address)).unwrap();
        store.blocking_set("alive", "yes").unwrap();
        sync.ping().unwrap();
        runtime.block_on(client.ping()).unwrap();

        server.kill();

        let bridged = store.blocking_incr("alive", 1).expect_err("bridged INCR after kill");
        assert!(bridged.is_io_error() || bridged.is_connection_dropped(), "{bridged:?}");
        let dual_sync = sync.incr("alive").expect_err("dual blocking INCR after kill");
        assert!(matches!(dual_sync, Error::Io(_)), "{dual_sync:?}");
        let from_async = runtime.block_on(client.get("alive")).expect_err("async GET after kill");
        assert!(matches!(from_async, Error::Io(_)), "{from_async:?}");
        let reconnect = resp::blocking::Client::connect(address).err().expect("reconnect fails");
        assert!(matches!(reconnect, Error::Io(_)), "{reconnect:?}");
        assert!(KvStore::blocking_connect(&url).is_err(), "bridged reconnect fails");
        // The messages say what happened.
        assert!(dual_sync.to_string().starts_with("I/O error talking to redis: "), "{dual_sync}");
    });
}

#[test]
#[ignore = "needs redis-server"]
fn the_examples_run() {
    with_deadline("the_examples_run", || {
        redis_bridge::main();
        resp_dual::main();
    });
}

/// A fake server on loopback: answers each of `connections` connections
/// with `reply` once it has read a request, then closes it.
fn fake_server(reply: &'static [u8], connections: usize) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind fake server");
    let address = listener.local_addr().expect("fake server address");
    thread::spawn(move || {
        for stream in listener.incoming().take(connections) {
            let mut stream = stream.expect("accept");
            let mut request = [0; 256];
            let _ = stream.read(&mut request);
            let _ = stream.write_all(reply);
        }
    });
    address
}

/// The reply to one `command` from each twin of the RESP client, against a
/// fake server sending `reply`; both twins must agree.
fn reply_to(reply: &'static [u8]) -> Result<Value, Error> {
    with_deadline("reply_to", move || {
        let address = fake_server(reply, 2);
        let mut sync = resp::blocking::Client::connect(address).expect("connect");
        let blocking = sync.command(&[b"PING"]);
        let asynchronous = twoworlds::block_on(async {
            resp::Client::connect(address).await.expect("connect").command(&[b"PING"]).await
        });
        assert_eq!(format!("{blocking:?}"), format!("{asynchronous:?}"), "twins disagree");
        blocking
    })
}

/// The message of the protocol error that `reply` causes.
fn protocol_error(reply: &'static [u8]) -> String {
    match reply_to(reply) {
        Err(Error::Protocol(message)) => message,
        other => panic!("expected a protocol error for {reply:?}, got {other:?}"),
    }
}

#[test]
fn every_reply_type_parses() {
    assert_eq!(reply_to(b"+OK\r\n").unwrap(), Value::Simple("OK".into()));
    assert_eq!(reply_to(b":-42\r\n").unwrap(), Value::Integer(-42));
    assert_eq!(reply_to(b"$0\r\n\r\n").unwrap(), Value::Bulk(Vec::new()));
    assert_eq!(reply_to(b"$4\r\na\r\nb\r\n").unwrap(), Value::Bulk(b"a\r\nb".to_vec()));
    assert_eq!(reply_to(b"$-1\r\n").unwrap(), Value::Nil);
    assert_eq!(reply_to(b"*-1\r\n").unwrap(), Value::Nil);
    assert_eq!(reply_to(b"*0\r\n").unwrap(), Value::Array(Vec::new()));
    let nested = b"*4\r\n:1\r\n*2\r\n$1\r\nx\r\n$-1\r\n-WRONGTYPE inner\r\n*1\r\n*0\r\n";
    assert_eq!(
        reply_to(nested).unwrap(),
        Value::Array(vec![
            Value::Integer(1),
            Value::Array(vec![Value::Bulk(b"x".to_vec()), Value::Nil]),
            Value::Error("WRONGTYPE inner".into()),
            Value::Array(vec![Value::Array(Vec::new())]),
        ])
    );
}

#[test]
fn a_top_level_error_reply_is_a_server_error() {
    match reply_to(b"-ERR unknown command 'FOO'\r\n") {
        Err(error @ Error::Server(_)) => {
            assert_eq!(error.to_string(), "redis replied with an error: ERR unknown command 'FOO'");
        }
        other => panic!("expected a server error, got {other:?}"),
    }
}

#[test]
fn replies_the_client_cannot_parse_are_protocol_errors() {
    assert_eq!(protocol_error(b"hello\r\n"), r#"unknown reply type in "hello\r\n""#);
    assert_eq!(protocol_error(b":12x\r\n"), r#"bad integer in ":12x\r\n""#);
    assert_eq!(protocol_error(b"$-5\r\n"), r#"bad length in "$-5\r\n""#);
    assert_eq!(protocol_error(b"*\r\n"), r#"bad integer in "*\r\n""#);
    assert_eq!(protocol_error(b"$3\r\nabcde"), r#"bulk string not terminated by CRLF: "abcde""#);
    assert_eq!(
        protocol_error(b"+OK"),
        r#"header line not terminated by CRLF within 65536 bytes: "+OK""#
    );
    let error = reply_to(b"?\r\n").unwrap_err();
    assert_eq!(error.to_string(), r#"RESP protocol error: unknown reply type in "?\r\n""#);
}

#[test]
fn an_endless_line_is_cut_off() {
    static ENDLESS: [u8; 100_000] = [b'+'; 100_000];
    let message = protocol_error(&ENDLESS);
    assert!(
        message.starts_with("header line not terminated by CRLF within 65536 bytes"),
        "{message}"
    );
}

#[test]
fn a_well_formed_reply_of_the_wrong_type_is_a_protocol_error() {
    let address = fake_server(b":1\r\n", 1);
    let error = resp::blocking::Client::connect(address).unwrap().get("k").unwrap_err();
    assert_eq!(error.to_string(), "RESP protocol error: unexpected reply to GET: Integer(1)");
}

#[test]
fn a_server_that_hangs_up_is_an_io_error() {
    let address = fake_server(b"", 1);
    let error = reply_to_closed(address);
    assert!(
        matches!(&error, Error::Io(e) if e.kind() == std::io::ErrorKind::UnexpectedEof),
        "{error:?}"
    );
}

/// The error of a `PING` to a server that closes without replying.
fn reply_to_closed(address: SocketAddr) -> Error {
    with_deadline("reply_to_closed", move || {
        resp::blocking::Client::connect(address).unwrap().ping().unwrap_err()
    })
}

/// `SCAN` written once: the blocking twin's iterator and the async stream
/// yield the same keys over many pages, and a `break` stops the iterator.
#[test]
#[ignore = "needs redis-server"]
fn scan_gives_the_same_keys_in_both_worlds() {
    let server = server();
    let address = server.address().to_string();
    with_deadline("scan", move || {
        let mut sync = resp::blocking::Client::connect(address.as_str()).expect("connect");
        for n in 0..250 {
            sync.set(&format!("scan:{n}"), b"x").expect("SET");
        }
        sync.set("other", b"y").expect("SET");
        let mut keys_by_iterator: Vec<String> =
            sync.scan("scan:*").collect::<Result<_, _>>().expect("SCAN");
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let mut keys_by_stream: Vec<String> = runtime.block_on(async {
            use futures::TryStreamExt as _;
            let mut client = resp::Client::connect(address.as_str()).await.expect("connect");
            client.scan("scan:*").try_collect().await.expect("SCAN")
        });
        keys_by_iterator.sort();
        keys_by_iterator.dedup();
        keys_by_stream.sort();
        keys_by_stream.dedup();
        assert_eq!(keys_by_iterator.len(), 250);
        assert_eq!(keys_by_iterator, keys_by_stream);
        let first_three: Vec<String> = sync.scan("scan:*").take(3).map(Result::unwrap).collect();
        assert_eq!(first_three.len(), 3);
        assert!(sync.ping().is_ok(), "a scan stopped early leaves the connection usable");
    });
}
