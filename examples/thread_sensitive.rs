//! A `!Send` resource used from async code through thread-sensitive bridging.
//!
//! `Connection` stands for a handle that must stay on the thread that made it
//! (a `SQLite` connection, a GUI handle, a non-thread-safe C library): it lives
//! in a thread-local as an `Rc<RefCell<..>>`, which cannot cross threads at
//! all. Async code reaches it through `#[bridge(thread_sensitive)]`, so every
//! call runs on the one thread that owns it — here the main thread, because
//! the program is sync at the outermost level and `block_on` serves
//! thread-sensitive work while it waits.
//!
//! The second half is async at the outermost level (a tokio server): there
//! each request opens a `thread_sensitive_scope`, so each request gets a
//! connection thread of its own.
//!
//! Run: `cargo run --example thread_sensitive`

use std::cell::RefCell;
use std::rc::Rc;
use std::thread;

use twoworlds::{ContextLocal, block_on, bridge, thread_sensitive_scope, unblock};

/// A connection that must only be used on the thread that opened it.
struct Connection {
    /// Rows inserted so far.
    rows: Vec<String>,
}

thread_local! {
    /// This thread's connection, opened on first use. `Rc` makes it `!Send`.
    static CONNECTION: Rc<RefCell<Connection>> = {
        println!("[{}] open connection", thread_name());
        Rc::new(RefCell::new(Connection { rows: Vec::new() }))
    };
}

/// The request being served, visible on every thread the request reaches.
static REQUEST: ContextLocal<&'static str> = ContextLocal::new();

/// The current thread's name, for the printout.
fn thread_name() -> String {
    thread::current().name().unwrap_or("<unnamed>").to_owned()
}

/// Inserts a row through this thread's connection; also `insert_async`.
#[bridge(thread_sensitive)]
fn insert(row: String) -> usize {
    let request = REQUEST.get().map_or("-", |r| *r);
    println!("[{}] insert {row:?} (request {request})", thread_name());
    CONNECTION.with(|c| {
        c.borrow_mut().rows.push(row);
        c.borrow().rows.len()
    })
}

/// Parses a payload on the pool: plain `unblock`, any thread will do.
fn parse(payload: &str) -> String {
    println!("[{}] parse {payload:?}", thread_name());
    payload.trim().to_uppercase()
}

/// An async handler: parses on the pool, inserts on the connection's thread.
async fn handle(payload: &'static str) -> usize {
    let row = unblock(move || parse(payload)).await;
    let count = insert_async(row).await;
    // Sync code on a pool thread that calls async code again still reaches
    // the same connection thread.
    unblock(|| block_on(insert_async("audit".to_owned()))).await;
    count
}

fn main() {
    println!("[{}] main starts", thread_name());
    let rows = REQUEST.sync_scope("r-1", || {
        block_on(async {
            let a = handle(" first ").await;
            let b = handle(" second ").await;
            (a, b)
        })
    });
    println!("[{}] rows after each handler: {rows:?}", thread_name());
    let total = CONNECTION.with(|c| c.borrow().rows.len());
    println!("[{}] the main thread's connection holds {total} rows", thread_name());
    assert_eq!(total, 4, "every insert ran on the main thread");

    println!("--- async outermost: one connection thread per request scope ---");
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    runtime.block_on(async {
        let requests = ["r-2", "r-3"]
            .map(|id| tokio::spawn(REQUEST.scope(id, thread_sensitive_scope(handle(" scoped ")))));
        for request in requests {
            let rows = request.await.expect("request");
            // Each scope's thread has its own connection: 1 row, then the audit row.
            assert_eq!(rows, 1);
        }
    });
}
