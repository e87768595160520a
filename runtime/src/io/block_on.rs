//! [`block_on_io`] and [`block_on_futures_io`]: async → sync for readers and
//! writers. Each `read`, `write` or `flush` runs one poll of the async
//! reader or writer to completion through [`block_on`](crate::block_on),
//! with its misuse detection.
//!
//! Two types, one per trait family: a type may implement both tokio's and
//! futures-io's `AsyncRead`, and one wrapper can't implement `Read` for both.

#[cfg(feature = "futures-io")]
use std::future::poll_fn;
use std::io::{self, Read, Write};
#[cfg(feature = "futures-io")]
use std::pin::Pin;

use crate::block_on::block_on_named;

/// Turns tokio's async reader or writer `io` into a blocking
/// [`Read`]/[`Write`] for sync code (feature `tokio`): each call waits on
/// this thread, like [`block_on`](crate::block_on).
///
/// **The pitfall it avoids**: tokio-util's `SyncIoBridge` blocks through
/// `Handle::block_on`, which can hang on a current-thread runtime
/// (tokio#7441): if the bridge is read on the runtime's own thread, nothing
/// is left to drive the I/O it waits for. Here every call is checked like
/// `block_on`: on a thread driving tokio tasks (or inside a `block_on`'s
/// poll) it panics at once with a message that names the call and the fix —
/// use the async reader with `.await` there, or move the sync code to a
/// thread that may block with [`unblock`](crate::unblock) (which carries the
/// tokio runtime along, so the reader's I/O keeps working).
///
/// `Read` needs `T: AsyncRead + Unpin`, `Write` needs `T: AsyncWrite +
/// Unpin` (pin a `!Unpin` one with `Box::pin`). For `BufRead`, wrap it in a
/// `std::io::BufReader`.
///
/// ```
/// use std::io::{Read, Write};
///
/// let mut reader = twoworlds_runtime::block_on_io(&b"from async"[..]);
/// let mut text = String::new();
/// reader.read_to_string(&mut text).unwrap();
/// assert_eq!(text, "from async");
///
/// let mut writer = twoworlds_runtime::block_on_io(Vec::new());
/// writer.write_all(b"to async").unwrap();
/// writer.shutdown().unwrap();
/// assert_eq!(writer.into_inner(), b"to async");
///
/// // From async code it refuses to block, instead of hanging.
/// let misuse = std::panic::catch_unwind(|| {
///     twoworlds_runtime::block_on(async {
///         twoworlds_runtime::block_on_io(&b"x"[..]).read(&mut [0; 1])
///     })
/// });
/// assert!(misuse.is_err());
/// ```
#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
#[must_use]
pub fn block_on_io<T>(io: T) -> BlockOnIo<T> {
    BlockOnIo { io }
}

/// Tokio's async reader or writer as a blocking `Read`/`Write`: made by
/// [`block_on_io`], which says what it does and which hang it avoids.
///
/// ```
/// use std::io::Read;
///
/// let mut reader: twoworlds_runtime::BlockOnIo<&[u8]> = twoworlds_runtime::block_on_io(&b"ab"[..]);
/// let mut byte = [0; 1];
/// reader.read_exact(&mut byte).unwrap();
/// assert_eq!(reader.get_ref(), b"b");
/// ```
#[cfg(feature = "tokio")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio")))]
#[derive(Debug)]
pub struct BlockOnIo<T> {
    /// The async reader or writer.
    io: T,
}

#[cfg(feature = "tokio")]
mod tokio_io {
    use std::future::poll_fn;
    use std::pin::Pin;
    use std::task::{Poll, ready};

    use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

    use super::{BlockOnIo, Read, Write, block_on_named, io};

    impl<T> BlockOnIo<T> {
        /// The async reader or writer.
        ///
        /// ```
        /// let io = twoworlds_runtime::block_on_io(vec![1_u8]);
        /// assert_eq!(io.into_inner(), [1]);
        /// ```
        #[must_use]
        pub fn into_inner(self) -> T {
            self.io
        }

        /// A reference to the async reader or writer.
        ///
        /// ```
        /// let io = twoworlds_runtime::block_on_io(vec![1_u8]);
        /// assert_eq!(io.get_ref().len(), 1);
        /// ```
        #[must_use]
        pub fn get_ref(&self) -> &T {
            &self.io
        }

        /// A mutable reference to the async reader or writer.
        ///
        /// ```
        /// let mut io = twoworlds_runtime::block_on_io(vec![1_u8]);
        /// io.get_mut().push(2);
        /// assert_eq!(io.into_inner(), [1, 2]);
        /// ```
        #[must_use]
        pub fn get_mut(&mut self) -> &mut T {
            &mut self.io
        }
    }

    impl<T: AsyncWrite + Unpin> BlockOnIo<T> {
        /// Shuts the writer down (tokio's `poll_shutdown`), waiting on this
        /// thread.
        ///
        /// ```
        /// let mut io = twoworlds_runtime::block_on_io(Vec::<u8>::new());
        /// io.shutdown().unwrap();
        /// ```
        ///
        /// # Errors
        /// The writer's.
        ///
        /// # Panics
        /// When called from async code, like [`block_on`](crate::block_on).
        #[track_caller]
        pub fn shutdown(&mut self) -> io::Result<()> {
            let io = &mut self.io;
            block_on_named(
                "twoworlds::BlockOnIo::shutdown",
                poll_fn(|cx| Pin::new(&mut *io).poll_shutdown(cx)),
            )
        }
    }

    impl<T: AsyncRead + Unpin> Read for BlockOnIo<T> {
        /// Waits on this thread for the async reader.
        ///
        /// # Panics
        /// When called from async code, like [`block_on`](crate::block_on).
        #[track_caller]
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let io = &mut self.io;
            block_on_named(
                "twoworlds::BlockOnIo::read",
                poll_fn(|cx| {
                    let mut read = ReadBuf::new(&mut *buf);
                    ready!(Pin::new(&mut *io).poll_read(cx, &mut read))?;
                    Poll::Ready(Ok(read.filled().len()))
                }),
            )
        }
    }

    impl<T: AsyncWrite + Unpin> Write for BlockOnIo<T> {
        /// Waits on this thread for the async writer.
        ///
        /// # Panics
        /// When called from async code, like [`block_on`](crate::block_on).
        #[track_caller]
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let io = &mut self.io;
            block_on_named(
                "twoworlds::BlockOnIo::write",
                poll_fn(|cx| Pin::new(&mut *io).poll_write(cx, buf)),
            )
        }

        /// Waits on this thread for the async writer's flush.
        ///
        /// # Panics
        /// When called from async code, like [`block_on`](crate::block_on).
        #[track_caller]
        fn flush(&mut self) -> io::Result<()> {
            let io = &mut self.io;
            block_on_named(
                "twoworlds::BlockOnIo::flush",
                poll_fn(|cx| Pin::new(&mut *io).poll_flush(cx)),
            )
        }
    }
}

/// Turns futures-io's async reader or writer `io` (smol, async-std,
/// `futures::io`) into a blocking [`Read`]/[`Write`] for sync code (feature
/// `futures-io`): [`block_on_io`](crate::block_on_io)'s counterpart for
/// that trait family, with the same misuse detection instead of the hang of
/// a `futures::executor::block_on` inside an executor
/// (libsql-client-rs#48).
///
/// ```
/// use std::io::{Read, Write};
///
/// let mut reader = twoworlds_runtime::block_on_futures_io(&b"abc"[..]);
/// let mut text = String::new();
/// reader.read_to_string(&mut text).unwrap();
/// assert_eq!(text, "abc");
///
/// let mut writer = twoworlds_runtime::block_on_futures_io(Vec::new());
/// writer.write_all(b"xyz").unwrap();
/// writer.close().unwrap();
/// assert_eq!(writer.into_inner(), b"xyz");
/// ```
#[cfg(feature = "futures-io")]
#[cfg_attr(docsrs, doc(cfg(feature = "futures-io")))]
#[must_use]
pub fn block_on_futures_io<T>(io: T) -> BlockOnFuturesIo<T> {
    BlockOnFuturesIo { io }
}

/// futures-io's async reader or writer as a blocking `Read`/`Write`: made
/// by [`block_on_futures_io`].
///
/// ```
/// let io: twoworlds_runtime::BlockOnFuturesIo<Vec<u8>> =
///     twoworlds_runtime::block_on_futures_io(vec![7]);
/// assert_eq!(io.into_inner(), [7]);
/// ```
#[cfg(feature = "futures-io")]
#[cfg_attr(docsrs, doc(cfg(feature = "futures-io")))]
#[derive(Debug)]
pub struct BlockOnFuturesIo<T> {
    /// The async reader or writer.
    io: T,
}

#[cfg(feature = "futures-io")]
#[cfg_attr(docsrs, doc(cfg(feature = "futures-io")))]
impl<T> BlockOnFuturesIo<T> {
    /// The async reader or writer.
    ///
    /// ```
    /// assert_eq!(twoworlds_runtime::block_on_futures_io(vec![1_u8]).into_inner(), [1]);
    /// ```
    #[must_use]
    pub fn into_inner(self) -> T {
        self.io
    }
}

#[cfg(feature = "futures-io")]
#[cfg_attr(docsrs, doc(cfg(feature = "futures-io")))]
impl<T: futures_io::AsyncWrite + Unpin> BlockOnFuturesIo<T> {
    /// Closes the writer (futures-io's `poll_close`), waiting on this thread.
    ///
    /// ```
    /// twoworlds_runtime::block_on_futures_io(Vec::<u8>::new()).close().unwrap();
    /// ```
    ///
    /// # Errors
    /// The writer's.
    ///
    /// # Panics
    /// When called from async code, like [`block_on`](crate::block_on).
    #[track_caller]
    pub fn close(&mut self) -> io::Result<()> {
        let io = &mut self.io;
        block_on_named(
            "twoworlds::BlockOnFuturesIo::close",
            poll_fn(|cx| Pin::new(&mut *io).poll_close(cx)),
        )
    }
}

#[cfg(feature = "futures-io")]
#[cfg_attr(docsrs, doc(cfg(feature = "futures-io")))]
impl<T: futures_io::AsyncRead + Unpin> Read for BlockOnFuturesIo<T> {
    /// Waits on this thread for the async reader.
    ///
    /// # Panics
    /// When called from async code, like [`block_on`](crate::block_on).
    #[track_caller]
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let io = &mut self.io;
        block_on_named(
            "twoworlds::BlockOnFuturesIo::read",
            poll_fn(|cx| Pin::new(&mut *io).poll_read(cx, buf)),
        )
    }
}

#[cfg(feature = "futures-io")]
#[cfg_attr(docsrs, doc(cfg(feature = "futures-io")))]
impl<T: futures_io::AsyncWrite + Unpin> Write for BlockOnFuturesIo<T> {
    /// Waits on this thread for the async writer.
    ///
    /// # Panics
    /// When called from async code, like [`block_on`](crate::block_on).
    #[track_caller]
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let io = &mut self.io;
        block_on_named(
            "twoworlds::BlockOnFuturesIo::write",
            poll_fn(|cx| Pin::new(&mut *io).poll_write(cx, buf)),
        )
    }

    /// Waits on this thread for the async writer's flush.
    ///
    /// # Panics
    /// When called from async code, like [`block_on`](crate::block_on).
    #[track_caller]
    fn flush(&mut self) -> io::Result<()> {
        let io = &mut self.io;
        block_on_named(
            "twoworlds::BlockOnFuturesIo::flush",
            poll_fn(|cx| Pin::new(&mut *io).poll_flush(cx)),
        )
    }
}
