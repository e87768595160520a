//! A sync database library awaited from async code: `rusqlite` behind
//! `#[bridge(thread_sensitive)]`.
//!
//! A `rusqlite::Connection` is not `Sync`, and `SQLite` connections are best
//! kept on one thread. Here each connection lives in a thread-local of the
//! thread that opened it; [`Db`] is only a small `Send + Clone` key to it.
//! `#[bridge(thread_sensitive)]` gives every method an async twin
//! (`open_async`, `insert_async`, `query_async`, `insert_all_async`, ..) that
//! runs the method on twoworlds' thread-sensitive thread, so all of a
//! program's calls reach the thread that holds the connection, one at a time,
//! without blocking the event loop. (Plain `#[bridge]` would run them on any
//! pool thread, where the connection isn't.)
//!
//! Run: `cargo run --example sqlite_async`

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use rusqlite::{Connection, Row, params};
use twoworlds::bridge;

thread_local! {
    /// The connections opened on this thread, by [`Db`] id.
    static CONNECTIONS: RefCell<HashMap<u64, Connection>> = RefCell::new(HashMap::new());
}

/// The id of the next database opened.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A fresh in-memory database with a `notes` table, reached through the
/// thread that opened it.
#[derive(Clone, Debug)]
pub(crate) struct Db {
    /// The key of its connection in that thread's [`CONNECTIONS`].
    id: u64,
}

/// A row of `notes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Note {
    /// Its rowid.
    pub(crate) id: i64,
    /// Its text (never empty: a `CHECK` constraint).
    pub(crate) body: String,
}

/// Why a call failed.
#[derive(Debug)]
pub(crate) enum DbError {
    /// `SQLite` reported an error.
    Sqlite(rusqlite::Error),
    /// The connection is not on this thread: the database was opened under
    /// another thread-sensitive home (another `block_on` or scope).
    WrongThread {
        /// The database.
        id: u64,
        /// The thread the call ran on.
        thread: String,
    },
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(e) => write!(f, "sqlite: {e}"),
            Self::WrongThread { id, thread } => write!(
                f,
                "database #{id} is not open on thread {thread:?}: use it from the \
                 thread-sensitive home it was opened in (the same block_on or scope)"
            ),
        }
    }
}

impl std::error::Error for DbError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Sqlite(e) => Some(e),
            Self::WrongThread { .. } => None,
        }
    }
}

impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Sqlite(e)
    }
}

/// The schema of a fresh database.
const SCHEMA: &str =
    "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL CHECK (length(body) > 0))";

#[bridge(thread_sensitive)]
impl Db {
    /// Opens a fresh in-memory database on this thread.
    pub(crate) fn open() -> Result<Self, DbError> {
        let connection = Connection::open_in_memory()?;
        connection.execute(SCHEMA, [])?;
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        CONNECTIONS.with(|c| c.borrow_mut().insert(id, connection));
        Ok(Self { id })
    }

    /// Inserts a note; its id.
    pub(crate) fn insert(&self, body: &str) -> Result<i64, DbError> {
        self.with(|c| {
            c.execute("INSERT INTO notes (body) VALUES (?1)", [body])?;
            Ok(c.last_insert_rowid())
        })
    }

    /// The notes whose body contains `text`, by id.
    pub(crate) fn query(&self, text: &str) -> Result<Vec<Note>, DbError> {
        self.query_map(
            "SELECT id, body FROM notes WHERE instr(body, ?1) > 0 ORDER BY id",
            text,
            |row| Ok(Note { id: row.get(0)?, body: row.get(1)? }),
        )
    }

    /// Runs `sql` with one text parameter and maps each row with `map`.
    pub(crate) fn query_map<T: Send + 'static>(
        &self,
        sql: &str,
        param: &str,
        map: fn(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, DbError> {
        self.with(|c| {
            let mut statement = c.prepare(sql)?;
            let rows = statement.query_map([param], map)?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// How many notes there are.
    pub(crate) fn count(&self) -> Result<i64, DbError> {
        self.with(|c| Ok(c.query_row("SELECT count(*) FROM notes", [], |row| row.get(0))?))
    }

    /// Inserts every note or, if one fails, none (one transaction); how many.
    pub(crate) fn insert_all(&self, bodies: &[String]) -> Result<usize, DbError> {
        self.with(|c| {
            let transaction = c.transaction()?;
            for body in bodies {
                transaction.execute("INSERT INTO notes (body) VALUES (?1)", params![body])?;
            }
            transaction.commit()?;
            Ok(bodies.len())
        })
    }

    /// Runs one statement of `sql`; the number of rows it changed.
    pub(crate) fn execute(&self, sql: &str) -> Result<usize, DbError> {
        self.with(|c| Ok(c.execute(sql, [])?))
    }

    /// Closes the connection (later calls fail with [`DbError::WrongThread`]).
    pub(crate) fn close(self) -> Result<(), DbError> {
        match CONNECTIONS.with(|c| c.borrow_mut().remove(&self.id)) {
            Some(connection) => connection.close().map_err(|(_, e)| e.into()),
            None => Err(self.wrong_thread()),
        }
    }

    /// Runs `f` with this database's connection, on this thread.
    #[bridge(skip)]
    fn with<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T, DbError>) -> Result<T, DbError> {
        CONNECTIONS.with(|connections| {
            let mut connections = connections.borrow_mut();
            let connection = connections.get_mut(&self.id).ok_or_else(|| self.wrong_thread())?;
            f(connection)
        })
    }

    /// The error for a call on a thread that doesn't hold the connection.
    #[bridge(skip)]
    fn wrong_thread(&self) -> DbError {
        let thread = std::thread::current().name().unwrap_or("<unnamed>").to_owned();
        DbError::WrongThread { id: self.id, thread }
    }
}

/// The name of the thread that runs thread-sensitive calls from here;
/// also `home_thread_async`.
#[bridge(thread_sensitive)]
pub(crate) fn home_thread() -> String {
    std::thread::current().name().unwrap_or("<unnamed>").to_owned()
}

/// Async code all the way: a tokio server awaiting a sync database.
pub(crate) fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    runtime.block_on(async {
        let db = Db::open_async().await.expect("open");
        // Ten concurrent tasks, one connection thread: the event loop never blocks.
        let tasks: Vec<_> = (1..=10)
            .map(|i| {
                let db = db.clone();
                tokio::spawn(async move { db.insert_async(&format!("note {i}")).await })
            })
            .collect();
        for task in tasks {
            task.await.expect("insert task").expect("insert");
        }
        let home = home_thread_async().await;
        println!("10 tasks inserted through `insert_async`, all on thread {home:?}");
        println!("count_async()            → {}", db.count_async().await.expect("count"));
        let found = db.query_async("note 1").await.expect("query");
        let bodies: Vec<_> = found.iter().map(|note| note.body.as_str()).collect();
        println!("query_async(\"note 1\")    → {bodies:?}");

        let batch = vec!["first".to_owned(), "second".to_owned()];
        let inserted = db.insert_all_async(&batch).await.expect("transaction");
        println!("insert_all_async([2])    → committed {inserted} rows in one transaction");
        let bad = vec!["third".to_owned(), String::new()];
        let error = db.insert_all_async(&bad).await.expect_err("empty body");
        println!("insert_all_async([..\"\"]) → rolled back: {error}");
        let error = db.execute_async("DELETE FROM missing").await.expect_err("no such table");
        println!("execute_async(bad sql)   → {error}");
        println!(
            "count_async()            → {} (still usable)",
            db.count_async().await.expect("count")
        );
        db.close_async().await.expect("close");
    });
}
