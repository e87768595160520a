//! A real sync database awaited from async code: `rusqlite` (embedded, no
//! server) behind `#[bridge(thread_sensitive)]`, as in
//! `examples/sqlite_async.rs`, driven by tokio tasks.

mod deadline;
#[path = "../examples/sqlite_async.rs"]
mod sqlite_async;

use std::thread;

use deadline::{tokio_runtime, with_deadline};
use sqlite_async::{Db, DbError, Note, home_thread_async};

/// Tasks in the concurrency test.
const TASKS: i64 = 1_000;

#[test]
fn a_thousand_concurrent_tasks_insert_a_row_each() {
    with_deadline("a_thousand_concurrent_tasks", || {
        tokio_runtime().block_on(async {
            let db = Db::open_async().await.expect("open");
            let tasks: Vec<_> = (0..TASKS)
                .map(|i| {
                    let db = db.clone();
                    tokio::spawn(async move { db.insert_async(&format!("row {i}")).await })
                })
                .collect();
            let mut ids = Vec::new();
            for task in tasks {
                ids.push(task.await.expect("task").expect("insert"));
            }
            ids.sort_unstable();
            assert_eq!(ids, (1..=TASKS).collect::<Vec<_>>(), "every task got its own row");
            assert_eq!(db.count_async().await.unwrap(), TASKS);
            let rows = db.query_async("row ").await.unwrap();
            assert_eq!(rows.len(), 1_000);
            assert_eq!(rows[999], Note { id: 1_000, body: rows[999].body.clone() });
        });
    });
}

#[test]
fn a_failing_statement_is_an_error_and_the_connection_stays_usable() {
    with_deadline("a_failing_statement", || {
        tokio_runtime().block_on(async {
            let db = Db::open_async().await.unwrap();
            db.insert_async("kept").await.unwrap();
            let error = db.execute_async("INSERT INTO missing VALUES (1)").await.unwrap_err();
            assert!(matches!(error, DbError::Sqlite(_)), "{error:?}");
            assert_eq!(error.to_string(), "sqlite: no such table: missing");
            let error = db.insert_async("").await.unwrap_err();
            assert_eq!(error.to_string(), "sqlite: CHECK constraint failed: length(body) > 0");
            db.insert_async("after the errors").await.unwrap();
            assert_eq!(db.count_async().await.unwrap(), 2);
        });
    });
}

#[test]
fn a_failed_transaction_rolls_back_all_of_it() {
    with_deadline("a_failed_transaction", || {
        tokio_runtime().block_on(async {
            let db = Db::open_async().await.unwrap();
            let batch = vec!["a".to_owned(), "b".to_owned(), String::new()];
            assert!(db.insert_all_async(&batch).await.is_err());
            assert_eq!(db.count_async().await.unwrap(), 0, "nothing of the batch is left");
            let batch = vec!["a".to_owned(), "b".to_owned()];
            assert_eq!(db.insert_all_async(&batch).await.unwrap(), 2);
            let bodies: Vec<_> =
                db.query_async("").await.unwrap().into_iter().map(|n| n.body).collect();
            assert_eq!(bodies, ["a", "b"]);
        });
    });
}

/// A row mapper that panics, as a bug in user code would.
fn exploding_mapper(_: &rusqlite::Row<'_>) -> rusqlite::Result<i64> {
    panic!("mapper exploded")
}

#[test]
fn a_panic_inside_a_bridged_call_reaches_the_awaiting_task_and_the_next_call_works() {
    with_deadline("a_panic_inside_a_bridged_call", || {
        tokio_runtime().block_on(async {
            let db = Db::open_async().await.unwrap();
            db.insert_async("one").await.unwrap();
            let db2 = db.clone();
            let task = tokio::spawn(async move {
                db2.query_map_async("SELECT id FROM notes WHERE body <> ?1", "", exploding_mapper)
                    .await
            });
            let payload = task.await.expect_err("the task panicked").into_panic();
            assert_eq!(payload.downcast_ref::<&str>(), Some(&"mapper exploded"));
            // The connection and its thread survived.
            db.insert_async("two").await.unwrap();
            assert_eq!(db.count_async().await.unwrap(), 2);
        });
    });
}

#[test]
fn every_call_runs_on_the_one_thread_that_holds_the_connection() {
    with_deadline("every_call_runs_on_one_thread", || {
        let homes = tokio_runtime().block_on(async {
            let tasks: Vec<_> = (0..8).map(|_| tokio::spawn(home_thread_async())).collect();
            let mut homes = Vec::new();
            for task in tasks {
                homes.push(task.await.unwrap());
            }
            homes
        });
        assert!(homes.iter().all(|home| home == "twoworlds-thread-sensitive"), "{homes:?}");
    });
}

#[test]
fn a_db_used_away_from_its_thread_is_a_clear_error() {
    with_deadline("a_db_used_away_from_its_thread", || {
        // Opened by sync code: the connection lives on this (the calling) thread.
        let db = Db::open().unwrap();
        assert_eq!(db.insert("here").unwrap(), 1);
        let here = thread::current().name().map(str::to_owned);
        // Async code that was not entered from this thread runs its
        // thread-sensitive calls elsewhere, where the connection isn't.
        let error = tokio_runtime().block_on(db.count_async()).unwrap_err();
        assert!(matches!(error, DbError::WrongThread { .. }), "{error:?}");
        assert!(
            error.to_string().ends_with(
                "is not open on thread \"twoworlds-thread-sensitive\": use it from the \
                 thread-sensitive home it was opened in (the same block_on or scope)"
            ),
            "{error}"
        );
        // Entered from this thread through block_on, the calls come home.
        assert_eq!(twoworlds::block_on(db.count_async()).unwrap(), 1);
        assert_eq!(here.as_deref(), Some("a_db_used_away_from_its_thread"));
        db.close().unwrap();
    });
}

#[test]
fn the_example_runs() {
    with_deadline("the_example_runs", sqlite_async::main);
}
