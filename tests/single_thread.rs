//! `async_single_thread_scope`: one event-loop thread per scope. Its futures
//! run in the caller's context, interleave, send their thread-sensitive work
//! to the waiting caller, and hand their panics back; a blocking call made on
//! the loop thread is refused, and the thread ends with the scope.

mod deadline;

use std::sync::mpsc;
use std::thread::{self, ThreadId};

use deadline::{panic_message, with_deadline};
use twoworlds::{
    ContextLocal, async_single_thread_scope, block_on, unblock, unblock_thread_sensitive,
};

/// The id of the thread running the caller.
fn here() -> ThreadId {
    thread::current().id()
}

#[test]
fn a_panic_reaches_the_caller_and_the_loop_goes_on() {
    with_deadline("single thread panic", || {
        async_single_thread_scope(|lp| {
            let failed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                lp.block_on(async { panic!("planned") });
            }));
            assert_eq!(failed.expect_err("panicked").downcast_ref::<&str>(), Some(&"planned"));
            assert_eq!(lp.block_on(async { 7 }), 7);
        });
    });
}

#[test]
fn the_future_sees_the_callers_context_and_its_thread_sensitive_work_runs_on_the_caller() {
    static USER: ContextLocal<&str> = ContextLocal::new();
    with_deadline("single thread context", || {
        let (user, loop_thread, sensitive) = USER.sync_scope("ada", || {
            async_single_thread_scope(|lp| {
                lp.block_on(async {
                    let user = USER.get().map(|u| *u);
                    (user, here(), unblock_thread_sensitive(here).await)
                })
            })
        });
        assert_eq!(user, Some("ada"));
        assert_ne!(loop_thread, here());
        // The caller waits in a `block_on` of its own, which serves it.
        assert_eq!(sensitive, here());
    });
}

#[test]
fn futures_interleave_and_a_nested_scope_across_a_bridge_shares_the_thread() {
    with_deadline("single thread interleaving", || {
        let (outer, inner) = async_single_thread_scope(|lp| {
            lp.block_on(async {
                // Sync code reached from the loop opens the scope again: its
                // future runs on the same loop thread while this one waits.
                let inner =
                    unblock(|| async_single_thread_scope(|lp| lp.block_on(async { here() }))).await;
                (here(), inner)
            })
        });
        assert_eq!(outer, inner);
    });
}

#[test]
fn a_blocking_call_on_the_loop_thread_is_refused_with_a_clear_message() {
    with_deadline("single thread misuse", || {
        let message = async_single_thread_scope(|lp| {
            lp.block_on(async {
                let refused = std::panic::catch_unwind(|| block_on(async {}));
                panic_message(&*refused.expect_err("refused"))
            })
        });
        assert!(message.contains("`twoworlds::block_on` is a blocking call"), "{message}");
        assert!(message.contains("twoworlds-async-single-thread"), "{message}");
    });
}

#[test]
fn the_loop_thread_ends_with_the_scope() {
    thread_local!(static ON_EXIT: std::cell::RefCell<Option<ExitSignal>> = const { std::cell::RefCell::new(None) });
    /// Sends when the thread that holds it ends.
    struct ExitSignal(mpsc::Sender<ThreadId>);
    impl Drop for ExitSignal {
        fn drop(&mut self) {
            let _ = self.0.send(here());
        }
    }
    with_deadline("single thread exit", || {
        let (tx, exited) = mpsc::channel();
        let loop_thread = async_single_thread_scope(|lp| {
            lp.block_on(async move {
                ON_EXIT.set(Some(ExitSignal(tx)));
                here()
            })
        });
        // Bounded by the deadline: a loop thread that outlives its scope fails.
        assert_eq!(exited.recv().expect("the loop thread ended"), loop_thread);
    });
}
