//! [`ContextLocal`]: a value that follows the logical call across bridges.
//!
//! Bindings are a persistent linked list (`Arc<Binding>`): binding a value
//! pushes one node in front of the current list, so capturing the context is
//! one `Arc` clone and a child can never change what its parent sees. A
//! hand-written list rather than a persistent-map crate: lookups walk the
//! handful of scopes actually open, which is cheaper than hashing.

use std::any::Any;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::Poll;

use super::{current_locals, enter_locals, with_locals};

/// One binding of one [`ContextLocal`] in a context.
pub(crate) struct Binding {
    /// The key of the [`ContextLocal`] this binds.
    key: u64,
    /// The bound value; `None` hides an outer binding (the key reads as unset).
    value: Option<Arc<dyn Any + Send + Sync>>,
    /// The bindings that were visible before this one.
    next: Option<Arc<Binding>>,
}

/// Source of [`ContextLocal`] keys; 0 means "not assigned yet".
static NEXT_KEY: AtomicU64 = AtomicU64::new(1);

/// A value bound for the duration of a closure or a future, visible to
/// everything that logical call does — across `block_on`, `unblock` and the
/// thread-sensitive executor, at any depth (asgiref's `Local`, Python's
/// contextvars).
///
/// - Bound with a scope, never set: [`sync_scope`](Self::sync_scope) binds it
///   while a closure runs, [`scope`](Self::scope) while a future is polled
///   (like tokio's `task_local!`, but it crosses bridges and threads).
/// - A child's binding never leaks to its caller, and sibling tasks never see
///   each other's bindings. A plain new thread sees nothing (carry it with
///   [`CallContext`](crate::CallContext) if you want it there).
/// - The *value* is shared, not copied: code on the other side of a bridge
///   sees the same object, so a value with interior mutability (a `Mutex`, an
///   atomic) is how a callee hands something back to its caller.
///
/// ```
/// use twoworlds_runtime::{ContextLocal, block_on, unblock};
///
/// static REQUEST_ID: ContextLocal<u64> = ContextLocal::new();
///
/// let seen = REQUEST_ID.sync_scope(42, || {
///     // sync → async → sync: the value follows the call to a pool thread.
///     block_on(async { unblock(|| REQUEST_ID.get().map(|id| *id)).await })
/// });
/// assert_eq!(seen, Some(42));
/// assert!(!REQUEST_ID.is_set());
/// ```
pub struct ContextLocal<T> {
    /// This local's key, assigned on first use (0 = not yet).
    key: AtomicU64,
    /// The value type; `fn() -> T` keeps the local `Send + Sync` for any `T`.
    _value: PhantomData<fn() -> T>,
}

impl<T> Default for ContextLocal<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> std::fmt::Debug for ContextLocal<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContextLocal").field("key", &self.key.load(Ordering::Relaxed)).finish()
    }
}

impl<T> ContextLocal<T> {
    /// A new local, unset everywhere. `const`, so it can be a `static`.
    ///
    /// ```
    /// static LOCALE: twoworlds_runtime::ContextLocal<String> =
    ///     twoworlds_runtime::ContextLocal::new();
    /// assert!(LOCALE.get().is_none());
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        ContextLocal { key: AtomicU64::new(0), _value: PhantomData }
    }
}

impl<T: Send + Sync + 'static> ContextLocal<T> {
    /// This local's key, assigned from a global counter on first use.
    fn key(&self) -> u64 {
        let key = self.key.load(Ordering::Acquire);
        if key != 0 {
            return key;
        }
        let fresh = NEXT_KEY.fetch_add(1, Ordering::Relaxed);
        match self.key.compare_exchange(0, fresh, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => fresh,
            Err(existing) => existing,
        }
    }

    /// The current bindings with `value` bound to this local (or hidden).
    fn bound(&self, value: Option<Arc<dyn Any + Send + Sync>>) -> Arc<Binding> {
        Arc::new(Binding { key: self.key(), value, next: current_locals() })
    }

    /// Runs `f` with this local bound to `value`; the binding ends with `f`
    /// (also on panic).
    ///
    /// ```
    /// static DEPTH: twoworlds_runtime::ContextLocal<u32> = twoworlds_runtime::ContextLocal::new();
    /// DEPTH.sync_scope(1, || {
    ///     assert_eq!(DEPTH.get().as_deref(), Some(&1));
    ///     DEPTH.sync_scope(2, || assert_eq!(DEPTH.get().as_deref(), Some(&2)));
    ///     assert_eq!(DEPTH.get().as_deref(), Some(&1));
    /// });
    /// assert_eq!(DEPTH.get(), None);
    /// ```
    pub fn sync_scope<R>(&self, value: T, f: impl FnOnce() -> R) -> R {
        let _entered = enter_locals(Some(self.bound(Some(Arc::new(value)))));
        f()
    }

    /// Runs `f` with this local unset (an outer binding hidden) — the scoped
    /// form of asgiref's `del local.attr`.
    ///
    /// ```
    /// static USER: twoworlds_runtime::ContextLocal<u32> = twoworlds_runtime::ContextLocal::new();
    /// USER.sync_scope(1, || {
    ///     USER.sync_scope_unset(|| assert!(!USER.is_set()));
    ///     assert!(USER.is_set());
    /// });
    /// ```
    pub fn sync_scope_unset<R>(&self, f: impl FnOnce() -> R) -> R {
        let _entered = enter_locals(Some(self.bound(None)));
        f()
    }

    /// Wraps `fut` so that this local is bound to `value` while it is polled
    /// (on top of whatever context the poller has), wherever it is polled.
    ///
    /// ```
    /// use twoworlds_runtime::{ContextLocal, block_on, unblock};
    /// static USER: ContextLocal<String> = ContextLocal::new();
    /// let name = block_on(USER.scope("ada".to_owned(), async {
    ///     unblock(|| USER.get().map(|u| u.to_uppercase())).await
    /// }));
    /// assert_eq!(name.as_deref(), Some("ADA"));
    /// ```
    pub fn scope<F: Future>(&self, value: T, fut: F) -> LocalScope<F> {
        LocalScope { key: self.key(), value: Some(Arc::new(value)), cached: None, fut }
    }

    /// Wraps `fut` so that this local reads as unset while it is polled.
    ///
    /// ```
    /// use twoworlds_runtime::{ContextLocal, block_on};
    /// static USER: ContextLocal<u8> = ContextLocal::new();
    /// USER.sync_scope(1, || assert!(!block_on(USER.scope_unset(async { USER.is_set() }))));
    /// ```
    pub fn scope_unset<F: Future>(&self, fut: F) -> LocalScope<F> {
        LocalScope { key: self.key(), value: None, cached: None, fut }
    }

    /// The value bound in the current context, if any (a shared handle to it).
    ///
    /// ```
    /// static N: twoworlds_runtime::ContextLocal<u8> = twoworlds_runtime::ContextLocal::new();
    /// assert_eq!(N.sync_scope(3, || N.get()).as_deref(), Some(&3));
    /// ```
    #[must_use]
    pub fn get(&self) -> Option<Arc<T>> {
        let key = self.key();
        with_locals(|locals| {
            let mut node = locals;
            while let Some(binding) = node {
                if binding.key == key {
                    return binding.value.clone().and_then(|v| v.downcast::<T>().ok());
                }
                node = binding.next.as_ref();
            }
            None
        })
    }

    /// Calls `f` with a reference to the bound value, or `None`.
    ///
    /// ```
    /// static N: twoworlds_runtime::ContextLocal<Vec<u8>> = twoworlds_runtime::ContextLocal::new();
    /// let len = N.sync_scope(vec![1, 2], || N.with(|v| v.map_or(0, Vec::len)));
    /// assert_eq!(len, 2);
    /// ```
    pub fn with<R>(&self, f: impl FnOnce(Option<&T>) -> R) -> R {
        let value = self.get();
        f(value.as_deref())
    }

    /// Whether a value is bound in the current context.
    ///
    /// ```
    /// static N: twoworlds_runtime::ContextLocal<u8> = twoworlds_runtime::ContextLocal::new();
    /// assert!(!N.is_set());
    /// assert!(N.sync_scope(0, || N.is_set()));
    /// ```
    #[must_use]
    pub fn is_set(&self) -> bool {
        self.get().is_some()
    }
}

pin_project_lite::pin_project! {
    /// A future with a [`ContextLocal`] bound while it is polled; made by
    /// [`ContextLocal::scope`] and [`ContextLocal::scope_unset`].
    ///
    /// ```
    /// use twoworlds_runtime::{ContextLocal, LocalScope, block_on};
    /// static N: ContextLocal<u8> = ContextLocal::new();
    /// let fut: LocalScope<_> = N.scope(4, async { N.get().map(|n| *n) });
    /// assert_eq!(block_on(fut), Some(4));
    /// ```
    #[must_use = "futures do nothing unless polled"]
    pub struct LocalScope<F> {
        key: u64,
        value: Option<Arc<dyn Any + Send + Sync>>,
        // The binding made for the last poll; reused while the poller's
        // bindings stay the same, so a poll does not allocate.
        cached: Option<Arc<Binding>>,
        #[pin]
        fut: F,
    }
}

impl<F: Future> Future for LocalScope<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let current = current_locals();
        let reuse = this.cached.as_ref().is_some_and(|b| match (&b.next, &current) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        });
        if !reuse {
            *this.cached = Some(Arc::new(Binding {
                key: *this.key,
                value: this.value.clone(),
                next: current,
            }));
        }
        let _entered = enter_locals(this.cached.clone());
        this.fut.poll(cx)
    }
}

impl<F> std::fmt::Debug for LocalScope<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalScope").field("key", &self.key).finish_non_exhaustive()
    }
}
