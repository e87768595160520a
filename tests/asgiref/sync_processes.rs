//! `test_sync.py`: the tests that need a process of their own — asgiref runs
//! some in a `multiprocessing.Process` (a wedged thread must not hang the
//! suite), others change a process-wide setting (the pool's size, the
//! installed tokio runtime). Each re-runs this test binary as a child with
//! only that test, which then runs the scenario; the parent checks its exit
//! and output, and kills it at the deadline.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use tokio::sync::oneshot;

use crate::deadline::tokio_runtime;
use crate::support::{self, Event, child_succeeds, is_child};
use twoworlds::{CallContext, block_on, thread_sensitive_scope, unblock, unblock_thread_sensitive};

/// Sync functions running right now, and the most ever at once.
static RUNNING: AtomicUsize = AtomicUsize::new(0);
/// See [`RUNNING`].
static MOST: AtomicUsize = AtomicUsize::new(0);

/// asgiref's `sync_function`: sleeps a little, returns 42; counts how many
/// run at once.
fn sync_function() -> u32 {
    let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
    MOST.fetch_max(now, Ordering::SeqCst);
    thread::sleep(Duration::from_millis(50));
    RUNNING.fetch_sub(1, Ordering::SeqCst);
    42
}

/// Child of [`sync_to_async`].
fn sync_to_async_child() {
    tokio_runtime().block_on(async {
        assert_eq!(unblock(sync_function).await, 42);
        // Fewer pool threads than calls: both calls complete, one at a time.
        twoworlds::set_max_threads(std::num::NonZeroUsize::MIN);
        MOST.store(0, Ordering::SeqCst);
        let calls = [tokio::spawn(unblock(sync_function)), tokio::spawn(unblock(sync_function))];
        for call in calls {
            assert_eq!(call.await.expect("no panic"), 42);
        }
    });
    println!("most running at once: {}", MOST.load(Ordering::SeqCst));
}

#[test]
fn sync_to_async() {
    const NAME: &str = "sync_processes::sync_to_async";
    if is_child(NAME) {
        return sync_to_async_child();
    }
    let output = child_succeeds(NAME);
    assert!(output.contains("most running at once: 1"), "{output}");
}

/// One request of the scope-exit scenarios (asgiref #535): a thread-sensitive
/// task in a scope of its own runs sync code that blocks in `block_on` on
/// `inner`, which needs the event loop *after* the scope has exited; the
/// request cancels the task once the sync code runs and leaves the scope.
/// Exiting must neither wait for the scope's thread (the event loop would
/// deadlock: `inner` needs it) nor take a pool thread. Returns once the scope
/// exited; `done` fires when the sync code finished.
async fn request(loop_tick: oneshot::Receiver<()>, use_the_pool: bool, done: oneshot::Sender<()>) {
    let worker_started = Arc::new(Event::default());
    thread_sensitive_scope(async {
        let started = Arc::clone(&worker_started);
        let sync_code = move || {
            started.set();
            block_on(async move {
                // Suspend until the event loop has moved past the scope exit.
                loop_tick.await.expect("the event loop ticks");
                if use_the_pool {
                    // Then take a pool thread, as `inner`'s
                    // `sync_to_async(time.sleep, thread_sensitive=False)`.
                    support::sleep(Duration::from_millis(50)).await;
                }
            });
            let _ = done.send(());
        };
        let task = tokio::spawn(CallContext::current().scope(unblock_thread_sensitive(sync_code)));
        tokio::task::yield_now().await;
        // Hold the event loop with sync waits while the sync code starts, as
        // asgiref does, then cancel the task.
        assert!(worker_started.wait());
        thread::sleep(Duration::from_millis(100));
        task.abort();
        let _ = task.await;
    })
    .await;
}

/// Child of [`thread_sensitive_context_exit_does_not_block_event_loop`].
fn exit_does_not_block_child() {
    // `asyncio.run`: one event-loop thread.
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let (tick, loop_tick) = oneshot::channel();
        let (done, finished) = oneshot::channel();
        request(loop_tick, false, done).await;
        println!("the scope exited");
        tick.send(()).expect("the sync code waits for the loop");
        finished.await.expect("the sync code finished");
    });
    println!("the sync code finished");
}

#[test]
fn thread_sensitive_context_exit_does_not_block_event_loop() {
    const NAME: &str = "sync_processes::thread_sensitive_context_exit_does_not_block_event_loop";
    if is_child(NAME) {
        return exit_does_not_block_child();
    }
    let output = child_succeeds(NAME);
    assert!(output.contains("the scope exited\nthe sync code finished"), "{output}");
}

/// Child of [`thread_sensitive_context_exit_does_not_starve_default_executor`].
fn exit_does_not_starve_child() {
    // Two pool threads stand in for asyncio's default executor: two
    // requests could fill it if leaving a scope took a pool thread.
    twoworlds::set_max_threads(std::num::NonZeroUsize::new(2).unwrap());
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let (ticks, loop_ticks): (Vec<_>, Vec<_>) = (0..2).map(|_| oneshot::channel()).unzip();
        let (dones, finished): (Vec<_>, Vec<_>) = (0..2).map(|_| oneshot::channel()).unzip();
        let requests =
            loop_ticks.into_iter().zip(dones).map(|(tick, done)| request(tick, true, done));
        futures::future::join_all(requests).await;
        println!("both scopes exited");
        for tick in ticks {
            tick.send(()).expect("the sync code waits for the loop");
        }
        for done in finished {
            done.await.expect("the sync code finished");
        }
    });
    println!("both requests finished");
}

#[test]
fn thread_sensitive_context_exit_does_not_starve_default_executor() {
    const NAME: &str =
        "sync_processes::thread_sensitive_context_exit_does_not_starve_default_executor";
    if is_child(NAME) {
        return exit_does_not_starve_child();
    }
    let output = child_succeeds(NAME);
    assert!(output.contains("both scopes exited\nboth requests finished"), "{output}");
}

#[test]
fn multiprocessing() {
    const NAME: &str = "sync_processes::multiprocessing";
    if is_child(NAME) {
        // `sync_process`: `async_to_sync(async_process)(queue)` in a process
        // started from a pool thread of the parent's event loop.
        let value = block_on(async { 42 });
        println!("queue: {value}");
        return;
    }
    // `await sync_to_async(fork_first)()`.
    let output = tokio_runtime().block_on(unblock(|| child_succeeds(NAME)));
    assert!(output.contains("queue: 42"), "{output}");
}

/// asgiref's `inner`, with a blocking twin (the wrapper built while the loop
/// ran).
#[cfg(feature = "tokio")]
#[twoworlds::bridge]
async fn inner() -> u32 {
    42
}

/// Child of [`async_to_sync_with_stopped_main_loop`].
#[cfg(feature = "tokio")]
fn stopped_main_loop_child() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    // The application's loop, installed while it runs ...
    twoworlds::set_tokio_handle(rt.handle().clone());
    rt.block_on(async {});
    // ... and stopped: a tokio runtime stops by being dropped.
    drop(rt);
    let worker = thread::spawn(|| std::panic::catch_unwind(blocking_inner));
    let payload = worker.join().expect("the worker thread").expect_err("refused, not 42");
    println!("worker: {}", crate::deadline::panic_message(&*payload));
    let err = twoworlds::try_block_on(async { 42 }).expect_err("refused");
    println!("try_block_on: {:?}", err.kind());
}

#[cfg(feature = "tokio")]
#[test]
fn async_to_sync_with_stopped_main_loop() {
    // asgiref falls back to a new loop; here the call is refused with our
    // error, naming the twin and the fix (a stopped installed runtime is an
    // application bug; a silent switch would split tokio resources between
    // runtimes). Either way: no deadlock, and no tokio panic text.
    const NAME: &str = "sync_processes::async_to_sync_with_stopped_main_loop";
    if is_child(NAME) {
        return stopped_main_loop_child();
    }
    let output = child_succeeds(NAME);
    let worker = output.lines().find(|l| l.contains("worker: ")).expect(&output);
    assert!(worker.contains("`blocking_inner` would run its future"), "{output}");
    assert!(worker.contains("has shut down"), "{output}");
    assert!(worker.contains("twoworlds::set_tokio_handle(..)"), "{output}");
    assert!(worker.contains("twoworlds::clear_tokio_handle()"), "{output}");
    assert!(!output.contains("being shutdown"), "{output}");
    assert!(output.contains("try_block_on: TokioRuntimeStopped"), "{output}");
}
