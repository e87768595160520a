//! Sync closures handed to async code as closures returning futures.
//!
//! The blanket impl of a `#[dual]` trait's blocking trait calls the async
//! method. Where the blocking method takes a sync closure (`F: FnMut(A) ->
//! T`) and the async one a closure returning a future (`F: FnMut(A) ->
//! Fut`), it hands over a closure whose future calls the sync closure when
//! it is first polled: where the async method awaits it, as an async
//! closure's body (`|a| async move { .. }`) would run — not where it calls
//! the closure. An implementor that calls first and awaits later (`let fut
//! = op(a); log(); fut.await`) then sees the same order in both worlds.
//!
//! A closure returning a future cannot lend that future its own state, so
//! the futures share the sync closure through an `Arc<Mutex<_>>` (each call
//! takes the lock only while the sync closure runs); an `FnOnce` is moved
//! into its one future instead ([`call_later`]).
//!
//! The same adapter lets the twin of a trait impl's method keep the trait's
//! sync closure param where its body calls the closure first and awaits
//! later (a `#[dual] mod`'s trait and its impls).

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

/// A future that runs a sync call when first polled and is ready with its
/// value.
///
/// ```
/// use twoworlds_runtime::__private::call_later;
/// let mut ran = false;
/// let future = call_later(|| {
///     ran = true;
///     7
/// });
/// // Nothing has run yet; polling runs the call.
/// assert_eq!(twoworlds_runtime::block_on(future), 7);
/// assert!(ran);
/// ```
#[must_use = "a `CallLater` runs its call only when polled"]
pub struct CallLater<C> {
    /// The call, until the first poll takes it.
    call: Option<C>,
}

// The call is moved out on the first poll, never pinned: the future may
// move whatever the call is.
impl<C> Unpin for CallLater<C> {}

impl<C: FnOnce() -> T, T> Future for CallLater<C> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<T> {
        let call = self
            .get_mut()
            .call
            .take()
            .expect("twoworlds: a `call_later` future was polled after it completed");
        Poll::Ready(call())
    }
}

// A blocking twin awaiting one runs the call (no `block_on`, and `strict`
// accepts it).
impl<C: FnOnce() -> T, T> super::DualFuture for CallLater<C> {
    type Blocking = T;

    fn run_blocking(self: Pin<&mut Self>) -> T {
        let call = self
            .get_mut()
            .call
            .take()
            .expect("twoworlds: a `call_later` future was run after it completed");
        call()
    }
}

/// A future that runs `call` when first polled (see the module docs).
pub fn call_later<C: FnOnce() -> T, T>(call: C) -> CallLater<C> {
    CallLater { call: Some(call) }
}

/// A sync closure shared by the futures of the closure that adapts it (see
/// the module docs).
///
/// ```
/// use twoworlds_runtime::__private::SharedClosure;
/// let mut calls = 0;
/// let shared = SharedClosure::new(move |x: u32| {
///     calls += 1;
///     x * calls
/// });
/// let adapted = move |x: u32| shared.call_later(move |f| f(x));
/// let (first, second) = (adapted(10), adapted(10));
/// // Called in the order polled, not in the order made.
/// assert_eq!(twoworlds_runtime::block_on(second), 10);
/// assert_eq!(twoworlds_runtime::block_on(first), 20);
/// ```
pub struct SharedClosure<F> {
    /// The closure; locked while it runs.
    closure: Arc<Mutex<F>>,
}

impl<F> SharedClosure<F> {
    /// Shares `closure`.
    pub fn new(closure: F) -> Self {
        SharedClosure { closure: Arc::new(Mutex::new(closure)) }
    }

    /// A future that runs `call` on the closure when first polled.
    pub fn call_later<C, T>(&self, call: C) -> CallLater<impl FnOnce() -> T + use<F, C, T>>
    where
        C: FnOnce(&mut F) -> T,
    {
        let closure = Arc::clone(&self.closure);
        call_later(move || {
            // A panic of an earlier call poisons the lock; the closure's
            // state is what that call left, as it would be without a lock.
            let mut closure = closure.lock().unwrap_or_else(PoisonError::into_inner);
            call(&mut closure)
        })
    }
}

impl<F> std::fmt::Debug for SharedClosure<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedClosure").finish_non_exhaustive()
    }
}

impl<C> std::fmt::Debug for CallLater<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallLater").field("polled", &self.call.is_none()).finish()
    }
}
