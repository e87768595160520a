//! The future of a `#[dual]` async fn, which also knows its blocking twin.
//!
//! `#[dual]` turns `async fn fetch(a: A) -> T { body }` into a fn returning
//! `impl Future<Output = T> + DualFuture`: a [`Dual`] holding one closure
//! that owns the arguments and can start either world. Polled, it starts the
//! async body; handed to [`DualFuture::run_blocking`], it runs the blocking
//! body instead, on this thread, with no executor. That is how a blocking
//! twin that awaits *another* `#[dual]` item — of the same invocation,
//! another one, a supertrait or another crate — calls that item's blocking
//! twin without knowing its name: [`settle`] dispatches on the awaited type.
//!
//! Why one closure with a [`World`] argument, not two closures: both worlds
//! need the same arguments, owned, and only one of them runs; a closure
//! captures them once (as the `async fn` would), and each world moves them
//! out. It also keeps the `async` path lazy: the async body's future is
//! built at the first poll, exactly when an `async fn`'s body would start.

pub(crate) mod context;
pub(crate) mod later;
pub mod settle;
pub mod std_mirror;
pub mod stream;

use std::pin::Pin;
use std::task::{Context, Poll};

/// A future that can also run as its blocking twin: what a `#[dual]` async
/// fn or method returns (`impl Future<Output = T> + DualFuture`).
///
/// You rarely use it by hand: a `#[dual]` blocking twin awaiting such a
/// future runs [`run_blocking`](DualFuture::run_blocking) instead of a
/// `block_on` bridge, and `#[dual]` traits declare it on their methods so
/// generic code gets it too. Implemented by the futures `#[dual]` emits, and
/// forwarded through `&mut F`, `Box<F>` and `Pin<P>`.
///
/// ```
/// use std::pin::pin;
/// use twoworlds_runtime::DualFuture as _;
///
/// // What `#[twoworlds::dual] async fn double(x: u32) -> u32 { x * 2 }` returns:
/// fn double(x: u32) -> impl Future<Output = u32> + twoworlds_runtime::DualFuture<Blocking = u32> {
///     use twoworlds_runtime::__private::{Branch, Dual, World};
///     Dual::new(move |world| match world {
///         World::Async => Branch::Async(async move { x * 2 }),
///         World::Blocking => Branch::Blocking(x * 2),
///     })
/// }
///
/// assert_eq!(pin!(double(21)).run_blocking(), 42); // no executor involved
/// assert_eq!(twoworlds_runtime::block_on(double(21)), 42);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not the future of a `#[dual]` async fn",
    label = "this future has no blocking twin",
    note = "a method of a `#[dual]` trait must return the future of a `#[dual]` fn: put \
            `#[twoworlds::dual]` on the impl (one body, both worlds); a type that serves the \
            blocking world only implements the blocking trait (`BlockingStore`) instead"
)]
pub trait DualFuture: Future {
    /// What the blocking twin returns: the async fn's output, or its
    /// blocking counterpart where the two differ (a fn returning
    /// `impl Stream` has a blocking twin returning `impl Iterator`; an
    /// `impl Trait` in the output is the twin's own type).
    type Blocking;

    /// Runs the blocking twin of this future on the current thread and
    /// returns its output, instead of polling it.
    ///
    /// # Panics
    /// If the future was already polled: its async body has started, and
    /// the blocking twin cannot take over half-way.
    fn run_blocking(self: Pin<&mut Self>) -> Self::Blocking;
}

/// Which world a [`Dual`]'s closure is asked to start.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum World {
    /// Build the async body's future (the first poll).
    Async,
    /// Run the blocking body now and return its output.
    Blocking,
}

/// What a [`Dual`]'s closure returns: the async body's future, or the
/// blocking body's output.
#[doc(hidden)]
#[derive(Debug)]
pub enum Branch<F, B> {
    /// The async body, not yet polled.
    Async(F),
    /// The blocking body's output.
    Blocking(B),
}

pin_project_lite::pin_project! {
    /// The future of a `#[dual]` async fn (see [`DualFuture`]).
    #[doc(hidden)]
    #[must_use = "futures do nothing unless you `.await` or poll them"]
    #[project = DualProj]
    #[project_replace = DualReplace]
    #[derive(Debug)]
    pub enum Dual<S, F> {
        /// Not started: the closure that owns the arguments.
        Start { start: S },
        /// Started by a poll: the async body's future.
        Running { #[pin] future: F },
        /// Taken by the blocking twin.
        Taken,
    }
}

impl<S, F, B> Dual<S, F>
where
    S: FnOnce(World) -> Branch<F, B>,
    F: Future,
{
    /// The future of a `#[dual]` fn whose arguments `start` owns.
    #[inline]
    pub fn new(start: S) -> Self {
        Dual::Start { start }
    }
}

impl<S, F, B> Future for Dual<S, F>
where
    S: FnOnce(World) -> Branch<F, B>,
    F: Future,
{
    type Output = F::Output;

    #[inline]
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        if let DualProj::Start { .. } = self.as_mut().project() {
            // First poll: build the async body from the owned arguments.
            if let DualReplace::Start { start } = self.as_mut().project_replace(Dual::Taken) {
                match start(World::Async) {
                    Branch::Async(future) => self.set(Dual::Running { future }),
                    Branch::Blocking(_) => unreachable!("{MISMATCH}"),
                }
            }
        }
        match self.project() {
            DualProj::Running { future } => future.poll(cx),
            _ => panic!("a `#[dual]` future was polled after its blocking twin took it"),
        }
    }
}

/// A `#[dual]` future's blocking twin was asked for after a poll (a
/// `&'static str` payload, as `panic!("literal")` gives).
const TAKEN: &str = "the blocking twin of a `#[dual]` future was asked to run after the future \
                     was polled (or already taken): await it, or call the blocking twin on a new one";

/// The closure of a [`Dual`] answered the other world: a bug of the code
/// that built it (`#[dual]` never does).
const MISMATCH: &str = "a `Dual` future's closure answered another world than asked";

impl<S, F, B> DualFuture for Dual<S, F>
where
    S: FnOnce(World) -> Branch<F, B>,
    F: Future,
{
    type Blocking = B;

    #[inline]
    fn run_blocking(self: Pin<&mut Self>) -> B {
        match self.project_replace(Dual::Taken) {
            DualReplace::Start { start } => match start(World::Blocking) {
                Branch::Blocking(output) => output,
                Branch::Async(_) => unreachable!("{MISMATCH}"),
            },
            _ => std::panic::panic_any(TAKEN),
        }
    }
}

impl<F: DualFuture + Unpin + ?Sized> DualFuture for &mut F {
    type Blocking = F::Blocking;

    #[inline]
    fn run_blocking(self: Pin<&mut Self>) -> F::Blocking {
        Pin::new(&mut **self.get_mut()).run_blocking()
    }
}

impl<F: DualFuture + Unpin + ?Sized> DualFuture for Box<F> {
    type Blocking = F::Blocking;

    #[inline]
    fn run_blocking(self: Pin<&mut Self>) -> F::Blocking {
        Pin::new(&mut **self.get_mut()).run_blocking()
    }
}

impl<P> DualFuture for Pin<P>
where
    P: std::ops::DerefMut<Target: DualFuture>,
{
    type Blocking = <P::Target as DualFuture>::Blocking;

    #[inline]
    fn run_blocking(self: Pin<&mut Self>) -> Self::Blocking {
        self.as_deref_mut().run_blocking()
    }
}

/// The `#[dual]` future of a fn whose async world is compiled out
/// (`#[dual(async_cfg(..))]` off): it serves the blocking twins (they run
/// its closure, which calls the fn's blocking twin), and awaiting it panics
/// with the message. A plain type rather than a [`Dual`] with an async arm,
/// so that a one-world build compiles no async body and no `match` per fn.
///
/// ```should_panic
/// use std::future::Future as _;
/// use std::task::{Context, Waker};
/// let mut shell = twoworlds_runtime::__private::Shell::<_, u32>::new("async world is off", || 1);
/// let _ = std::pin::Pin::new(&mut shell).poll(&mut Context::from_waker(Waker::noop()));
/// ```
#[doc(hidden)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
#[derive(Debug)]
pub struct Shell<S, T> {
    /// The closure that owns the arguments and runs the blocking twin;
    /// `None` once polled or taken.
    start: Option<S>,
    /// What awaiting it says.
    message: &'static str,
    /// The output it never gives.
    output: std::marker::PhantomData<fn() -> T>,
}

// Nothing in a shell is pinned: the closure is moved out, never polled.
impl<S, T> Unpin for Shell<S, T> {}

impl<S, T, B> Shell<S, T>
where
    S: FnOnce() -> B,
{
    /// The shell saying `message` when awaited, running `start` for the
    /// blocking twins.
    #[inline]
    pub fn new(message: &'static str, start: S) -> Self {
        Shell { start: Some(start), message, output: std::marker::PhantomData }
    }

    /// The same shell, its output typed as the twin's. A shell never gives
    /// its output, so nothing infers it: a fn returning `impl Trait` (the
    /// output `impl Future<Output = impl Trait>`) needs a type for it that
    /// implements the trait, and the twin's output, of the same signature,
    /// is one.
    ///
    /// ```
    /// use twoworlds_runtime::{__private::Shell, DualFuture};
    /// fn shown() -> impl DualFuture<Output = impl std::fmt::Display, Blocking = impl std::fmt::Display> {
    ///     Shell::<_, ()>::new("async world is off", || 7).output_of_twin()
    /// }
    /// assert_eq!(std::pin::pin!(shown()).run_blocking().to_string(), "7");
    /// ```
    #[inline]
    pub fn output_of_twin(self) -> Shell<S, B> {
        Shell { start: self.start, message: self.message, output: std::marker::PhantomData }
    }
}

impl<S, T> Future for Shell<S, T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<T> {
        // The arguments drop first, as a `Dual` drops them when polled.
        let this = self.get_mut();
        this.start = None;
        // A `&'static str` payload, as `panic!("literal")` gives.
        std::panic::panic_any(this.message)
    }
}

impl<S, T, B> DualFuture for Shell<S, T>
where
    S: FnOnce() -> B,
{
    type Blocking = B;

    #[inline]
    fn run_blocking(self: Pin<&mut Self>) -> B {
        match self.get_mut().start.take() {
            Some(start) => start(),
            None => std::panic::panic_any(TAKEN),
        }
    }
}

/// The `#[dual]` future of a fn whose async world is compiled out, when its
/// blocking world is a call of its own blocking twin: a [`Shell`] that holds
/// the twin as a fn pointer and the arguments as a tuple, where a [`Shell`]
/// holds a closure. Built with [`Shell::call0`] .. [`Shell::call12`] (by the
/// number of arguments).
///
/// For build time: a closure is a body of its own for rustc to check (and a
/// type per fn); a fn pointer is a coercion. Awaiting it panics with the
/// message, after dropping the arguments, as a [`Shell`] does.
///
/// ```
/// use std::future::Future as _;
/// use std::task::{Context, Waker};
/// use twoworlds_runtime::{__private::Shell, DualFuture as _};
/// fn twin(a: u32, b: u32) -> u32 {
///     a + b
/// }
/// let shell = Shell::call2::<u32, _, _, _>("async world is off", twin, 1, 2);
/// assert_eq!(std::pin::pin!(shell).run_blocking(), 3);
/// let mut shell = Shell::call2::<u32, _, _, _>("async world is off", twin, 1, 2);
/// let awaited = std::panic::catch_unwind(move || {
///     let _ = std::pin::Pin::new(&mut shell).poll(&mut Context::from_waker(Waker::noop()));
/// });
/// assert_eq!(awaited.unwrap_err().downcast_ref::<&str>(), Some(&"async world is off"));
/// ```
#[doc(hidden)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
#[derive(Debug)]
pub struct ShellCall<F, A, T> {
    /// The twin and its arguments; `None` once polled or taken.
    start: Option<(F, A)>,
    /// What awaiting it says.
    message: &'static str,
    /// The output it never gives.
    output: std::marker::PhantomData<fn() -> T>,
}

// Nothing in a shell is pinned: the arguments are moved out, never polled.
impl<F, A, T> Unpin for ShellCall<F, A, T> {}

impl<F, A, T> Future for ShellCall<F, A, T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<T> {
        // The arguments drop first, as a `Dual` drops them when polled.
        let this = self.get_mut();
        this.start = None;
        std::panic::panic_any(this.message)
    }
}

/// `Shell::callN` and `ShellCall`'s `DualFuture` for fns of N arguments.
/// The constructors are in one `impl` block: a call's path is looked up in
/// every inherent impl of `Shell`, once per shell.
macro_rules! shell_calls {
    ($($call:ident($($arg:ident: $ty:ident),*);)*) => {
        impl Shell<(), ()> {
            $(
                /// The shell saying `message` when awaited, running `twin`
                /// on the arguments for the blocking twins (see
                /// [`ShellCall`]).
                #[inline]
                #[allow(clippy::too_many_arguments, clippy::new_ret_no_self)]
                pub fn $call<T, $($ty,)* B>(
                    message: &'static str,
                    twin: fn($($ty),*) -> B,
                    $($arg: $ty),*
                ) -> ShellCall<fn($($ty),*) -> B, ($($ty,)*), T> {
                    ShellCall {
                        start: Some((twin, ($($arg,)*))),
                        message,
                        output: std::marker::PhantomData,
                    }
                }
            )*
        }

        $(
            impl<T, $($ty,)* B> ShellCall<fn($($ty),*) -> B, ($($ty,)*), T> {
                /// The same shell, its (never given) output typed as the
                /// twin's: see [`Shell::output_of_twin`].
                #[inline]
                pub fn output_of_twin(self) -> ShellCall<fn($($ty),*) -> B, ($($ty,)*), B> {
                    ShellCall {
                        start: self.start,
                        message: self.message,
                        output: std::marker::PhantomData,
                    }
                }
            }

            impl<T, $($ty,)* B> DualFuture for ShellCall<fn($($ty),*) -> B, ($($ty,)*), T> {
                type Blocking = B;

                #[inline]
                fn run_blocking(self: Pin<&mut Self>) -> B {
                    match self.get_mut().start.take() {
                        Some((twin, ($($arg,)*))) => twin($($arg),*),
                        None => std::panic::panic_any(TAKEN),
                    }
                }
            }
        )*
    };
}

shell_calls! {
    call0();
    call1(a1: A1);
    call2(a1: A1, a2: A2);
    call3(a1: A1, a2: A2, a3: A3);
    call4(a1: A1, a2: A2, a3: A3, a4: A4);
    call5(a1: A1, a2: A2, a3: A3, a4: A4, a5: A5);
    call6(a1: A1, a2: A2, a3: A3, a4: A4, a5: A5, a6: A6);
    call7(a1: A1, a2: A2, a3: A3, a4: A4, a5: A5, a6: A6, a7: A7);
    call8(a1: A1, a2: A2, a3: A3, a4: A4, a5: A5, a6: A6, a7: A7, a8: A8);
    call9(a1: A1, a2: A2, a3: A3, a4: A4, a5: A5, a6: A6, a7: A7, a8: A8, a9: A9);
    call10(a1: A1, a2: A2, a3: A3, a4: A4, a5: A5, a6: A6, a7: A7, a8: A8, a9: A9, a10: A10);
    call11(a1: A1, a2: A2, a3: A3, a4: A4, a5: A5, a6: A6, a7: A7, a8: A8, a9: A9, a10: A10,
        a11: A11);
    call12(a1: A1, a2: A2, a3: A3, a4: A4, a5: A5, a6: A6, a7: A7, a8: A8, a9: A9, a10: A10,
        a11: A11, a12: A12);
}

#[cfg(test)]
mod tests;
