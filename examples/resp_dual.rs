//! A Redis (RESP2) client written once with `#[dual]`: `resp::Client` is
//! async over `tokio::net::TcpStream`, and `resp::blocking::Client` is the
//! same body made sync over `std::net::TcpStream` — no runtime, no thread.
//!
//! The `tokio_to_std` preset maps the I/O: `tokio::net::TcpStream` →
//! `std::net::TcpStream`, `tokio::io::BufReader` + `AsyncBufReadExt`
//! (`read_until`) + `AsyncReadExt` (`read_exact`, `take`) + `AsyncWriteExt`
//! (`write_all`) → `std::io::{BufReader, BufRead, Read, Write}`. One
//! `replace(..)` rule adds what the preset leaves out: `ToSocketAddrs`.
//! Everything that does no I/O (values, errors, parsing of one line,
//! encoding) lives outside the dual module in `protocol`, shared by both.
//!
//! Run: `cargo run --example resp_dual` (starts its own `redis-server` on a
//! free loopback port; set `REDIS_ADDR=host:port` to use another).

#[path = "../tests/support/redis_server.rs"]
#[allow(dead_code, reason = "tests/live_redis.rs uses the rest of the helper")]
pub(crate) mod redis_server;

/// The I/O-free part of RESP, shared by both clients.
pub(crate) mod protocol {
    use std::fmt;
    use std::io;

    /// Longest header line accepted (type byte, number or simple string).
    pub(crate) const MAX_LINE: u64 = 64 * 1024;

    /// Longest bulk string accepted (Redis's own `proto-max-bulk-len`).
    const MAX_BULK: usize = 512 * 1024 * 1024;

    /// Deepest nesting of arrays accepted.
    pub(crate) const MAX_DEPTH: usize = 64;

    /// A reply from the server.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub(crate) enum Value {
        /// `+OK`
        Simple(String),
        /// `-ERR ..` nested in an array (a top-level one becomes
        /// [`Error::Server`]).
        Error(String),
        /// `:42`
        Integer(i64),
        /// `$3\r\nabc`
        Bulk(Vec<u8>),
        /// `$-1` or `*-1`: no value.
        Nil,
        /// `*2\r\n..`
        Array(Vec<Value>),
    }

    /// Shown like `redis-cli` shows replies.
    impl fmt::Display for Value {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                Self::Simple(text) => write!(f, "{text}"),
                Self::Error(message) => write!(f, "(error) {message}"),
                Self::Integer(n) => write!(f, "(integer) {n}"),
                Self::Bulk(bytes) => write!(f, "{:?}", String::from_utf8_lossy(bytes)),
                Self::Nil => write!(f, "(nil)"),
                Self::Array(items) => {
                    write!(f, "[")?;
                    for (i, item) in items.iter().enumerate() {
                        write!(f, "{}{item}", if i == 0 { "" } else { ", " })?;
                    }
                    write!(f, "]")
                }
            }
        }
    }

    /// Why a command failed.
    #[derive(Debug)]
    pub(crate) enum Error {
        /// The connection failed (refused, reset, closed by the server).
        Io(io::Error),
        /// The server sent bytes that are not the RESP we expected; the
        /// connection is out of step and should be dropped.
        Protocol(String),
        /// The server answered with an error reply (`-ERR ..`).
        Server(String),
    }

    impl fmt::Display for Error {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                Self::Io(e) => write!(f, "I/O error talking to redis: {e}"),
                Self::Protocol(what) => write!(f, "RESP protocol error: {what}"),
                Self::Server(message) => write!(f, "redis replied with an error: {message}"),
            }
        }
    }

    impl std::error::Error for Error {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            match self {
                Self::Io(e) => Some(e),
                Self::Protocol(_) | Self::Server(_) => None,
            }
        }
    }

    impl From<io::Error> for Error {
        fn from(e: io::Error) -> Self {
            Self::Io(e)
        }
    }

    /// What one header line announces.
    #[derive(Debug, PartialEq, Eq)]
    pub(crate) enum Header {
        /// A complete value (simple string, error, integer, nil).
        Value(Value),
        /// A bulk string of this many bytes follows, then `\r\n`.
        Bulk(usize),
        /// An array of this many values follows.
        Array(usize),
    }

    /// Parses one header line, `\r\n` included (empty: the server closed).
    ///
    /// # Errors
    /// [`Error::Io`] on an empty line, [`Error::Protocol`] on anything that
    /// is not a RESP2 header.
    pub(crate) fn header(line: &[u8]) -> Result<Header, Error> {
        if line.is_empty() {
            let closed = io::Error::new(io::ErrorKind::UnexpectedEof, "connection closed by redis");
            return Err(Error::Io(closed));
        }
        let Some(body) = line.strip_suffix(b"\r\n") else {
            return Err(Error::Protocol(format!(
                "header line not terminated by CRLF within {MAX_LINE} bytes: {}",
                show(line)
            )));
        };
        let (kind, rest) = (body.first().copied(), body.get(1..).unwrap_or_default());
        let text = || String::from_utf8_lossy(rest).into_owned();
        match kind {
            Some(b'+') => Ok(Header::Value(Value::Simple(text()))),
            Some(b'-') => Ok(Header::Value(Value::Error(text()))),
            Some(b':') => Ok(Header::Value(Value::Integer(number(rest, line)?))),
            Some(b'$') => match number(rest, line)? {
                -1 => Ok(Header::Value(Value::Nil)),
                len => Ok(Header::Bulk(length(len, MAX_BULK, line)?)),
            },
            Some(b'*') => match number(rest, line)? {
                -1 => Ok(Header::Value(Value::Nil)),
                len => Ok(Header::Array(length(len, usize::MAX, line)?)),
            },
            _ => Err(Error::Protocol(format!("unknown reply type in {}", show(line)))),
        }
    }

    /// A bulk string's body read with its trailing `\r\n`.
    ///
    /// # Errors
    /// [`Error::Protocol`] when the `\r\n` is missing.
    pub(crate) fn bulk(mut body: Vec<u8>) -> Result<Value, Error> {
        if !body.ends_with(b"\r\n") {
            return Err(Error::Protocol(format!(
                "bulk string not terminated by CRLF: {}",
                show(&body)
            )));
        }
        body.truncate(body.len() - 2);
        Ok(Value::Bulk(body))
    }

    /// The request for `args`, as a RESP array of bulk strings.
    pub(crate) fn encode(args: &[&[u8]]) -> Vec<u8> {
        let mut out = format!("*{}\r\n", args.len()).into_bytes();
        for arg in args {
            out.extend_from_slice(format!("${}\r\n", arg.len()).as_bytes());
            out.extend_from_slice(arg);
            out.extend_from_slice(b"\r\n");
        }
        out
    }

    /// The error for a well-formed reply that a command does not expect.
    pub(crate) fn unexpected(command: &str, value: &Value) -> Error {
        Error::Protocol(format!("unexpected reply to {command}: {value:?}"))
    }

    /// The next cursor and the keys of a `SCAN` reply (`[cursor, [key, ..]]`).
    pub(crate) fn scan_reply(reply: Value) -> Result<(Vec<u8>, Vec<String>), Error> {
        let Value::Array(parts) = reply else { return Err(unexpected("SCAN", &reply)) };
        match <[Value; 2]>::try_from(parts) {
            Ok([Value::Bulk(cursor), Value::Array(keys)]) => {
                let keys = keys
                    .into_iter()
                    .map(|key| match key {
                        Value::Bulk(key) => Ok(String::from_utf8_lossy(&key).into_owned()),
                        other => Err(unexpected("SCAN", &other)),
                    })
                    .collect::<Result<_, _>>()?;
                Ok((cursor, keys))
            }
            Ok(parts) => Err(unexpected("SCAN", &Value::Array(parts.into()))),
            Err(parts) => Err(unexpected("SCAN", &Value::Array(parts))),
        }
    }

    /// The decimal integer in `digits` (of header `line`).
    fn number(digits: &[u8], line: &[u8]) -> Result<i64, Error> {
        std::str::from_utf8(digits)
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| Error::Protocol(format!("bad integer in {}", show(line))))
    }

    /// `len` as a length of at most `max` (of header `line`).
    fn length(len: i64, max: usize, line: &[u8]) -> Result<usize, Error> {
        usize::try_from(len)
            .ok()
            .filter(|&len| len <= max)
            .ok_or_else(|| Error::Protocol(format!("bad length in {}", show(line))))
    }

    /// `bytes` for an error message: escaped, at most 60 of them.
    fn show(bytes: &[u8]) -> String {
        let shown: String =
            bytes.iter().take(60).flat_map(|b| b.escape_ascii()).map(char::from).collect();
        let more = if bytes.len() > 60 { "…" } else { "" };
        format!("\"{shown}\"{more}")
    }
}

/// The client, written once: `resp::Client` (async, tokio) and
/// `resp::blocking::Client` (sync, std).
#[twoworlds::dual(tokio_to_std, replace(tokio::net::ToSocketAddrs => std::net::ToSocketAddrs))]
pub(crate) mod resp {
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
    use tokio::net::TcpStream;

    use super::protocol::{self, Header, MAX_DEPTH, MAX_LINE};
    pub(crate) use super::protocol::{Error, Value};

    /// A connection to a Redis server.
    pub(crate) struct Client {
        /// The socket, buffered for reading; requests are written straight
        /// to the socket through `get_mut`.
        reader: BufReader<TcpStream>,
    }

    impl Client {
        /// Connects to the server at `address` (`"127.0.0.1:6379"`).
        ///
        /// # Errors
        /// [`Error::Io`] when the connection fails.
        pub(crate) async fn connect<A: tokio::net::ToSocketAddrs>(
            address: A,
        ) -> Result<Self, Error> {
            let stream = TcpStream::connect(address).await?;
            stream.set_nodelay(true)?;
            Ok(Self { reader: BufReader::new(stream) })
        }

        /// Sends one command and reads its reply; an error reply is
        /// [`Error::Server`].
        ///
        /// # Errors
        /// [`Error::Io`], [`Error::Protocol`] or [`Error::Server`].
        pub(crate) async fn command(&mut self, args: &[&[u8]]) -> Result<Value, Error> {
            self.reader.get_mut().write_all(&protocol::encode(args)).await?;
            match self.read_reply().await? {
                Value::Error(message) => Err(Error::Server(message)),
                reply => Ok(reply),
            }
        }

        /// Checks that the server answers.
        ///
        /// # Errors
        /// As [`command`](Self::command); a reply other than `PONG` is a
        /// protocol error.
        pub(crate) async fn ping(&mut self) -> Result<(), Error> {
            match self.command(&[b"PING"]).await? {
                Value::Simple(pong) if pong == "PONG" => Ok(()),
                other => Err(protocol::unexpected("PING", &other)),
            }
        }

        /// The value of `key`, `None` when it is not set.
        ///
        /// # Errors
        /// As [`command`](Self::command).
        pub(crate) async fn get(&mut self, key: &str) -> Result<Option<Vec<u8>>, Error> {
            match self.command(&[b"GET", key.as_bytes()]).await? {
                Value::Bulk(value) => Ok(Some(value)),
                Value::Nil => Ok(None),
                other => Err(protocol::unexpected("GET", &other)),
            }
        }

        /// Sets `key` to `value`.
        ///
        /// # Errors
        /// As [`command`](Self::command).
        pub(crate) async fn set(&mut self, key: &str, value: &[u8]) -> Result<(), Error> {
            match self.command(&[b"SET", key.as_bytes(), value]).await? {
                Value::Simple(ok) if ok == "OK" => Ok(()),
                other => Err(protocol::unexpected("SET", &other)),
            }
        }

        /// Deletes `key`; whether it existed.
        ///
        /// # Errors
        /// As [`command`](Self::command).
        pub(crate) async fn del(&mut self, key: &str) -> Result<bool, Error> {
            match self.command(&[b"DEL", key.as_bytes()]).await? {
                Value::Integer(removed) => Ok(removed > 0),
                other => Err(protocol::unexpected("DEL", &other)),
            }
        }

        /// Adds one to the integer at `key` (0 when unset); the new value.
        ///
        /// # Errors
        /// As [`command`](Self::command); [`Error::Server`] when the value is
        /// not an integer.
        pub(crate) async fn incr(&mut self, key: &str) -> Result<i64, Error> {
            match self.command(&[b"INCR", key.as_bytes()]).await? {
                Value::Integer(value) => Ok(value),
                other => Err(protocol::unexpected("INCR", &other)),
            }
        }

        /// Every key matching `pattern`, with `SCAN`, one batch of keys per
        /// request: a stream in the async client, an iterator in the
        /// blocking one (the same body, its `.await`s settled). A key may
        /// come twice if the keyspace changes during the scan (Redis's
        /// guarantee); an error ends it.
        pub(crate) fn scan<'a>(
            &'a mut self,
            pattern: &'a str,
        ) -> impl futures::Stream<Item = Result<String, Error>> + 'a {
            async_stream::try_stream! {
                let mut cursor = b"0".to_vec();
                loop {
                    let args: [&[u8]; 6] =
                        [b"SCAN", &cursor, b"MATCH", pattern.as_bytes(), b"COUNT", b"10"];
                    let reply = self.command(&args).await?;
                    let (next, keys) = protocol::scan_reply(reply)?;
                    for key in keys {
                        yield key;
                    }
                    if next == b"0" {
                        break;
                    }
                    cursor = next;
                }
            }
        }

        /// Reads one reply. Arrays nest with an explicit stack rather than
        /// recursion (an async fn can't recurse without boxing).
        async fn read_reply(&mut self) -> Result<Value, Error> {
            let mut open: Vec<(Vec<Value>, usize)> = Vec::new();
            loop {
                let mut value = match self.read_header().await? {
                    Header::Value(value) => value,
                    Header::Bulk(len) => {
                        let mut body = vec![0; len + 2];
                        self.reader.read_exact(&mut body).await?;
                        protocol::bulk(body)?
                    }
                    Header::Array(0) => Value::Array(Vec::new()),
                    Header::Array(len) if open.len() < MAX_DEPTH => {
                        open.push((Vec::with_capacity(len.min(1024)), len));
                        continue;
                    }
                    Header::Array(_) => {
                        let what = format!("arrays nested deeper than {MAX_DEPTH}");
                        return Err(Error::Protocol(what));
                    }
                };
                // Close every array this value completes.
                loop {
                    let Some((mut items, len)) = open.pop() else { return Ok(value) };
                    items.push(value);
                    if items.len() < len {
                        open.push((items, len));
                        break;
                    }
                    value = Value::Array(items);
                }
            }
        }

        /// Reads one header line (at most [`MAX_LINE`] bytes) and parses it.
        async fn read_header(&mut self) -> Result<Header, Error> {
            let mut line = Vec::new();
            (&mut self.reader).take(MAX_LINE).read_until(b'\n', &mut line).await?;
            protocol::header(&line)
        }
    }
}

/// Both twins against one server.
pub(crate) fn main() {
    // `_server` keeps our own server alive until the end of `main`.
    let (_server, address) = if let Ok(address) = std::env::var("REDIS_ADDR") {
        (None, address)
    } else {
        let server = redis_server::RedisServer::start().unwrap_or_else(|e| panic!("{e}"));
        let address = server.address().to_string();
        (Some(server), address)
    };

    // Sync code: the blocking twin, plain std sockets.
    let mut sync = resp::blocking::Client::connect(address.as_str()).expect("connect");
    sync.ping().expect("PING");
    sync.set("greeting", b"hello from resp::blocking").expect("SET");
    let counter = sync.incr("counter").expect("INCR");
    println!("resp::blocking::Client → PING ok, SET greeting, INCR counter = {counter}");

    // Async code: the original, on a tokio runtime.
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio");
    runtime.block_on(async {
        let mut client = resp::Client::connect(address.as_str()).await.expect("connect");
        client.ping().await.expect("PING");
        let greeting = client.get("greeting").await.expect("GET").unwrap_or_default();
        let counter = client.incr("counter").await.expect("INCR");
        println!(
            "resp::Client (async)   → PING ok, GET greeting = {:?}, INCR counter = {counter}",
            String::from_utf8_lossy(&greeting)
        );
        client.del("list").await.expect("DEL");
        let pushed = client.command(&[b"RPUSH", b"list", b"a", b"b"]).await.expect("RPUSH");
        let range = client.command(&[b"LRANGE", b"list", b"0", b"-1"]).await.expect("LRANGE");
        client.set("from-async", b"yes").await.expect("SET");
        println!("resp::Client (async)   → RPUSH list a b = {pushed}, LRANGE list 0 -1 = {range}");
    });
    let from_async = sync.get("from-async").expect("GET").unwrap_or_default();
    println!(
        "resp::blocking::Client → GET from-async = {:?}",
        String::from_utf8_lossy(&from_async)
    );

    // A paginated API written once: SCAN as an iterator and as a stream.
    for n in 0..25 {
        sync.set(&format!("user:{n}"), b"x").expect("SET");
    }
    let mut keys_by_iterator: Vec<String> =
        sync.scan("user:*").collect::<Result<_, _>>().expect("SCAN");
    let mut keys_by_stream: Vec<String> = runtime.block_on(async {
        use futures::TryStreamExt as _;
        let mut client = resp::Client::connect(address.as_str()).await.expect("connect");
        client.scan("user:*").try_collect().await.expect("SCAN")
    });
    keys_by_iterator.sort();
    keys_by_stream.sort();
    assert_eq!(keys_by_iterator, keys_by_stream, "both twins scan the same keys");
    println!(
        "resp::blocking::Client → SCAN user:* = {} keys (iterator); resp::Client → {} keys (stream)",
        keys_by_iterator.len(),
        keys_by_stream.len()
    );

    // Errors are values: a server error, then a missing key.
    let error = sync.incr("greeting").expect_err("INCR of a string");
    println!("resp::blocking::Client → INCR greeting fails: {error}");
    let existed = sync.del("greeting").expect("DEL");
    let after = sync.get("greeting").expect("GET");
    println!("resp::blocking::Client → DEL greeting = {existed}, then GET greeting = {after:?}");
}
