//! Thread-sensitive scopes (asgiref's `ThreadSensitiveContext`): inside one,
//! thread-sensitive work that no `block_on` serves runs on the scope's own
//! thread instead of the process-wide one — e.g. one thread per request.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::Poll;

use super::executor::{Executor, shut_down, spawn_dedicated};
use super::placement;

/// A scope's thread, started when its first job arrives and stopped when the
/// last context that refers to the scope is gone.
pub(crate) struct Scope {
    /// The scope's executor, once started.
    executor: OnceLock<Arc<Executor>>,
}

impl Scope {
    /// The scope's executor, starting its thread on first use.
    pub(crate) fn executor(&self) -> std::io::Result<Arc<Executor>> {
        if let Some(executor) = self.executor.get() {
            return Ok(Arc::clone(executor));
        }
        let fresh = spawn_dedicated("twoworlds-thread-sensitive-scope")?;
        if let Err(fresh) = self.executor.set(fresh) {
            // Another thread started one first: stop ours, use theirs.
            shut_down(&fresh);
        }
        Ok(Arc::clone(self.executor.get().expect("set above")))
    }
}

impl Scope {
    /// The scope's thread, `None` until its first job started it.
    pub(crate) fn thread_id(&self) -> Option<std::thread::ThreadId> {
        self.executor.get().map(|e| e.thread_id())
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        if let Some(executor) = self.executor.get() {
            shut_down(executor);
        }
    }
}

/// Runs `fut` inside a thread-sensitive scope: thread-sensitive calls made
/// inside it that no `block_on` serves run on one thread of their own, shared
/// by the whole scope and by nothing else (asgiref's `ThreadSensitiveContext`;
/// Django opens one per request). Sibling scopes get different threads;
/// a scope opened inside another scope reuses the outer one. The thread starts
/// with the first such call and ends once the scope and all work it started
/// are done.
///
/// Without a scope, that work shares one process-wide thread, so concurrent
/// requests wait for each other's thread-sensitive calls.
///
/// ```
/// use twoworlds_runtime::{thread_sensitive_scope, unblock_thread_sensitive};
///
/// # let rt = tokio::runtime::Runtime::new().unwrap();
/// rt.block_on(async {
///     let (a, b) = thread_sensitive_scope(async {
///         let a = unblock_thread_sensitive(|| std::thread::current().id()).await;
///         let b = unblock_thread_sensitive(|| std::thread::current().id()).await;
///         (a, b)
///     })
///     .await;
///     assert_eq!(a, b); // one thread per scope
/// });
/// ```
pub fn thread_sensitive_scope<F: Future>(fut: F) -> ThreadSensitiveScope<F> {
    ThreadSensitiveScope { scope: None, fut }
}

pin_project_lite::pin_project! {
    /// A future running inside a thread-sensitive scope; made by
    /// [`thread_sensitive_scope`].
    ///
    /// ```
    /// use twoworlds_runtime::{ThreadSensitiveScope, thread_sensitive_scope};
    /// let scoped: ThreadSensitiveScope<_> = thread_sensitive_scope(async { 1 });
    /// assert_eq!(twoworlds_runtime::block_on(scoped), 1);
    /// ```
    #[must_use = "futures do nothing unless polled"]
    pub struct ThreadSensitiveScope<F> {
        // Decided at the first poll: the enclosing scope, or a new one.
        scope: Option<Arc<Scope>>,
        #[pin]
        fut: F,
    }
}

impl<F: Future> Future for ThreadSensitiveScope<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let mut here = placement::current_here();
        let scope = this.scope.get_or_insert_with(|| {
            here.scope.clone().unwrap_or_else(|| Arc::new(Scope { executor: OnceLock::new() }))
        });
        here.scope = Some(Arc::clone(scope));
        let _entered = placement::enter(here);
        this.fut.poll(cx)
    }
}

impl<F> std::fmt::Debug for ThreadSensitiveScope<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ThreadSensitiveScope").finish_non_exhaustive()
    }
}
