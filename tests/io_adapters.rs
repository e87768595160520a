//! I/O across the bridge: `unblock_read` / `unblock_write` (a blocking
//! reader or writer on the pool, as tokio's and futures-io's async traits)
//! and `block_on_io` / `block_on_futures_io` (an async reader or writer as a
//! blocking `Read`/`Write`) move the same bytes, report errors in place,
//! stop the pool work when dropped without losing what a writer accepted,
//! and refuse — loudly, never by hanging — to block inside async code.
#![cfg(all(feature = "tokio", feature = "futures-io"))]

mod deadline;

use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;

use deadline::{catching, panic_message, with_deadline};
use twoworlds::{
    UnblockRead, UnblockWrite, block_on, block_on_futures_io, block_on_io, unblock_read,
    unblock_write,
};

/// A pattern that shows any lost, repeated or reordered byte.
fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| u8::try_from(i % 251).expect("below 251")).collect()
}

#[test]
fn unblock_read_gives_every_byte_through_both_trait_families() {
    let data = pattern(3 * 1024 * 1024 + 17);
    let expected = data.clone();
    let (tokio_read, futures_read, tiny) = with_deadline("read-all", move || {
        let tokio_read = block_on(async {
            let mut out = Vec::new();
            tokio::io::AsyncReadExt::read_to_end(
                &mut unblock_read(io::Cursor::new(data.clone())),
                &mut out,
            )
            .await
            .map(|_| out)
        });
        let futures_read = block_on(async {
            let mut out = Vec::new();
            let mut reader = unblock_read(io::Cursor::new(data.clone()));
            futures::AsyncReadExt::read_to_end(&mut reader, &mut out).await.map(|_| out)
        });
        // A capacity of 7 bytes: many pauses, chunks reused.
        let tiny = block_on(async {
            let mut out = Vec::new();
            let mut reader =
                UnblockRead::with_capacity(7, io::Cursor::new(data[..10_000].to_vec()));
            tokio::io::AsyncReadExt::read_to_end(&mut reader, &mut out).await.map(|_| out)
        });
        (tokio_read.unwrap(), futures_read.unwrap(), tiny.unwrap())
    });
    assert!(tokio_read == expected, "tokio's AsyncRead lost or reordered bytes");
    assert!(futures_read == expected, "futures-io's AsyncRead lost or reordered bytes");
    assert_eq!(tiny, expected[..10_000]);
}

/// Reads `parts` in order: `Ok(bytes)` yields them (in one read),
/// `Err(kind)` fails once; then end of file.
struct Scripted(Vec<Result<&'static [u8], io::ErrorKind>>);

impl Read for Scripted {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.0.is_empty() {
            return Ok(0);
        }
        match self.0.remove(0) {
            Ok(bytes) => {
                buf[..bytes.len()].copy_from_slice(bytes);
                Ok(bytes.len())
            }
            Err(kind) => Err(io::Error::new(kind, "scripted")),
        }
    }
}

/// What reading `reader` to its end gives: each run of bytes, each error.
fn read_all(mut reader: impl Read) -> Vec<Result<Vec<u8>, io::ErrorKind>> {
    let mut events = Vec::new();
    let mut buf = [0; 64];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => return events,
            Ok(n) => match events.last_mut() {
                Some(Ok(run)) => run.extend_from_slice(&buf[..n]),
                _ => events.push(Ok(buf[..n].to_vec())),
            },
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => events.push(Err(error.kind())),
        }
    }
}

#[test]
fn errors_mid_read_arrive_in_place_in_both_directions_and_reading_goes_on() {
    let script = || {
        Scripted(vec![
            Ok(b"head"),
            Err(io::ErrorKind::Interrupted),
            Ok(b"er"),
            Err(io::ErrorKind::InvalidData),
            Ok(b"tail"),
        ])
    };
    let direct = read_all(script());
    // sync → async → sync: the pool-backed reader read through block_on_io.
    let bridged =
        with_deadline("errors-mid-read", move || read_all(block_on_io(unblock_read(script()))));
    assert_eq!(
        direct,
        [Ok(b"header".to_vec()), Err(io::ErrorKind::InvalidData), Ok(b"tail".to_vec())]
    );
    assert_eq!(bridged, direct);
}

/// An endless reader that counts the bytes it gives and reports its drop
/// (and the thread) on `dropped`.
struct Endless {
    given: Arc<AtomicUsize>,
    dropped: mpsc::Sender<String>,
}

impl Read for Endless {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        buf.fill(7);
        self.given.fetch_add(buf.len(), Ordering::SeqCst);
        Ok(buf.len())
    }
}

impl Drop for Endless {
    fn drop(&mut self) {
        let _ = self.dropped.send(thread::current().name().unwrap_or("").to_owned());
    }
}

#[test]
fn dropping_the_reader_mid_way_stops_reading_on_the_pool() {
    let given = Arc::new(AtomicUsize::new(0));
    let (dropped, drop_seen) = mpsc::channel();
    let reader = Endless { given: Arc::clone(&given), dropped };
    let capacity = 4096;
    let (first, dropped_on) = with_deadline("drop-reader", move || {
        let first = block_on(async {
            let mut reader = UnblockRead::with_capacity(capacity, reader);
            let mut buf = vec![0; 10_000];
            tokio::io::AsyncReadExt::read_exact(&mut reader, &mut buf).await.map(|_| buf)
        });
        // Endless: only the drop stops it; otherwise the deadline fails.
        (first.unwrap(), drop_seen.recv().expect("the reader is dropped"))
    });
    assert!(first.iter().all(|&b| b == 7));
    assert!(dropped_on.starts_with("twoworlds-"), "dropped on {dropped_on:?}");
    let given = given.load(Ordering::SeqCst);
    assert!(given <= 10_000 + 3 * capacity, "{given} bytes read ahead with capacity {capacity}");
}

/// A writer into a shared buffer that reports its drop.
struct Shared {
    bytes: Arc<Mutex<Vec<u8>>>,
    flushes: Arc<AtomicUsize>,
    dropped: mpsc::Sender<()>,
}

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = buf.len().min(1000);
        self.bytes.lock().unwrap().extend_from_slice(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.flushes.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        let _ = self.dropped.send(());
    }
}

/// A shared writer, its bytes, its flush count and its drop signal.
type Watched = (Shared, Arc<Mutex<Vec<u8>>>, Arc<AtomicUsize>, mpsc::Receiver<()>);

/// A [`Shared`] writer and what watches it.
fn shared() -> Watched {
    let (dropped, seen) = mpsc::channel();
    let bytes = Arc::new(Mutex::new(Vec::new()));
    let flushes = Arc::new(AtomicUsize::new(0));
    let writer = Shared { bytes: Arc::clone(&bytes), flushes: Arc::clone(&flushes), dropped };
    (writer, bytes, flushes, seen)
}

#[test]
fn unblock_write_writes_everything_in_order_flushes_and_closes() {
    let data = pattern(200_000);
    let (writer, bytes, flushes, dropped) = shared();
    let sent = data.clone();
    with_deadline("write-all", move || {
        block_on(async {
            use tokio::io::AsyncWriteExt;
            let mut out = UnblockWrite::with_capacity(1000, writer);
            for piece in sent.chunks(333) {
                out.write_all(piece).await.unwrap();
            }
            out.flush().await.unwrap();
            assert!(flushes.load(Ordering::SeqCst) >= 1, "flush reached the writer");
            out.shutdown().await.unwrap();
            // Shut down: the writer was dropped before shutdown returned.
            dropped.try_recv().expect("the writer is dropped by shutdown");
            assert_eq!(out.write(b"late").await.unwrap_err().kind(), io::ErrorKind::BrokenPipe);
        });
    });
    assert!(*bytes.lock().unwrap() == data, "bytes lost or reordered");
}

#[test]
fn a_dropped_writer_still_writes_what_it_accepted() {
    let data = pattern(100_000);
    let (writer, bytes, flushes, dropped) = shared();
    let sent = data.clone();
    with_deadline("drop-writer", move || {
        block_on(async {
            let mut out = unblock_write(writer);
            futures::AsyncWriteExt::write_all(&mut out, &sent).await.unwrap();
        });
        dropped.recv().expect("the writer is dropped on the pool");
    });
    assert!(*bytes.lock().unwrap() == data, "accepted bytes were lost");
    assert_eq!(flushes.load(Ordering::SeqCst), 1, "flushed once before the drop");
}

/// Fails every write.
struct Broken;

impl Write for Broken {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"))
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_write_error_is_returned_by_the_next_call() {
    let kind = with_deadline("write-error", || {
        block_on(async {
            use tokio::io::AsyncWriteExt;
            let mut out = unblock_write(Broken);
            out.write_all(b"accepted, then fails on the pool").await.unwrap();
            out.flush().await.unwrap_err().kind()
        })
    });
    assert_eq!(kind, io::ErrorKind::StorageFull);
}

#[test]
fn block_on_io_moves_bytes_between_sync_code_and_a_tokio_task() {
    let runtime = deadline::tokio_runtime();
    let handle = runtime.handle().clone();
    let echoed = with_deadline("duplex", move || {
        let (sync_end, mut async_end) = tokio::io::duplex(16);
        handle.spawn(async move {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let mut buf = [0; 5];
            async_end.read_exact(&mut buf).await.unwrap();
            buf.reverse();
            async_end.write_all(&buf).await.unwrap();
        });
        let mut io = block_on_io(sync_end);
        io.write_all(b"hello").unwrap();
        let mut back = [0; 5];
        io.read_exact(&mut back).unwrap();
        back
    });
    assert_eq!(&echoed, b"olleh");
    drop(runtime);
}

#[test]
fn async_to_sync_to_async_round_trips_through_both_families() {
    let data = pattern(50_000);
    let expected = data.clone();
    let got = with_deadline("round-trip", move || {
        let mut out = block_on_futures_io(Vec::new());
        let mut reader = block_on_io(unblock_read(io::Cursor::new(data)));
        io::copy(&mut reader, &mut out).unwrap();
        out.close().unwrap();
        out.into_inner()
    });
    assert!(got == expected);
}

#[test]
fn a_blocking_reader_on_a_current_thread_runtime_panics_instead_of_hanging() {
    // tokio-util's SyncIoBridge can hang here (tokio#7441): the bridged
    // reader would park the runtime's only thread, which drives its I/O.
    let ended = catching("current-thread-read", || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let (sync_end, mut async_end) = tokio::io::duplex(16);
            tokio::spawn(
                async move { tokio::io::AsyncWriteExt::write_all(&mut async_end, b"x").await },
            );
            block_on_io(sync_end).read(&mut [0; 1])
        })
    });
    let text = panic_message(&*ended.expect_err("refused"));
    assert!(text.contains("`twoworlds::BlockOnIo::read` is a blocking call"), "{text}");
    assert!(text.contains("is driving tokio tasks"), "{text}");
}

#[test]
fn block_on_futures_io_inside_block_on_panics_with_the_misuse_message() {
    let ended = catching("futures-io-misuse", || {
        block_on(async { block_on_futures_io(Vec::new()).write(b"x") })
    });
    let text = panic_message(&*ended.expect_err("refused"));
    assert!(text.contains("`twoworlds::BlockOnFuturesIo::write` is a blocking call"), "{text}");
    assert!(text.contains("twoworlds::unblock(..)"), "{text}");
}
