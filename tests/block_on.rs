//! `block_on` (async → sync): runs futures on the calling thread, nests
//! through `unblock`, and refuses — loudly, never by hanging — to block inside
//! another `block_on`'s poll.

mod deadline;

use std::thread;
use std::time::Duration;

use deadline::{catching, panic_message};
use twoworlds::{BlockOnErrorKind, block_on, try_block_on, unblock};

#[test]
fn runs_a_ready_future() {
    assert_eq!(block_on(async { 20 + 22 }), 42);
}

#[test]
fn waits_for_a_future_woken_by_another_thread() {
    let value = block_on(unblock(|| {
        thread::sleep(Duration::from_millis(20));
        7
    }));
    assert_eq!(value, 7);
}

#[test]
fn many_calls_on_one_thread_and_across_threads() {
    let workers: Vec<_> = (0..8_u64)
        .map(|t| {
            thread::spawn(move || {
                (0..500_u64).map(|i| block_on(unblock(move || t * i))).sum::<u64>()
            })
        })
        .collect();
    let total: u64 = workers.into_iter().map(|w| w.join().unwrap()).sum();
    assert_eq!(total, (0..8).sum::<u64>() * (0..500).sum::<u64>());
}

/// sync level `n`: blocks on the async level below it.
fn sync_level(n: u32) -> u32 {
    if n == 0 { 0 } else { block_on(async_level(n - 1)) + 1 }
}

/// async level `n`: runs the sync level below it on the pool.
async fn async_level(n: u32) -> u32 {
    if n == 0 { 0 } else { unblock(move || sync_level(n - 1)).await + 1 }
}

#[test]
fn nested_sync_async_chain_returns_the_right_value() {
    // sync → async → sync → async → … eleven levels deep.
    let depth = catching("nested-chain", || sync_level(11)).expect("no panic");
    assert_eq!(depth, 11);
}

#[test]
fn nested_chains_deeper_than_the_pool_maximum_do_not_deadlock() {
    // Each async level parks one pool thread in block_on; with a maximum of
    // two the chain needs five. Pool threads parked in block_on do not count
    // against the maximum, so the chain completes. (This binary's other tests
    // are fine with two threads.)
    twoworlds::set_max_threads(std::num::NonZeroUsize::new(2).unwrap());
    let depth = catching("deep-chain", || sync_level(11)).expect("no panic");
    assert_eq!(depth, 11);
    assert_eq!(twoworlds::max_threads(), 2);
}

#[test]
fn block_on_inside_block_on_panics_with_a_clear_message() {
    let ended = catching("nested-block-on", || {
        block_on(async { block_on(async { 1 }) });
    });
    let text = panic_message(&*ended.expect_err("the nested block_on panics"));
    for needle in [
        "`twoworlds::block_on` is a blocking call and was made from async code",
        "thread 'nested-block-on'",
        "ThreadId(",
        "`.await`",
        "twoworlds::unblock(..)",
        "spawn_blocking",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from: {text}");
    }
}

#[test]
fn the_panic_names_the_twin_that_blocked() {
    let ended = catching("twin", || {
        block_on(async { twoworlds::__private::block_on_named("blocking_fetch", async { 1 }) })
    });
    let text = panic_message(&*ended.expect_err("the nested twin panics"));
    assert!(text.starts_with("`blocking_fetch` is a blocking call"), "{text}");
}

#[test]
fn try_block_on_inside_block_on_returns_the_error() {
    let (err, line) = catching("try-nested", || {
        block_on(async { (try_block_on(async { 1 }).expect_err("refused"), line!()) })
    })
    .expect("no panic");
    assert_eq!(*err.kind(), BlockOnErrorKind::InsideBlockOn);
    assert_eq!(err.function(), "twoworlds::block_on");
    assert_eq!(err.thread_name(), Some("try-nested"));
    assert_eq!(err.location().file(), file!());
    assert_eq!(err.location().line(), line);
    assert!(err.to_string().contains("made from async code"), "{err}");
    let source: &dyn std::error::Error = &err;
    assert!(source.source().is_none());
}

#[test]
fn the_outer_block_on_still_works_after_a_refused_inner_one() {
    let value = catching("after-refusal", || {
        block_on(async {
            assert!(try_block_on(async {}).is_err());
            unblock(|| 5).await
        })
    });
    assert_eq!(value.expect("no panic"), 5);
}

#[test]
fn works_on_unblock_threads() {
    let (value, name) =
        block_on(unblock(|| (block_on(async { 6 }), thread::current().name().map(str::to_owned))));
    assert_eq!(value, 6);
    assert!(name.expect("pool threads are named").starts_with("twoworlds-"));
}

#[test]
fn works_on_tokio_spawn_blocking_threads() {
    for runtime in [
        tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap(),
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap(),
    ] {
        let value = catching("spawn-blocking", move || {
            runtime.block_on(async {
                tokio::task::spawn_blocking(|| block_on(async { 8 })).await.unwrap()
            })
        });
        assert_eq!(value.expect("no panic"), 8);
    }
}

#[test]
fn a_panic_in_the_future_propagates_with_its_payload() {
    let after = catching("future-panics", || {
        let ended = std::panic::catch_unwind(|| block_on(async { std::panic::panic_any(17_u8) }));
        assert_eq!(ended.expect_err("panics").downcast_ref::<u8>(), Some(&17));
        // The panic left this thread's block_on state clean: not "inside a poll".
        try_block_on(async { 1 })
    });
    assert_eq!(after.expect("no panic").expect("not refused"), 1);
}
