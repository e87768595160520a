//! Feature `tokio`: `block_on` refuses to block a thread that drives tokio
//! tasks, works on threads that may block, and runs its future inside a tokio
//! runtime so tokio timers and I/O work — the async caller's runtime through
//! `unblock`, else an installed one, else a shared one.
//!
//! How the cases were told apart (tokio 1.54, see `runtime/src/tokio_context.rs`):
//!
//! | thread | `Handle::try_current()` | `task::try_id()` | coop budget |
//! |---|---|---|---|
//! | worker polling a task | Ok | Some | constrained |
//! | `Runtime::block_on` | Ok | None | constrained |
//! | `spawn_blocking` | Ok | Some | unconstrained |
//! | `block_in_place` | Ok | Some | unconstrained |
//! | plain thread + `Handle::enter` | Ok | None | unconstrained |
//!
//! Only the budget separates "drives tasks" from "may block"; the tests below
//! pin each row.
#![cfg(feature = "tokio")]

mod deadline;

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use deadline::{catching, panic_message};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::runtime::{Builder, Handle, Runtime};
use twoworlds::{BlockOnErrorKind, block_on, try_block_on, unblock};

/// Serializes the tests that depend on which runtime a plain thread gets
/// (installed or shared), since installing is process-wide.
fn plain_thread_runtime() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A multi-thread and a current-thread runtime.
fn runtimes() -> [(&'static str, Runtime); 2] {
    [
        ("multi_thread", Builder::new_multi_thread().enable_all().build().unwrap()),
        ("current_thread", Builder::new_current_thread().enable_all().build().unwrap()),
    ]
}

/// Checks a misuse panic from a thread driving tokio tasks.
fn assert_tokio_misuse(text: &str) {
    for needle in [
        "`twoworlds::block_on` is a blocking call and was made from async code",
        "is driving tokio tasks",
        "ThreadId(",
        "`.await`",
        "spawn_blocking",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from: {text}");
    }
}

#[test]
fn block_on_in_a_tokio_task_panics_with_a_clear_message() {
    for (flavor, runtime) in runtimes() {
        let joined = catching("tokio integration test", move || {
            runtime.block_on(async { tokio::spawn(async { block_on(async { 1 }) }).await })
        });
        let err = joined.expect("the runtime survives").expect_err(flavor);
        let text = panic_message(&*err.into_panic());
        assert_tokio_misuse(&text);
        if flavor == "multi_thread" {
            // tokio names its workers `tokio-rt-worker` (`tokio-runtime-worker`
            // before 1.50).
            assert!(text.contains("thread 'tokio-r"), "{text}");
        }
    }
}

#[test]
fn block_on_in_runtime_block_on_panics_with_a_clear_message() {
    for (_, runtime) in runtimes() {
        let ended = catching("tokio integration test", move || {
            runtime.block_on(async { block_on(async { 1 }) })
        });
        assert_tokio_misuse(&panic_message(&*ended.expect_err("refused")));
    }
}

#[test]
fn block_on_in_handle_block_on_panics() {
    let runtime = Builder::new_multi_thread().enable_all().build().unwrap();
    let handle = runtime.handle().clone();
    let ended = catching("tokio integration test", move || {
        handle.block_on(async { block_on(async { 1 }) })
    });
    assert_tokio_misuse(&panic_message(&*ended.expect_err("refused")));
}

#[test]
fn try_block_on_in_tokio_returns_the_error() {
    for (_, runtime) in runtimes() {
        let handle = runtime.handle().clone();
        let (in_task, in_block_on) = catching("tokio integration test", move || {
            let in_task = runtime
                .block_on(async { tokio::spawn(async { try_block_on(async { 1 }) }).await })
                .unwrap();
            (in_task, runtime.block_on(async { try_block_on(async { 2 }) }))
        })
        .expect("no panic");
        for err in [in_task.expect_err("in a task"), in_block_on.expect_err("in block_on")] {
            assert_eq!(*err.kind(), BlockOnErrorKind::InsideTokio);
            assert_tokio_misuse(&err.to_string());
        }
        drop(handle);
    }
}

#[test]
fn the_refusal_leaves_the_task_budget_intact() {
    // The probe spends the budget and must give it back: a task that asked
    // (and was refused) still runs tokio operations without a forced yield.
    let runtime = Builder::new_current_thread().enable_all().build().unwrap();
    let remaining = runtime.block_on(async {
        assert!(try_block_on(async {}).is_err());
        tokio::task::coop::has_budget_remaining()
    });
    assert!(remaining);
}

#[test]
fn works_in_spawn_blocking_with_the_spawning_runtime() {
    for (_, runtime) in runtimes() {
        let id = runtime.handle().id();
        let seen = catching("tokio integration test", move || {
            runtime.block_on(async {
                tokio::task::spawn_blocking(|| {
                    block_on(async {
                        tokio::time::sleep(Duration::from_millis(5)).await;
                        Handle::current().id()
                    })
                })
                .await
                .unwrap()
            })
        });
        assert_eq!(seen.expect("no panic"), id);
    }
}

#[test]
fn works_in_block_in_place() {
    let runtime = Builder::new_multi_thread().enable_all().build().unwrap();
    let value = catching("tokio integration test", move || {
        runtime.block_on(async {
            tokio::spawn(async { tokio::task::block_in_place(|| block_on(async { 9 })) })
                .await
                .unwrap()
        })
    });
    assert_eq!(value.expect("no panic"), 9);
}

#[test]
fn works_on_a_plain_thread_that_entered_a_runtime_and_uses_it() {
    let runtime = Builder::new_multi_thread().enable_all().build().unwrap();
    let handle = runtime.handle().clone();
    let seen = catching("tokio integration test", move || {
        let _entered = handle.enter();
        block_on(async {
            tokio::time::sleep(Duration::from_millis(5)).await;
            Handle::current().id()
        })
    });
    assert_eq!(seen.expect("no panic"), runtime.handle().id());
}

/// Sends "ping" over a loopback TCP connection and returns what came back.
async fn tcp_round_trip() -> Vec<u8> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = async {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buffer = [0; 4];
        socket.read_exact(&mut buffer).await.unwrap();
        socket.write_all(&buffer).await.unwrap();
    };
    let client = async {
        let mut socket = tokio::net::TcpStream::connect(address).await.unwrap();
        socket.write_all(b"ping").await.unwrap();
        let mut echo = Vec::new();
        socket.read_to_end(&mut echo).await.unwrap();
        echo
    };
    let ((), echo) = tokio::join!(server, client);
    echo
}

#[test]
fn tokio_sleep_and_tcp_work_from_a_plain_thread() {
    let _serial = plain_thread_runtime();
    let echo = catching("tokio integration test", || {
        // tokio futures find their runtime when created: create them inside
        // the future `block_on` runs (an `async` block or an async fn call).
        block_on(async { tokio::time::sleep(Duration::from_millis(5)).await });
        block_on(tcp_round_trip())
    });
    assert_eq!(echo.expect("no panic"), b"ping");
}

#[test]
fn tokio_sleep_and_tcp_work_from_an_unblock_thread_in_the_callers_runtime() {
    for (_, runtime) in runtimes() {
        let id = runtime.handle().id();
        let (seen, echo) = catching("tokio integration test", move || {
            runtime.block_on(async {
                unblock(|| {
                    block_on(async {
                        tokio::time::sleep(Duration::from_millis(5)).await;
                        (Handle::current().id(), tcp_round_trip().await)
                    })
                })
                .await
            })
        })
        .expect("no panic");
        assert_eq!(seen, id, "the unblock thread ran the future in the caller's runtime");
        assert_eq!(echo, b"ping");
    }
}

#[test]
fn tokio_works_from_an_unblock_thread_without_an_async_caller() {
    let _serial = plain_thread_runtime();
    let echo =
        catching("tokio integration test", || block_on(unblock(|| block_on(tcp_round_trip()))));
    assert_eq!(echo.expect("no panic"), b"ping");
}

#[test]
fn an_installed_handle_is_used_by_plain_threads() {
    let _serial = plain_thread_runtime();
    let runtime = Builder::new_multi_thread().enable_all().build().unwrap();
    twoworlds::set_tokio_handle(runtime.handle().clone());
    let seen = catching("tokio integration test", || block_on(async { Handle::current().id() }));
    let removed = twoworlds::clear_tokio_handle().expect("still installed");
    assert_eq!(seen.expect("no panic"), runtime.handle().id());
    assert_eq!(removed.id(), runtime.handle().id());
    // Cleared: plain threads get the shared runtime again.
    let shared =
        catching("tokio integration test", || block_on(async { Handle::current().id() })).unwrap();
    assert_ne!(shared, runtime.handle().id());
}

#[test]
fn an_installed_runtime_that_shut_down_fails_clearly_instead_of_hanging() {
    let _serial = plain_thread_runtime();
    let runtime = Builder::new_multi_thread().enable_all().build().unwrap();
    twoworlds::set_tokio_handle(runtime.handle().clone());
    drop(runtime);
    let ended = catching("tokio integration test", || {
        block_on(async { tokio::time::sleep(Duration::from_millis(5)).await });
    });
    twoworlds::clear_tokio_handle();
    let text = panic_message(&*ended.expect_err("block_on refuses a dead installed runtime"));
    // Our message, naming the function and the fix, not tokio's panic text.
    assert!(text.contains("`twoworlds::block_on` would run its future"), "{text}");
    assert!(text.contains("has shut down"), "{text}");
    assert!(text.contains("twoworlds::clear_tokio_handle()"), "{text}");
}
