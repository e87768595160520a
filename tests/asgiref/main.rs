//! asgiref 3.12.1's `tests/test_sync.py`, `tests/test_local.py` and
//! `tests/test_sync_contextvars.py`, ported test for test: one Rust test per
//! Python test, under the Python name without its `test_` prefix. Behaviour is
//! ported, not code; `README.md` beside this file maps every asgiref test to
//! its port, or says why it does not apply, and counts them.
//!
//! The vocabulary:
//! - `async_to_sync(f)()` is [`twoworlds::block_on`] (or a `#[bridge]`
//!   blocking twin); it runs the future on the calling thread, where asgiref
//!   runs it on the outer event loop or on a new loop thread;
//! - `sync_to_async(f)` — thread-sensitive by default in asgiref — is
//!   [`twoworlds::unblock_thread_sensitive`]; `thread_sensitive=False` is
//!   [`twoworlds::unblock`] (our default); the `#[bridge]` async twins stand
//!   for the decorator forms;
//! - `ThreadSensitiveContext` is [`twoworlds::thread_sensitive_scope`],
//!   `AsyncSingleThreadContext` is [`twoworlds::async_single_thread_scope`];
//! - `Local` and `ContextVar` are [`twoworlds::ContextLocal`], bound by a
//!   scope; a value written on the far side of a bridge reaches the caller
//!   through the shared value (a `Mutex`, an atomic), as bindings never leak
//!   up; `Local(thread_critical=True)` is Rust's `thread_local!`;
//! - `asyncio.create_task` is a tokio task spawned with the caller's
//!   [`twoworlds::CallContext`] (Python copies the context into a new task
//!   implicitly); pytest-asyncio's "outermost code is async" is a tokio
//!   runtime's `block_on`; a test that needs a process of its own
//!   (`multiprocessing`, a global setting) re-runs this binary as a child.
//!
//! Every test that could hang runs under `deadline`.

#[path = "../support/child.rs"]
mod child;
#[path = "../deadline/mod.rs"]
mod deadline;
mod support;

mod contextvars;
mod local;
mod mapping;
mod sync_bridges;
mod sync_processes;
mod sync_single_thread;
mod sync_tasks;
mod sync_thread_sensitive;
