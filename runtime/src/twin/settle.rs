//! What an `.await` becomes in a `#[dual]` blocking twin, decided by the
//! *type* of what it awaits, at compile time.
//!
//! `#[dual]` rewrites every `x.await` of a blocking twin into
//! `settle_await!(settle, "twin", x)`, which expands to
//!
//! ```text
//! match x { awaited => (&&&Probe::of(&awaited)).settle_kind().settle(awaited, "twin") }
//! ```
//!
//! (a `match`, not a `let`, so the temporaries of `x` live as long as they
//! would around `x.await`; a macro of this crate, so the user's lints do not
//! look into it), and method resolution picks the first of three kinds that applies
//! (autoref-based dispatch, the technique of `anyhow!`, works on stable
//! without specialization; each kind's trait is implemented on one more
//! level of reference, so the most specific impl is found first):
//!
//! 1. [`ViaTwin`] — a [`DualFuture`](super::DualFuture), the future of a
//!    `#[dual]` fn: its blocking twin runs, on this thread, no executor;
//! 2. [`ViaBlockOn`] — any other `IntoFuture`: bridged through
//!    `block_on_named` (under `#[dual(strict)]`, `settle_strict` is called
//!    instead, and this kind makes it a compile error that names the type);
//! 3. [`AlreadySync`] — anything else, e.g. the value of a call the
//!    blocking copy already made sync (a `replace` rule, a same-named sync
//!    item of a `#[dual] mod`'s blocking copy): passed through as is.
//!
//! Every step is an `#[inline]` generic fn on zero-sized values, so a
//! pass-through or a twin call compiles to the call itself.
//!
//! Alternatives measured and dropped: deciding by the callee's *name* (a
//! fixed list of tokio methods, the invocation's own items) silently dropped
//! futures (`tx.send(v).await` on a tokio channel sent nothing in the twin);
//! a trait with a blanket impl over `T: Future` and another over "not a
//! future" needs specialization or negative impls (unstable).

use super::DualFuture;
use std::marker::PhantomData;
use std::pin::pin;

/// What `#[dual]` emits for `x.await` in a blocking twin (see the module
/// docs): `$method` is `settle`, or `settle_strict` under `#[dual(strict)]`;
/// `$twin` names the blocking twin for `block_on`'s misuse message.
#[doc(hidden)]
#[macro_export]
macro_rules! __settle_await {
    ($method:ident, $twin:expr, $awaited:expr) => {
        match $awaited {
            awaited => {
                #[allow(unused_imports)]
                use $crate::__private::settle::{AlreadySync as _, ViaBlockOn as _, ViaTwin as _};
                (&&&$crate::__private::settle::Probe::of(&awaited))
                    .settle_kind()
                    .$method(awaited, $twin)
            }
        }
    };
}

/// A zero-sized stand-in for the awaited value's type `T`, whose references
/// the three kinds are implemented on.
pub struct Probe<T>(PhantomData<T>);

impl<T> Probe<T> {
    /// The probe of `value`'s type (the value is only looked at).
    #[inline]
    pub fn of(_value: &T) -> Self {
        Probe(PhantomData)
    }
}

/// Kind 1: the awaited value is a [`DualFuture`].
pub trait ViaTwin {
    /// [`TwinKind`].
    #[inline]
    fn settle_kind(&self) -> TwinKind {
        TwinKind
    }
}
impl<T: DualFuture> ViaTwin for &&Probe<T> {}

/// Kind 2: the awaited value is some other future.
pub trait ViaBlockOn {
    /// [`BlockOnKind`].
    #[inline]
    fn settle_kind(&self) -> BlockOnKind {
        BlockOnKind
    }
}
impl<T: IntoFuture> ViaBlockOn for &Probe<T> {}

/// Kind 3: the awaited value is not a future (already sync).
pub trait AlreadySync {
    /// [`SyncKind`].
    #[inline]
    fn settle_kind(&self) -> SyncKind {
        SyncKind
    }
}
impl<T> AlreadySync for Probe<T> {}

/// Runs the blocking twin of `future` (a blanket blocking trait's method
/// body: `run_twin(<T as Store>::get(self, k))`).
#[inline]
pub fn run_twin<F: DualFuture>(future: F) -> F::Blocking {
    pin!(future).run_blocking()
}

/// Calls `body` once: the blocking body a `#[dual]` future runs inline, as a
/// closure so that its `return` and `?` leave the body, not the future's
/// constructor.
#[inline]
pub fn call_once<T>(body: impl FnOnce() -> T) -> T {
    body()
}

/// Settles a [`DualFuture`]: runs its blocking twin.
#[derive(Debug, Clone, Copy)]
pub struct TwinKind;

impl TwinKind {
    /// Runs `future`'s blocking twin.
    #[inline]
    #[track_caller]
    pub fn settle<T: DualFuture>(self, future: T, _twin: &'static str) -> T::Blocking {
        pin!(future).run_blocking()
    }

    /// As [`settle`](Self::settle): a twin call is sync, strict or not.
    #[inline]
    #[track_caller]
    pub fn settle_strict<T: DualFuture>(self, future: T, twin: &'static str) -> T::Blocking {
        self.settle(future, twin)
    }
}

/// Settles a foreign future: runs it with `block_on` (the bridge).
#[derive(Debug, Clone, Copy)]
pub struct BlockOnKind;

impl BlockOnKind {
    /// Runs `future` to completion on this thread with
    /// [`block_on_named`](crate::__private::block_on_named) on behalf of `twin`.
    #[inline]
    #[track_caller]
    pub fn settle<T: IntoFuture>(self, future: T, twin: &'static str) -> T::Output {
        crate::block_on::block_on_named(twin, future.into_future())
    }

    /// Under `#[dual(strict)]`: a compile error, through the bound no type
    /// meets, whose message names the awaited type.
    #[inline]
    #[track_caller]
    pub fn settle_strict<T>(self, future: T, twin: &'static str) -> T::Output
    where
        T: IntoFuture + NoBlockingTwin,
    {
        self.settle(future, twin)
    }
}

/// Settles a value that is not a future: passes it through.
#[derive(Debug, Clone, Copy)]
pub struct SyncKind;

impl SyncKind {
    /// Returns `value` as is.
    #[inline]
    pub fn settle<T>(self, value: T, _twin: &'static str) -> T {
        value
    }

    /// As [`settle`](Self::settle).
    #[inline]
    pub fn settle_strict<T>(self, value: T, _twin: &'static str) -> T {
        value
    }
}

/// Implemented by no type: the bound that makes a foreign `.await` in a
/// `#[dual(strict)]` blocking twin a compile error naming the awaited type.
#[diagnostic::on_unimplemented(
    message = "`#[dual(strict)]`: this `.await` in a blocking twin awaits `{Self}`, a future with no blocking twin",
    label = "the blocking twin would have to run this future with `block_on`",
    note = "map it in one of these ways: call a `#[dual]` fn or method instead (its blocking twin runs); \
            `replace(its::path => sync::path)` when a sync API mirrors it; keep the code in one world \
            with `#[only_async]` / `#[only_blocking]` or `per_world!(async => .., blocking => ..)`; \
            or drop `strict` to bridge it through `twoworlds::block_on`"
)]
pub trait NoBlockingTwin {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::twin::{Branch, Dual, World};

    /// What `#[dual]` emits for `x.await` (non-strict).
    macro_rules! settle {
        ($x:expr) => {
            crate::__settle_await!(settle, "twin", $x)
        };
    }

    fn twin_of(x: u32) -> impl DualFuture<Output = u32, Blocking = u32> {
        Dual::new(move |world| match world {
            World::Async => Branch::Async(async move { panic!("the async body ran") }),
            World::Blocking => Branch::Blocking(x * 2),
        })
    }

    #[test]
    fn each_kind_is_settled_its_way() {
        assert_eq!(settle!(twin_of(4)), 8, "a DualFuture runs its twin");
        assert_eq!(settle!(async { 5 }), 5, "a foreign future is bridged");
        assert_eq!(settle!(std::future::ready(6)), 6);
        assert_eq!(settle!(7_u32), 7, "a value passes through");
        assert_eq!(settle!(&mut Box::pin(twin_of(1))), 2, "through &mut and Pin<Box<_>>");
        let text: &str = settle!("text");
        assert_eq!(text, "text");
    }

    #[test]
    fn generic_values_pass_through_and_bounded_futures_are_bridged() {
        fn value<T>(t: T) -> T {
            settle!(t)
        }
        fn future<F: Future>(f: F) -> F::Output {
            settle!(f)
        }
        assert_eq!(value(std::future::ready(1)).into_inner(), 1, "an unbounded T is a value");
        assert_eq!(future(async { 2 }), 2);
    }
}
