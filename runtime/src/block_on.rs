//! `block_on`: async → sync. Runs a future to completion on the calling
//! thread, parking it between polls.
//!
//! STUB: a minimal correct version so the macros can be built and tested; the
//! foundation issue replaces it with the real one (misuse detection, tokio
//! context, no allocation on the fast path).

use std::fmt;
use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

/// Why [`try_block_on`] refused to run a future.
#[derive(Debug)]
pub struct BlockOnError {
    /// The function that asked to block.
    function: &'static str,
}

impl fmt::Display for BlockOnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` was called from async code", self.function)
    }
}

impl std::error::Error for BlockOnError {}

/// Wakes the parked thread that is blocked on the future.
struct ThreadWaker(Thread);

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

/// Runs `fut` to completion on this thread and returns its output.
///
/// ```
/// assert_eq!(twoworlds_runtime::block_on(async { 1 + 1 }), 2);
/// ```
#[track_caller]
pub fn block_on<F: Future>(fut: F) -> F::Output {
    block_on_named("twoworlds::block_on", fut)
}

/// Like [`block_on`], but returns an error instead of panicking on misuse.
///
/// ```
/// assert_eq!(twoworlds_runtime::try_block_on(async { 3 }).unwrap(), 3);
/// ```
///
/// # Errors
/// When called from async code.
pub fn try_block_on<F: Future>(fut: F) -> Result<F::Output, BlockOnError> {
    Ok(run(fut))
}

/// [`block_on`] on behalf of a generated blocking twin named `twin`, so a
/// misuse message names the function the user actually called.
#[doc(hidden)]
#[track_caller]
pub fn block_on_named<F: Future>(twin: &'static str, fut: F) -> F::Output {
    match try_block_on_named(twin, fut) {
        Ok(out) => out,
        Err(err) => panic!("{err}"),
    }
}

fn try_block_on_named<F: Future>(twin: &'static str, fut: F) -> Result<F::Output, BlockOnError> {
    let _ = BlockOnError { function: twin };
    Ok(run(fut))
}

fn run<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    let waker = Waker::from(Arc::new(ThreadWaker(thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
            return out;
        }
        crate::thread_sensitive::run_pending_on_this_thread();
        thread::park();
    }
}
