//! The runtime behind `twoworlds`: the plumbing that lets sync and async code
//! call each other.
//!
//! - [`block_on`] — async → sync: run a future to completion on this thread.
//! - [`unblock`] — sync → async: run a blocking closure on a bounded pool.
//! - [`unblock_thread_sensitive`] — sync → async for functions that must
//!   always run on the same thread (see [Thread-sensitive
//!   execution](#thread-sensitive-execution)); [`thread_sensitive_scope`].
//! - [`ContextLocal`] / [`CallContext`] — values that follow the logical call
//!   across bridges (see [Context across bridges](#context-across-bridges));
//!   [`CallContext::unblock`] runs a bridged call in a context you give.
//! - [`async_single_thread_scope`] — successive blocking calls of async code
//!   sharing one event-loop thread of their own (asgiref's
//!   `AsyncSingleThreadContext`).
//! - [`watchdog`] — debug mode: report polls that block their thread ([`watch`]).
//! - streams and I/O across the bridge (see [Streams and I/O](#streams-and-io)):
//!   [`unblock_iter`], `unblock_read`, `unblock_write` (sync → async, on
//!   the pool); [`block_on_stream`], `block_on_io`, `block_on_futures_io`
//!   (async → sync).
//! - feature `tokio`: `set_tokio_handle` / `clear_tokio_handle` — the
//!   tokio runtime `block_on` runs futures in (a shut-down one is refused
//!   with a clear error).
//!
//! Users depend on the `twoworlds` facade, which re-exports everything here.
//!
//! # Thread-sensitive execution
//!
//! Some sync functions must always run on the same thread: a `!Send` handle
//! kept in a thread-local, a GUI thread, a library that is not thread-safe.
//! [`unblock_thread_sensitive`] (and `#[bridge(thread_sensitive)]`) runs them,
//! first match wins:
//! 1. when the async code was entered from sync code through [`block_on`], on
//!    the outermost such thread, which runs queued work while it waits — a
//!    sync-outermost program keeps all thread-sensitive work on its own thread;
//! 2. inside a [`thread_sensitive_scope`], on that scope's own thread;
//! 3. otherwise on one process-wide dedicated thread.
//!
//! Nested sync → async → sync chains of any depth keep that work on the same
//! thread. Leaving a scope never waits for its thread (which ends once its
//! work is done) and takes no pool thread; [`thread_sensitive_stats`] counts
//! the dedicated threads. Each thread runs thread-sensitive calls one at a time (serialized),
//! so use plain [`unblock`] — the default — for everything else. A call that
//! cannot run fails with a clear [`ThreadSensitiveError`] instead of hanging:
//! when it would wait for the thread that is waiting for it (deadlock), or
//! when every `block_on` that could run it has returned.
//!
//! # Context across bridges
//!
//! A [`ContextLocal`] bound in sync code is visible to the async code it calls
//! through [`block_on`], and to the sync code that code calls through
//! [`unblock`] (and back, at any depth); a new thread does not see it unless
//! you carry it with [`CallContext`] — as for a task you spawn, which Python
//! would give a copy of the context implicitly:
//! `spawn(CallContext::current().scope(fut))`. With the `tracing` feature the
//! current `tracing::Span` follows every bridge the same way.
//!
//! # Layers
//!
//! `context` owns the bindings, `thread_sensitive` the placement of
//! thread-sensitive work (and depends on `context`), `call_context` composes
//! the two; `block_on` uses the thread-sensitive frames and tells a thread's
//! owner about its waits through a hook (the pool installs one), never
//! reaching into the pool.
//!
//! # Streams and I/O
//!
//! | from \ to | async code | sync code |
//! |---|---|---|
//! | `Iterator` | [`unblock_iter`] → `Stream` | — |
//! | `Read` / `BufRead` | `unblock_read` → `AsyncRead` + `AsyncBufRead` | — |
//! | `Write` | `unblock_write` → `AsyncWrite` | — |
//! | `Stream` | — | [`block_on_stream`] → `Iterator` |
//! | `AsyncRead` / `AsyncWrite` | — | `block_on_io` (tokio's traits), `block_on_futures_io` (futures-io's) → `Read` / `Write` |
//!
//! The pool-backed side reads ahead (or writes behind) in batches, with
//! back-pressure, and stops when dropped; the blocking side checks every call
//! like [`block_on`], so used from async code it panics with a clear message
//! instead of hanging. The async traits are futures-core's `Stream`, and
//! tokio's (feature `tokio`) and futures-io's (feature `futures-io`) I/O
//! traits.
#![forbid(unsafe_code)]
// docs.rs (`--cfg docsrs`, nightly) marks the feature-gated items.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod block_on;
mod call_context;
mod context;
mod io;
mod pool;
mod pump;
mod single_thread;
mod spin;
mod stream;
mod sync;
mod thread_sensitive;
#[cfg(feature = "tokio")]
mod tokio_context;
mod twin;
pub mod watchdog;

pub use block_on::{BlockOnError, BlockOnErrorKind, block_on, try_block_on};
pub use call_context::{CallContext, InCallContext};
pub use context::{ContextLocal, LocalScope};
#[cfg(feature = "futures-io")]
pub use io::{BlockOnFuturesIo, block_on_futures_io};
#[cfg(feature = "tokio")]
pub use io::{BlockOnIo, block_on_io};
#[cfg(any(feature = "tokio", feature = "futures-io"))]
pub use io::{DEFAULT_IO_CAPACITY, UnblockRead, UnblockWrite, unblock_read, unblock_write};
pub use pool::{
    DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_THREADS, MAX_THREADS_ENV, PoolStats, max_threads, pool_stats,
    set_idle_timeout, set_max_threads, unblock,
};
pub use single_thread::{AsyncSingleThread, async_single_thread_scope};
pub use stream::{
    BlockOnStream, DEFAULT_ITER_CAPACITY, UnblockIter, block_on_stream, unblock_iter,
};
pub use thread_sensitive::{
    ThreadSensitiveError, ThreadSensitiveScope, ThreadSensitiveStats, thread_sensitive_scope,
    thread_sensitive_stats, try_unblock_thread_sensitive, unblock_thread_sensitive,
};
#[cfg(feature = "tokio")]
pub use tokio_context::{clear_tokio_handle, set_tokio_handle};
pub use twin::DualFuture;
pub use watchdog::watch;

/// Items used by code that `#[dual]` and `#[bridge]` generate. Not public API:
/// names and signatures may change in any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::__into_iter as into_iter;
    pub use crate::__settle_await as settle_await;
    pub use crate::block_on::{
        TWIN_CHECKS, block_on_named, check_blocking_twin, try_block_on_named,
    };
    pub use crate::pool::unblock_named;
    pub use crate::stream::{Lazy, block_on_stream_named, unblock_iter_named};
    pub use crate::thread_sensitive::unblock_thread_sensitive_named;
    pub use crate::twin::context::{Entered, TwinRuntime, twin_runtime};
    pub use crate::twin::later::{CallLater, SharedClosure, call_later};
    pub use crate::twin::settle;
    pub use crate::twin::settle::{call_once, run_twin};
    pub use crate::twin::std_mirror;
    pub use crate::twin::stream::{self, IterStreamExt};
    pub use crate::twin::{Branch, Dual, DualFuture, Shell, World};
    pub use crate::watchdog::watch;
    pub use futures_core::Stream;
}
