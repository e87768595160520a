//! [`unblock_read`]: sync → async for readers. The reader runs on the pool
//! (see `crate::pump`), filling 64 KiB chunks ahead of the consumer; the
//! async side copies out of the chunk in hand and hands spent chunks back to
//! be read into again.

use std::fmt;
use std::io::{self, Read};
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, ready};

use super::{CHUNK, DEFAULT_IO_CAPACITY};
use crate::pump::{Receiver, Source, Step};

/// The name messages show for the reader.
const UNBLOCK_READ: &str = "twoworlds::unblock_read";

/// Runs the blocking reader `reader` on the pool and exposes it as an async
/// reader: tokio's `AsyncRead` and `AsyncBufRead` (feature `tokio`) and
/// futures-io's (feature `futures-io`).
///
/// **The pitfall it avoids**: a `std::io::Read` (a file, a pipe from a child
/// process, stdin, a sync decompressor) read inside async code blocks the
/// executor's thread for every read. Here every `read` runs on a thread of
/// the [`unblock`](crate::unblock) pool:
///
/// - **read-ahead with back-pressure**: up to [`DEFAULT_IO_CAPACITY`] bytes
///   (see [`UnblockRead::with_capacity`]) are read ahead in chunks of up to
///   64 KiB; then the reading pauses and its pool thread is released until
///   the consumer catches up. The chunks are reused, not reallocated;
/// - **end of file and errors** are reported in order, after the bytes read
///   before them, and reading resumes only when the consumer reads again (a
///   terminal or a pipe is never read past its end behind your back);
///   `Interrupted` is retried;
/// - **cancellation**: dropping the reader stops reading after the read in
///   progress; the bytes read ahead are dropped with it, and the inner
///   reader is dropped on a pool thread;
/// - a panic in the reader resumes in the consumer.
///
/// It is already buffered: it implements `AsyncBufRead` itself, so there is
/// no need to wrap it in a `BufReader`.
///
/// ```
/// # #[cfg(feature = "tokio")]
/// # twoworlds_runtime::block_on(async {
/// use tokio::io::AsyncReadExt;
///
/// let file = std::io::Cursor::new(b"hello, world".to_vec()); // or a std::fs::File
/// let mut reader = twoworlds_runtime::unblock_read(file);
/// let mut text = String::new();
/// reader.read_to_string(&mut text).await.unwrap();
/// assert_eq!(text, "hello, world");
/// # });
/// ```
#[cfg_attr(docsrs, doc(cfg(any(feature = "tokio", feature = "futures-io"))))]
pub fn unblock_read<R: Read + Send + 'static>(reader: R) -> UnblockRead<R> {
    UnblockRead::with_capacity(DEFAULT_IO_CAPACITY, reader)
}

/// A blocking reader run on the pool, as an async reader: made by
/// [`unblock_read`], which says how it runs and which stall it avoids.
///
/// ```
/// # #[cfg(feature = "tokio")]
/// # twoworlds_runtime::block_on(async {
/// use tokio::io::AsyncBufReadExt;
///
/// let input = std::io::Cursor::new("one\ntwo\n");
/// let mut lines = twoworlds_runtime::UnblockRead::with_capacity(4, input).lines();
/// assert_eq!(lines.next_line().await.unwrap().as_deref(), Some("one"));
/// assert_eq!(lines.next_line().await.unwrap().as_deref(), Some("two"));
/// assert_eq!(lines.next_line().await.unwrap(), None);
/// # });
/// ```
#[cfg_attr(docsrs, doc(cfg(any(feature = "tokio", feature = "futures-io"))))]
pub struct UnblockRead<R: Read + Send + 'static> {
    /// The chunks read on the pool.
    receiver: Receiver<ReadSource<R>>,
    /// The chunk being handed out.
    current: Option<Chunk>,
    /// How much of `current` was handed out.
    pos: usize,
    /// Spent chunks, for the pool to read into again.
    spare: Arc<Mutex<Vec<Vec<u8>>>>,
    /// The most spent chunks kept.
    keep: usize,
}

impl<R: Read + Send + 'static> UnblockRead<R> {
    /// Like [`unblock_read`], reading at most `capacity` bytes (at least 1)
    /// ahead instead of [`DEFAULT_IO_CAPACITY`].
    ///
    /// ```
    /// let reader = twoworlds_runtime::UnblockRead::with_capacity(16, std::io::empty());
    /// # drop(reader);
    /// ```
    pub fn with_capacity(capacity: usize, reader: R) -> Self {
        let chunk = capacity.clamp(1, CHUNK);
        let chunks = capacity.div_ceil(chunk).max(1);
        let spare = Arc::new(Mutex::new(Vec::new()));
        let source = ReadSource { reader, chunk, spare: Arc::clone(&spare) };
        UnblockRead {
            receiver: Receiver::new(UNBLOCK_READ, source, chunks),
            current: None,
            pos: 0,
            spare,
            // Up to twice the capacity is in flight (the queue and the
            // batch in hand): keep that many, so none is reallocated.
            keep: 2 * chunks + 1,
        }
    }

    /// The bytes read and not handed out yet, waiting for a chunk if there
    /// are none; empty at the end of the file.
    fn poll_fill(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        while self.current.as_ref().is_none_or(|chunk| self.pos >= chunk.len) {
            if let Some(spent) = self.current.take() {
                self.recycle(spent.buf);
            }
            match ready!(self.receiver.poll_next(cx)) {
                Some(Ok(chunk)) if chunk.len == 0 => {
                    self.recycle(chunk.buf);
                    return Poll::Ready(Ok(&[]));
                }
                Some(Ok(chunk)) => {
                    self.current = Some(chunk);
                    self.pos = 0;
                }
                Some(Err(error)) => return Poll::Ready(Err(error)),
                None => return Poll::Ready(Ok(&[])),
            }
        }
        match &self.current {
            Some(chunk) => Poll::Ready(Ok(&chunk.buf[self.pos..chunk.len])),
            None => Poll::Ready(Ok(&[])),
        }
    }

    /// Marks `amount` bytes of the chunk in hand as handed out.
    fn consume(&mut self, amount: usize) {
        let len = self.current.as_ref().map_or(0, |chunk| chunk.len);
        self.pos = (self.pos + amount).min(len);
    }

    /// Copies the next bytes into `buf`.
    #[cfg(feature = "futures-io")]
    fn poll_read_into(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        if buf.is_empty() {
            return Poll::Ready(Ok(0));
        }
        let data = ready!(self.poll_fill(cx))?;
        let n = data.len().min(buf.len());
        buf[..n].copy_from_slice(&data[..n]);
        self.consume(n);
        Poll::Ready(Ok(n))
    }

    /// Keeps a spent chunk for the pool to read into again.
    fn recycle(&self, buf: Vec<u8>) {
        let mut spare = self.spare.lock().unwrap_or_else(PoisonError::into_inner);
        if spare.len() < self.keep {
            spare.push(buf);
        }
    }
}

impl<R: Read + Send + 'static> fmt::Debug for UnblockRead<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnblockRead").finish_non_exhaustive()
    }
}

#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
impl<R: Read + Send + 'static> tokio::io::AsyncRead for UnblockRead<R> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if buf.remaining() == 0 {
            return Poll::Ready(Ok(()));
        }
        let data = ready!(this.poll_fill(cx))?;
        let n = data.len().min(buf.remaining());
        buf.put_slice(&data[..n]);
        this.consume(n);
        Poll::Ready(Ok(()))
    }
}

#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
impl<R: Read + Send + 'static> tokio::io::AsyncBufRead for UnblockRead<R> {
    fn poll_fill_buf(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        self.get_mut().poll_fill(cx)
    }

    fn consume(self: Pin<&mut Self>, amount: usize) {
        self.get_mut().consume(amount);
    }
}

#[cfg(feature = "futures-io")]
#[cfg_attr(docsrs, doc(cfg(feature = "futures-io")))]
impl<R: Read + Send + 'static> futures_io::AsyncRead for UnblockRead<R> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        self.get_mut().poll_read_into(cx, buf)
    }
}

#[cfg(feature = "futures-io")]
#[cfg_attr(docsrs, doc(cfg(feature = "futures-io")))]
impl<R: Read + Send + 'static> futures_io::AsyncBufRead for UnblockRead<R> {
    fn poll_fill_buf(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        self.get_mut().poll_fill(cx)
    }

    fn consume(self: Pin<&mut Self>, amount: usize) {
        self.get_mut().consume(amount);
    }
}

/// Bytes read on the pool. The buffer keeps its full length when reused,
/// so it is never zeroed again.
struct Chunk {
    /// The buffer.
    buf: Vec<u8>,
    /// How much of it was read; 0 at the end of the file.
    len: usize,
}

/// The reader as the pool job sees it.
struct ReadSource<R> {
    /// The blocking reader.
    reader: R,
    /// The size of a new chunk.
    chunk: usize,
    /// Spent chunks handed back by the consumer.
    spare: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl<R: Read + Send + 'static> Source for ReadSource<R> {
    type Item = io::Result<Chunk>;

    fn step(&mut self) -> Step<io::Result<Chunk>> {
        let spare = self.spare.lock().unwrap_or_else(PoisonError::into_inner).pop();
        let mut buf = spare.unwrap_or_else(|| vec![0; self.chunk]);
        loop {
            match self.reader.read(&mut buf) {
                Ok(0) => return Step::Pause(Ok(Chunk { buf, len: 0 })),
                Ok(len) => return Step::Item(Ok(Chunk { buf, len })),
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Step::Pause(Err(error)),
            }
        }
    }
}
