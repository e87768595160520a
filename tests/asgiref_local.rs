//! asgiref's `tests/test_local.py` scenarios, ported one test each under the
//! original name, with `ContextLocal` as asgiref's `Local`.
//!
//! asgiref's `local.foo = x` rebinding becomes a scope here
//! (`sync_scope` / `scope`); where asgiref checks that a value written on the
//! far side of a bridge is "passed out again", the local holds a `Mutex` and
//! the far side writes through it: the value object is shared across the
//! bridge, while bindings never leak up.

mod deadline;

use std::sync::Mutex;

use deadline::{tokio_runtime, with_deadline};
use twoworlds::{CallContext, ContextLocal, block_on, unblock};

/// Reads the string behind a `ContextLocal<Mutex<String>>`.
fn read(local: &ContextLocal<Mutex<String>>) -> Option<String> {
    local.get().map(|v| v.lock().unwrap().clone())
}

/// Writes the string behind a `ContextLocal<Mutex<String>>`.
fn write(local: &ContextLocal<Mutex<String>>, value: &str) {
    value.clone_into(&mut local.get().expect("bound").lock().unwrap());
}

#[test]
fn local_task_to_sync() {
    static FOO: ContextLocal<Mutex<String>> = ContextLocal::new();
    with_deadline("local_task_to_sync", || {
        tokio_runtime().block_on(FOO.scope(Mutex::new("3".into()), async {
            unblock(|| {
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
            unblock(|| {
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
            unblock(|| {
                block_on(async {
                    unblock(|| {
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
fn local_not_inherited_by_new_thread() {
    static VALUE: ContextLocal<&'static str> = ContextLocal::new();
    with_deadline("local_not_inherited_by_new_thread", || {
        VALUE.sync_scope("parent", || {
            let (had_value, child_value) = std::thread::spawn(|| {
                let had_value = VALUE.is_set();
                // The child gets its own binding.
                let child_value = VALUE.sync_scope("child", || VALUE.get().map(|v| *v));
                (had_value, child_value)
            })
            .join()
            .unwrap();
            assert!(!had_value);
            assert_eq!(child_value, Some("child"));
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
