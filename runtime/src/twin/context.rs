//! The tokio context a `#[dual]` blocking twin's body runs in.
//!
//! A tokio future looks up its runtime when it is *made*, not only when it
//! is polled: `tokio::spawn(..)`, `tokio::time::timeout(..)`, `interval(..)`,
//! `sleep(..)`, and a reqwest `send()` with a timeout panic with "there is no
//! reactor running" when the call that makes them runs outside a runtime.
//! In the async fn they are made inside the caller's runtime; in the
//! blocking twin, `.await` settles them with `block_on`, which enters a
//! runtime only for the poll, after the future was made. So with feature
//! `tokio` a blocking body that awaits runs, whole, inside the runtime that `block_on`
//! would pick (the thread's own context if it has one, else the handle
//! installed with `set_tokio_handle`, else the shared runtime): each of those
//! calls then means in the twin what it means in the async fn, the twin
//! waiting where the async fn awaits.
//!
//! Generated code, at the start of each blocking body with an `.await` (one
//! without stays the plain sync fn it is, and inlines as such; a stream
//! twin's `next` enters none either, see `twin::stream`):
//!
//! ```
//! let runtime = twoworlds_runtime::__private::twin_runtime();
//! let _entered = runtime.enter();
//! ```
//!
//! Two locals, because tokio's guard borrows the handle it entered. Without
//! feature `tokio` both are zero-sized and do nothing.

/// The runtime a blocking twin's body enters, if it must enter one (see the
/// module docs): `None` where the thread has a tokio context already or no
/// runtime can be had (`block_on` reports that one when it is needed).
#[cfg(feature = "tokio")]
#[derive(Debug)]
pub struct TwinRuntime(crate::tokio_context::twin::Pick);

/// Without feature `tokio` there is no runtime to enter.
#[cfg(not(feature = "tokio"))]
#[derive(Debug)]
pub struct TwinRuntime;

/// The guard of an entered [`TwinRuntime`]: the body runs in that runtime's
/// context until it is dropped, at the end of the body.
#[cfg(feature = "tokio")]
#[derive(Debug)]
pub struct Entered<'a> {
    /// tokio's guard, held for its drop.
    _guard: Option<crate::tokio_context::twin::TwinGuard<'a>>,
}

/// Without feature `tokio`, nothing was entered.
#[cfg(not(feature = "tokio"))]
#[derive(Debug)]
pub struct Entered<'a> {
    /// The borrow of the runtime, as with the feature.
    _runtime: std::marker::PhantomData<&'a ()>,
}

/// The runtime the calling blocking twin's body is to run in (see the module
/// docs). Cheap on a thread that has a tokio context: one look-up.
///
/// ```
/// let runtime = twoworlds_runtime::__private::twin_runtime();
/// let _entered = runtime.enter();
/// ```
#[inline]
#[must_use]
pub fn twin_runtime() -> TwinRuntime {
    #[cfg(feature = "tokio")]
    return TwinRuntime(crate::tokio_context::twin::pick());
    #[cfg(not(feature = "tokio"))]
    TwinRuntime
}

impl TwinRuntime {
    /// Enters the runtime, if there is one to enter, until the guard drops.
    #[inline]
    #[must_use]
    pub fn enter(&self) -> Entered<'_> {
        #[cfg(feature = "tokio")]
        return Entered { _guard: crate::tokio_context::twin::enter(&self.0) };
        #[cfg(not(feature = "tokio"))]
        Entered { _runtime: std::marker::PhantomData }
    }
}

#[cfg(all(test, feature = "tokio", not(loom)))]
mod tests {
    use super::twin_runtime;

    #[test]
    fn a_thread_without_context_enters_one_and_leaves_it_after() {
        assert!(tokio::runtime::Handle::try_current().is_err());
        {
            let runtime = twin_runtime();
            let _entered = runtime.enter();
            // A tokio future can be made here, as in the async fn.
            let sleep = tokio::time::sleep(std::time::Duration::from_millis(1));
            crate::block_on(sleep);
        }
        assert!(tokio::runtime::Handle::try_current().is_err(), "the context ends with the body");
    }

    #[test]
    fn a_thread_with_a_context_keeps_its_own() {
        let own = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let _own = own.enter();
        let runtime = twin_runtime();
        assert!(
            matches!(runtime.0, crate::tokio_context::twin::Pick::OwnContext),
            "nothing to enter: the thread has a context"
        );
        let _entered = runtime.enter();
        assert_eq!(tokio::runtime::Handle::current().id(), own.handle().id());
    }
}
