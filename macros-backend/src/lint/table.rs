//! The blocking APIs the lint knows, and what to use in async code instead.
//!
//! | blocking call (in an async body) | use instead |
//! |---|---|
//! | `std::thread::sleep(d)` | `tokio::time::sleep(d).await` |
//! | any function of `std::fs` (`read`, `write`, `read_to_string`, `copy`, `create_dir_all`, `remove_file`, `metadata`, …) | the same function of `tokio::fs`, `.await`ed, or `twoworlds::unblock(move \|\| std::fs::…).await` |
//! | `std::fs::File::open` / `create`, `std::fs::OpenOptions::new()…open(p)` | `tokio::fs::File` / `OpenOptions`, or `twoworlds::unblock(..)` |
//! | `std::net::TcpStream::connect` / `connect_timeout`, `TcpListener::bind`, `UdpSocket::bind` | `tokio::net::{TcpStream, TcpListener, UdpSocket}`, `.await`ed |
//! | I/O on such a socket: `read`, `read_exact`, `read_to_end`, `read_to_string`, `write`, `write_all`, `flush`, `accept`, `incoming`, `recv`, `recv_from`, `send`, `send_to`, `peek` (on the chain `TcpStream::connect(a)?.read(..)` or on a variable bound from it) | the tokio socket with `AsyncReadExt`/`AsyncWriteExt` |
//! | `std::io::stdin()` reads: `read_line`, `read_to_string`, `lines` | `tokio::io::stdin()` with `AsyncBufReadExt`, or `twoworlds::unblock(..)` |
//! | `std::process::Command::new(..)…output()` / `status()` | `tokio::process::Command`, `.await`ed |
//! | a `Mutex` guard (`let g = m.lock().unwrap();`) still alive at a later `.await` in the same block | drop the guard before the `.await`, or `tokio::sync::Mutex` (`m.lock().await`) |
//! | a blocking twin: any call of `blocking_*` (ours, or tokio's `blocking_recv`, `blocking_lock`, …); a fn of a `#[dual] mod`'s `blocking` module (`m::blocking::load(..)`, `reqwest::blocking::get(..)`); a blocking trait's method through the trait (`BlockingStore::get(..)`, `<S as BlockingStore>::get(..)`) or on a parameter declared with it (`s: &impl BlockingStore`, `S: BlockingStore`); see `twins` for the exact rule | the async twin, `.await`ed |
//! | `block_on` / `try_block_on` (twoworlds, futures, pollster, a tokio `Runtime`/`Handle`) | `.await` the future |
//!
//! # How calls are matched (and the limits)
//!
//! The lint sees tokens, not types, so it matches paths:
//! - a path is first resolved through the `use` items the macro can see (those
//!   in the body, and those it is given, e.g. a `#[dual] mod`'s): after
//!   `use std::thread;`, `thread::sleep` is `std::thread::sleep`; after
//!   `use std::thread::sleep as nap;`, `nap` is; after `use std::fs::*;`,
//!   `read` is `std::fs::read`; after `use tokio::fs;`, `fs::read` is *not*
//!   `std::fs::read`;
//! - a path of two or more segments that no visible `use` explains is taken
//!   to be std's when its tail matches (`thread::sleep`, `fs::read`,
//!   `TcpStream::connect`): the module's own `use` items are invisible to an
//!   attribute macro on a function, and `use std::thread;` at the top of the
//!   file is the common case; a bare `sleep(..)` is only matched when a
//!   visible `use` says it is std's;
//! - a call that is `.await`ed directly is never std's (std's functions do not
//!   return futures), which tells `fs::read(p).await` after a module-level
//!   `use tokio::fs;` apart from `fs::read(p)`; nor is a call taken to be
//!   std's by its tail alone whose value is handed on as a future unawaited
//!   (`join!(fs::read(a), fs::read(b))`, `with_timeout(TcpStream::connect(a))
//!   .await`, `let fut = fs::read(p); spawn(fut)`: see `handed` for the
//!   exact rule); a tokio future handed on another way under such an
//!   invisible import is the false positive to silence with
//!   `#[allow_blocking]` or a full path;
//! - socket and stdin I/O is matched on the call chain, or on a variable
//!   bound by `let` from it anywhere in the body (shadowing is not tracked);
//! - sync closures given to `unblock`, `spawn_blocking`, `block_in_place` or a
//!   thread `spawn` run elsewhere and are not checked; other closures, and
//!   `async` blocks and closures, are; nested items are not; macro arguments
//!   are checked when they parse as comma-separated expressions (`println!`,
//!   `assert_eq!`, `format!`, …).

/// What a table entry matches.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Pattern {
    /// A call of this function or associated function: `std::thread::sleep(..)`.
    Call(&'static [&'static str]),
    /// A call of any function directly in this module: `std::fs::read(..)`.
    AnyFnIn(&'static [&'static str]),
    /// One of `methods`, called on a chain rooted at a call of `root`, or on a
    /// variable bound from one: `std::io::stdin().read_line(..)`.
    MethodOn {
        /// The call the chain starts at.
        root: &'static [&'static str],
        /// The blocking methods.
        methods: &'static [&'static str],
    },
}

/// One known blocking API.
#[derive(Debug)]
pub(crate) struct Entry {
    /// What it matches.
    pub(crate) pattern: Pattern,
    /// The API as the warning names it.
    pub(crate) api: &'static str,
    /// What to use in async code instead.
    pub(crate) instead: &'static str,
}

/// Socket I/O methods of `std::net`'s types.
const SOCKET_IO: &[&str] = &[
    "read",
    "read_exact",
    "read_to_end",
    "read_to_string",
    "read_vectored",
    "write",
    "write_all",
    "write_vectored",
    "flush",
    "accept",
    "incoming",
    "recv",
    "recv_from",
    "send",
    "send_to",
    "peek",
];

/// What to use instead of `std::fs`.
const FS_INSTEAD: &str =
    "the same function of `tokio::fs` (`.await`ed), or `twoworlds::unblock(move || ..).await`";

/// The table (see the module docs).
pub(crate) const TABLE: &[Entry] = &[
    Entry {
        pattern: Pattern::Call(&["std", "thread", "sleep"]),
        api: "std::thread::sleep",
        instead: "`tokio::time::sleep(..).await`",
    },
    Entry { pattern: Pattern::AnyFnIn(&["std", "fs"]), api: "std::fs", instead: FS_INSTEAD },
    Entry {
        pattern: Pattern::Call(&["std", "fs", "File", "open"]),
        api: "std::fs::File::open",
        instead: "`tokio::fs::File::open(..).await`, or `twoworlds::unblock(..)`",
    },
    Entry {
        pattern: Pattern::Call(&["std", "fs", "File", "create"]),
        api: "std::fs::File::create",
        instead: "`tokio::fs::File::create(..).await`, or `twoworlds::unblock(..)`",
    },
    Entry {
        pattern: Pattern::MethodOn {
            root: &["std", "fs", "OpenOptions", "new"],
            methods: &["open"],
        },
        api: "std::fs::OpenOptions::open",
        instead: "`tokio::fs::OpenOptions` (`.open(..).await`), or `twoworlds::unblock(..)`",
    },
    Entry {
        pattern: Pattern::Call(&["std", "net", "TcpStream", "connect"]),
        api: "std::net::TcpStream::connect",
        instead: "`tokio::net::TcpStream::connect(..).await`",
    },
    Entry {
        pattern: Pattern::Call(&["std", "net", "TcpStream", "connect_timeout"]),
        api: "std::net::TcpStream::connect_timeout",
        instead: "`tokio::time::timeout(d, tokio::net::TcpStream::connect(..)).await`",
    },
    Entry {
        pattern: Pattern::Call(&["std", "net", "TcpListener", "bind"]),
        api: "std::net::TcpListener::bind",
        instead: "`tokio::net::TcpListener::bind(..).await`",
    },
    Entry {
        pattern: Pattern::Call(&["std", "net", "UdpSocket", "bind"]),
        api: "std::net::UdpSocket::bind",
        instead: "`tokio::net::UdpSocket::bind(..).await`",
    },
    Entry {
        pattern: Pattern::MethodOn {
            root: &["std", "net", "TcpStream", "connect"],
            methods: SOCKET_IO,
        },
        api: "I/O on a std::net::TcpStream",
        instead: "a `tokio::net::TcpStream` with `AsyncReadExt`/`AsyncWriteExt`, `.await`ed",
    },
    Entry {
        pattern: Pattern::MethodOn {
            root: &["std", "net", "TcpListener", "bind"],
            methods: SOCKET_IO,
        },
        api: "I/O on a std::net::TcpListener",
        instead: "a `tokio::net::TcpListener` (`accept().await`)",
    },
    Entry {
        pattern: Pattern::MethodOn {
            root: &["std", "net", "UdpSocket", "bind"],
            methods: SOCKET_IO,
        },
        api: "I/O on a std::net::UdpSocket",
        instead: "a `tokio::net::UdpSocket` (`recv(..).await`, `send(..).await`)",
    },
    Entry {
        pattern: Pattern::MethodOn {
            root: &["std", "io", "stdin"],
            methods: &["read_line", "read_to_string", "read_to_end", "lines"],
        },
        api: "reading std::io::stdin",
        instead: "`tokio::io::stdin()` with `AsyncBufReadExt`, or `twoworlds::unblock(..)`",
    },
    Entry {
        pattern: Pattern::MethodOn {
            root: &["std", "process", "Command", "new"],
            methods: &["output", "status"],
        },
        api: "std::process::Command::output/status",
        instead: "`tokio::process::Command` (`.output().await`, `.status().await`)",
    },
];
