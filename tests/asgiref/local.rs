//! `test_local.py`, with [`ContextLocal`] as asgiref's `Local` and Rust's
//! `thread_local!` as `Local(thread_critical=True)`.
//!
//! asgiref's `local.foo = x` is a scope here (`sync_scope` / `scope`) and
//! `del local.foo` is `sync_scope_unset` / `scope_unset`; where asgiref checks
//! that a value written on the far side of a bridge is "passed out again",
//! the local holds a `Mutex` or an atomic and the far side writes through it:
//! the value object is shared across the bridge, bindings never leak up.

use std::cell::RefCell;
use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::deadline::{tokio_runtime, with_deadline};
use crate::support::{Event, here};
use twoworlds::{
    CallContext, ContextLocal, async_single_thread_scope, block_on, unblock_thread_sensitive,
};

/// Reads the string behind a `ContextLocal<Mutex<String>>`.
fn read(local: &ContextLocal<Mutex<String>>) -> Option<String> {
    local.get().map(|v| v.lock().unwrap().clone())
}

/// Writes the string behind a `ContextLocal<Mutex<String>>`.
fn write(local: &ContextLocal<Mutex<String>>, value: &str) {
    value.clone_into(&mut local.get().expect("bound").lock().unwrap());
}

#[test]
fn local_task() {
    static TEST_LOCAL: ContextLocal<u32> = ContextLocal::new();
    with_deadline("local_task", || {
        tokio_runtime().block_on(async {
            let task = tokio::spawn(async {
                // Unassigned reads as unset.
                assert!(TEST_LOCAL.get().is_none());
                // Assign and check it persists; delete and check it is gone.
                TEST_LOCAL
                    .scope(1, async {
                        assert_eq!(TEST_LOCAL.get().as_deref(), Some(&1));
                        TEST_LOCAL.scope_unset(async { assert!(!TEST_LOCAL.is_set()) }).await;
                        assert_eq!(TEST_LOCAL.get().as_deref(), Some(&1));
                    })
                    .await;
                assert!(!TEST_LOCAL.is_set());
            });
            task.await.expect("no panic");
        });
    });
}

#[test]
fn local_thread() {
    static TEST_LOCAL: ContextLocal<u32> = ContextLocal::new();
    with_deadline("local_thread", || {
        assert!(TEST_LOCAL.get().is_none());
        TEST_LOCAL.sync_scope(2, || {
            assert_eq!(TEST_LOCAL.get().as_deref(), Some(&2));
            TEST_LOCAL.sync_scope_unset(|| assert!(!TEST_LOCAL.is_set()));
        });
        assert!(!TEST_LOCAL.is_set());
    });
}

#[test]
fn local_thread_nested() {
    static TEST_LOCAL: ContextLocal<u32> = ContextLocal::new();
    with_deadline("local_thread_nested", || {
        assert!(!TEST_LOCAL.is_set());
        TEST_LOCAL.sync_scope(8, || {
            let inside = std::thread::spawn(|| {
                // Not leaked into the thread; its own value is its own.
                let leaked = TEST_LOCAL.is_set();
                let own = TEST_LOCAL.sync_scope(123, || TEST_LOCAL.get().map(|v| *v));
                (leaked, own)
            });
            assert_eq!(inside.join().unwrap(), (false, Some(123)));
            // Nor leaked back out.
            assert_eq!(TEST_LOCAL.get().as_deref(), Some(&8));
        });
    });
}

#[test]
fn local_cycle() {
    // asgiref: a `Local` collected in a cycle must not leave its value to
    // new `Local`s that reuse its identity. Here: a binding outlives its
    // `ContextLocal` (kept in a captured context), and new locals made
    // afterwards never read it, even inside that context.
    with_deadline("local_cycle", || {
        let locals: Arc<Mutex<Vec<ContextLocal<&'static str>>>> = Arc::default();
        let (e1, e2) = (Arc::new(Event::default()), Arc::new(Event::default()));
        let (seen, ready, go) = (Arc::clone(&locals), Arc::clone(&e1), Arc::clone(&e2));
        let thread = std::thread::spawn(move || {
            let stale = {
                let local = ContextLocal::new();
                local.sync_scope("bar", CallContext::current)
            };
            // Trigger the local creation outside.
            ready.set();
            assert!(go.wait());
            let locals = seen.lock().unwrap();
            stale.run(|| locals.iter().filter(|l| l.get().as_deref() == Some(&"bar")).count())
        });
        assert!(e1.wait());
        *locals.lock().unwrap() = (0..100).map(|_| ContextLocal::new()).collect();
        e2.set();
        assert_eq!(thread.join().unwrap(), 0);
    });
}

#[test]
fn local_task_to_sync() {
    static FOO: ContextLocal<Mutex<String>> = ContextLocal::new();
    with_deadline("local_task_to_sync", || {
        tokio_runtime().block_on(FOO.scope(Mutex::new("3".into()), async {
            unblock_thread_sensitive(|| {
                assert_eq!(read(&FOO).as_deref(), Some("3"));
                write(&FOO, "phew, done");
            })
            .await;
            assert_eq!(read(&FOO).as_deref(), Some("phew, done"));
        }));
    });
}

#[test]
fn local_thread_to_async() {
    static FOO: ContextLocal<Mutex<String>> = ContextLocal::new();
    with_deadline("local_thread_to_async", || {
        FOO.sync_scope(Mutex::new("12".into()), || {
            block_on(async {
                assert_eq!(read(&FOO).as_deref(), Some("12"));
                write(&FOO, "inside");
            });
            assert_eq!(read(&FOO).as_deref(), Some("inside"));
        });
    });
}

#[test]
fn local_task_to_sync_to_task() {
    static FOO: ContextLocal<Mutex<String>> = ContextLocal::new();
    with_deadline("local_task_to_sync_to_task", || {
        tokio_runtime().block_on(FOO.scope(Mutex::new("756".into()), async {
            unblock_thread_sensitive(|| {
                block_on(async {
                    assert_eq!(read(&FOO).as_deref(), Some("756"));
                    write(&FOO, "dragons");
                });
            })
            .await;
            assert_eq!(read(&FOO).as_deref(), Some("dragons"));
        }));
    });
}

#[test]
fn local_many_layers() {
    static FOO: ContextLocal<Mutex<String>> = ContextLocal::new();
    with_deadline("local_many_layers", || {
        tokio_runtime().block_on(FOO.scope(Mutex::new("8374".into()), async {
            // async → sync → async → sync → async: each world twice.
            unblock_thread_sensitive(|| {
                block_on(async {
                    unblock_thread_sensitive(|| {
                        block_on(async {
                            assert_eq!(read(&FOO).as_deref(), Some("8374"));
                            write(&FOO, "miracles");
                        });
                    })
                    .await;
                });
            })
            .await;
            assert_eq!(read(&FOO).as_deref(), Some("miracles"));
        }));
    });
}

#[test]
fn local_critical_no_task_to_thread() {
    thread_local!(static CRITICAL: RefCell<Option<String>> = const { RefCell::new(None) });
    with_deadline("local_critical_no_task_to_thread", || {
        tokio_runtime().block_on(async {
            CRITICAL.set(Some("86".into()));
            // The sync function runs on another thread: it does not see it.
            unblock_thread_sensitive(|| {
                assert_eq!(CRITICAL.take(), None);
                CRITICAL.set(Some("secret".into()));
                assert_eq!(CRITICAL.with_borrow(Clone::clone).as_deref(), Some("secret"));
                CRITICAL.set(None);
            })
            .await;
            assert_eq!(CRITICAL.with_borrow(Clone::clone).as_deref(), Some("86"));
        });
    });
}

#[test]
fn local_critical_no_thread_to_task() {
    thread_local!(static CRITICAL: RefCell<Option<String>> = const { RefCell::new(None) });
    with_deadline("local_critical_no_thread_to_task", || {
        CRITICAL.set(Some("89".into()));
        // asgiref runs the coroutine on another (loop) thread, which does not
        // see a thread-critical value: so does a single-thread scope here.
        async_single_thread_scope(|lp| {
            lp.block_on(async {
                assert_eq!(CRITICAL.take(), None);
                CRITICAL.set(Some("numbers".into()));
                assert_eq!(CRITICAL.with_borrow(Clone::clone).as_deref(), Some("numbers"));
            });
        });
        // Plain `block_on` runs the future on this very thread, which does.
        assert!(block_on(async { CRITICAL.with_borrow(Option::is_some) }));
        assert_eq!(CRITICAL.with_borrow(Clone::clone).as_deref(), Some("89"));
    });
}

#[test]
fn local_threads_and_tasks() {
    static COUNTER: ContextLocal<AtomicI32> = ContextLocal::new();
    /// Checks the counter and bumps it.
    fn bump(expected: i32) {
        assert_eq!(COUNTER.get().expect("bound").fetch_add(1, Ordering::SeqCst), expected);
    }
    /// `TestThread.run`: sees no counter, binds its own.
    fn test_thread() {
        assert!(!COUNTER.is_set());
        COUNTER.sync_scope(AtomicI32::new(-1), || bump(-1));
    }
    let count = || COUNTER.get().expect("bound").load(Ordering::SeqCst);
    with_deadline("local_threads_and_tasks", move || {
        tokio_runtime().block_on(COUNTER.scope(AtomicI32::new(0), async move {
            unblock_thread_sensitive(|| bump(0)).await;
            assert_eq!(count(), 1);
            async { bump(1) }.await;
            assert_eq!(count(), 2);
            unblock_thread_sensitive(|| bump(2)).await;
            assert_eq!(count(), 3);
            let mut threads: Vec<_> = (0..5).map(|_| std::thread::spawn(test_thread)).collect();
            threads.remove(0).join().expect("thread 0");
            unblock_thread_sensitive(|| bump(3)).await;
            assert_eq!(count(), 4);
            async { bump(4) }.await;
            assert_eq!(count(), 5);
            for thread in threads {
                thread.join().expect("thread");
            }
            unblock_thread_sensitive(|| bump(5)).await;
            assert_eq!(count(), 6);
        }));
    });
}

#[test]
fn thread_critical_local_not_context_dependent_in_sync_thread() {
    thread_local!(static TC: RefCell<Option<&'static str>> = const { RefCell::new(None) });
    static NOT_TC: ContextLocal<&'static str> = ContextLocal::new();
    with_deadline("thread_critical_local_not_context_dependent_in_sync_thread", || {
        let test_thread = here();
        let rt = tokio_runtime();
        block_on(async {
            let inner_sync_function = unblock_thread_sensitive(move || {
                // Sync outermost: it runs on the original sync thread.
                assert_eq!(here(), test_thread);
                TC.set(Some("_123_"));
                NOT_TC.sync_scope("_456_", || assert!(NOT_TC.is_set()));
            });
            rt.spawn(CallContext::current().scope(inner_sync_function)).await.expect("task");
        });
        // Set in sync code on this thread: visible here.
        assert_eq!(TC.with_borrow(|v| *v), Some("_123_"));
        // A context binding made inside does not propagate up.
        assert!(!NOT_TC.is_set());
    });
}

#[test]
fn visibility_thread_asgiref() {
    static VALUE: ContextLocal<u32> = ContextLocal::new();
    with_deadline("visibility_thread_asgiref", || {
        VALUE.sync_scope(0, || {
            let child = std::thread::spawn(|| {
                // Cleared when changing thread.
                assert!(!VALUE.is_set());
                VALUE.sync_scope(1, || VALUE.get().map(|v| *v))
            });
            assert_eq!(child.join().unwrap(), Some(1));
            assert_eq!(VALUE.get().as_deref(), Some(&0));
        });
    });
}

#[test]
fn local_not_inherited_by_new_thread() {
    static VALUE: ContextLocal<&'static str> = ContextLocal::new();
    // asgiref forces the child to run in a copy of the parent's context (what
    // Python 3.14 threads may inherit implicitly) and expects no leak. A Rust
    // thread inherits nothing implicitly; carrying a `CallContext` is asking
    // for the value, like asgiref's own bridges, and does show it.
    with_deadline("local_not_inherited_by_new_thread", || {
        VALUE.sync_scope("parent", || {
            let observed = Arc::new(AtomicUsize::new(0));
            let seen = Arc::clone(&observed);
            let child = std::thread::spawn(move || {
                seen.store(usize::from(VALUE.is_set()), Ordering::SeqCst);
                // The child gets its own binding.
                VALUE.sync_scope("child", || VALUE.get().map(|v| *v))
            });
            assert_eq!(child.join().unwrap(), Some("child"));
            assert_eq!(observed.load(Ordering::SeqCst), 0, "no value inherited");
            // The child's binding does not leak back to the parent either.
            assert_eq!(VALUE.get().map(|v| *v), Some("parent"));
        });
    });
}

#[test]
fn visibility_task() {
    static VALUE: ContextLocal<u32> = ContextLocal::new();
    with_deadline("visibility_task", || {
        tokio_runtime().block_on(VALUE.scope(0, async {
            let task = async {
                // Inherited by the new task.
                assert_eq!(VALUE.get().as_deref(), Some(&0));
                VALUE.scope(1, async { assert_eq!(VALUE.get().as_deref(), Some(&1)) }).await;
            };
            tokio::spawn(CallContext::current().scope(task)).await.unwrap();
            // Changes do not leak to the caller.
            assert_eq!(VALUE.get().as_deref(), Some(&0));
        }));
    });
}

#[test]
fn deletion() {
    static VALUE: ContextLocal<u32> = ContextLocal::new();
    with_deadline("deletion", || {
        tokio_runtime().block_on(VALUE.scope(123, async {
            let task = async {
                assert_eq!(VALUE.get().as_deref(), Some(&123));
                VALUE.scope_unset(async { assert!(!VALUE.is_set()) }).await;
            };
            tokio::spawn(CallContext::current().scope(task)).await.unwrap();
            assert_eq!(VALUE.get().as_deref(), Some(&123));
        }));
    });
}
