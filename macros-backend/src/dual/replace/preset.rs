//! The `tokio_to_std` preset: the tokio APIs that std mirrors one-to-one, so
//! that the blocking twin of a tokio body needs neither tokio nor a runtime.
//!
//! | tokio | std |
//! |---|---|
//! | `tokio::fs::{canonicalize, copy, create_dir, create_dir_all, hard_link, metadata, read, read_link, read_to_string, remove_dir, remove_dir_all, remove_file, rename, set_permissions, symlink_metadata, write}` | `std::fs::` the same name |
//! | `tokio::fs::{File, OpenOptions, read_dir, ReadDir, DirEntry}` | `std::fs::` the same name; `next_entry()` through the runtime's `std_mirror::NextEntry` |
//! | `tokio::fs::try_exists` | `std::fs::exists` |
//! | `tokio::fs::symlink` | `std::os::unix::fs::symlink` |
//! | `tokio::fs::{symlink_dir, symlink_file}` | `std::os::windows::fs::` the same name |
//! | `tokio::net::{TcpStream, TcpListener, UdpSocket}` | `std::net::` the same name |
//! | `tokio::time::sleep` | `std::thread::sleep` |
//! | `tokio::time::Duration` | `std::time::Duration` (tokio re-exports it) |
//! | `tokio::io::{AsyncRead, AsyncReadExt}` | `std::io::Read` |
//! | `tokio::io::{AsyncWrite, AsyncWriteExt}` | `std::io::Write` |
//! | `tokio::io::{AsyncBufRead, AsyncBufReadExt}` | `std::io::BufRead` |
//! | `tokio::io::{AsyncSeek, AsyncSeekExt}` | `std::io::Seek` |
//! | `tokio::io::{BufReader, BufWriter, copy, empty, sink, repeat, stdin, stdout, stderr}` | `std::io::` the same name |
//! | `tokio::io::Lines` (of `AsyncBufReadExt::lines`) | `std::io::Lines`; `next_line()` through the runtime's `std_mirror::NextLine` |
//! | `tokio::io::{Error, ErrorKind, Result, SeekFrom}` | `std::io::` the same name (tokio re-exports them) |
//!
//! The blocking twin settles every `.await` by type, so a mapped API whose
//! use differs from tokio's is a compile error there, never another
//! program: `File` and `OpenOptions` are mapped (their common methods,
//! `open`, `create`, `metadata`, `sync_all`, `set_len`, `append`, have the
//! same shape; `read`/`write` come through the mapped io traits).
//!
//! `read_dir` and `lines` keep tokio's way of reading them:
//! `while let Some(entry) = entries.next_entry().await? {..}` reads the std
//! iterator one item at a time in the twin (the twin imports the mirror
//! trait when its body names the method).
//!
//! Left out on purpose, because the two APIs differ in use: `tokio::sync`
//! (std's locks return `LockResult`; tokio's work in both worlds as they
//! are), `tokio::time::{Instant, timeout, interval}` (with the runtime's
//! feature `tokio` they work in the twin as they are: its body runs in a
//! tokio context). Methods that only tokio's
//! extension traits have (`read_u32`, `write_all_buf`, ..) have no std
//! counterpart either; write such calls per world (`per_world!`).

/// `(from, to)` pairs; every target starts with `::std` so that a user's
/// `mod std` cannot capture it.
pub(super) const TOKIO_TO_STD: &[(&str, &str)] = &[
    ("tokio::fs::canonicalize", "::std::fs::canonicalize"),
    ("tokio::fs::copy", "::std::fs::copy"),
    ("tokio::fs::create_dir", "::std::fs::create_dir"),
    ("tokio::fs::create_dir_all", "::std::fs::create_dir_all"),
    ("tokio::fs::hard_link", "::std::fs::hard_link"),
    ("tokio::fs::metadata", "::std::fs::metadata"),
    ("tokio::fs::read", "::std::fs::read"),
    ("tokio::fs::read_link", "::std::fs::read_link"),
    ("tokio::fs::read_to_string", "::std::fs::read_to_string"),
    ("tokio::fs::remove_dir", "::std::fs::remove_dir"),
    ("tokio::fs::remove_dir_all", "::std::fs::remove_dir_all"),
    ("tokio::fs::remove_file", "::std::fs::remove_file"),
    ("tokio::fs::rename", "::std::fs::rename"),
    ("tokio::fs::set_permissions", "::std::fs::set_permissions"),
    ("tokio::fs::symlink_metadata", "::std::fs::symlink_metadata"),
    ("tokio::fs::write", "::std::fs::write"),
    ("tokio::fs::File", "::std::fs::File"),
    ("tokio::fs::OpenOptions", "::std::fs::OpenOptions"),
    ("tokio::fs::read_dir", "::std::fs::read_dir"),
    ("tokio::fs::ReadDir", "::std::fs::ReadDir"),
    ("tokio::fs::DirEntry", "::std::fs::DirEntry"),
    ("tokio::fs::try_exists", "::std::fs::exists"),
    ("tokio::fs::symlink", "::std::os::unix::fs::symlink"),
    ("tokio::fs::symlink_dir", "::std::os::windows::fs::symlink_dir"),
    ("tokio::fs::symlink_file", "::std::os::windows::fs::symlink_file"),
    ("tokio::net::TcpStream", "::std::net::TcpStream"),
    ("tokio::net::TcpListener", "::std::net::TcpListener"),
    ("tokio::net::UdpSocket", "::std::net::UdpSocket"),
    ("tokio::time::sleep", "::std::thread::sleep"),
    ("tokio::time::Duration", "::std::time::Duration"),
    ("tokio::io::AsyncRead", "::std::io::Read"),
    ("tokio::io::AsyncReadExt", "::std::io::Read"),
    ("tokio::io::AsyncWrite", "::std::io::Write"),
    ("tokio::io::AsyncWriteExt", "::std::io::Write"),
    ("tokio::io::AsyncBufRead", "::std::io::BufRead"),
    ("tokio::io::AsyncBufReadExt", "::std::io::BufRead"),
    ("tokio::io::AsyncSeek", "::std::io::Seek"),
    ("tokio::io::AsyncSeekExt", "::std::io::Seek"),
    ("tokio::io::BufReader", "::std::io::BufReader"),
    ("tokio::io::Lines", "::std::io::Lines"),
    ("tokio::io::BufWriter", "::std::io::BufWriter"),
    ("tokio::io::copy", "::std::io::copy"),
    ("tokio::io::empty", "::std::io::empty"),
    ("tokio::io::sink", "::std::io::sink"),
    ("tokio::io::repeat", "::std::io::repeat"),
    ("tokio::io::stdin", "::std::io::stdin"),
    ("tokio::io::stdout", "::std::io::stdout"),
    ("tokio::io::stderr", "::std::io::stderr"),
    ("tokio::io::Error", "::std::io::Error"),
    ("tokio::io::ErrorKind", "::std::io::ErrorKind"),
    ("tokio::io::Result", "::std::io::Result"),
    ("tokio::io::SeekFrom", "::std::io::SeekFrom"),
];

/// The `futures` stream constructors whose sync mirrors (in the runtime's
/// `__private::stream`) a blocking twin calls instead: always on, since a
/// twin returns an iterator where its original returns a stream. `(from,
/// name under the runtime's __private::stream)`.
pub(super) const STREAM_MIRRORS: &[(&str, &str)] = &[
    ("futures::stream::unfold", "unfold"),
    ("futures::stream::try_unfold", "try_unfold"),
    ("futures::stream::iter", "iter"),
    ("futures_util::stream::unfold", "unfold"),
    ("futures_util::stream::try_unfold", "try_unfold"),
    ("futures_util::stream::iter", "iter"),
];
