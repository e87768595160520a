//! The two worlds of a [`Dual`]: lazily started, each with the arguments.

use super::*;
use std::cell::Cell;
use std::pin::pin;
use std::rc::Rc;

/// A `Dual` counting which world started, like `#[dual]` emits.
fn counted(calls: &Rc<Cell<(u32, u32)>>, x: u32) -> impl DualFuture<Output = u32, Blocking = u32> {
    let calls = Rc::clone(calls);
    Dual::new(move |world| match world {
        World::Async => Branch::Async(async move {
            calls.set((calls.get().0 + 1, calls.get().1));
            x + 1
        }),
        World::Blocking => {
            calls.set((calls.get().0, calls.get().1 + 1));
            Branch::Blocking(x + 1)
        }
    })
}

#[test]
fn each_world_runs_its_own_body_once_and_nothing_before() {
    let calls = Rc::new(Cell::new((0, 0)));
    let fut = counted(&calls, 1);
    assert_eq!(calls.get(), (0, 0), "building the future runs no body");
    assert_eq!(pin!(fut).run_blocking(), 2);
    assert_eq!(calls.get(), (0, 1));
    assert_eq!(crate::block_on(counted(&calls, 2)), 3);
    assert_eq!(calls.get(), (1, 1));
}

#[test]
fn boxed_and_borrowed_futures_run_their_twin() {
    let calls = Rc::new(Cell::new((0, 0)));
    let mut boxed = Box::pin(counted(&calls, 1));
    assert_eq!(pin!(&mut boxed).run_blocking(), 2);
    assert_eq!(pin!(Box::pin(counted(&calls, 5))).run_blocking(), 6);
    assert_eq!(calls.get(), (0, 2));
}

#[test]
fn the_twin_cannot_take_over_a_started_future() {
    let calls = Rc::new(Cell::new((0, 0)));
    let mut fut = Box::pin(counted(&calls, 1));
    let waker = std::task::Waker::noop();
    let _ = fut.as_mut().poll(&mut Context::from_waker(waker));
    let taken =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| fut.as_mut().run_blocking()));
    let payload = taken.unwrap_err();
    let message = payload.downcast_ref::<&str>().copied().unwrap_or_default();
    assert!(message.contains("after the future was polled"), "{message}");
}
