//! Per-world code in `#[dual]` items, end to end: `#[only_async]` /
//! `#[only_blocking]` in every place they go, and `per_world!`, in each form
//! (fn, impl, trait, mod). Both twins are called and compared.
#![allow(clippy::unused_async, reason = "the bodies are per-world code, not I/O")]

use twoworlds::block_on;

/// Statements of each kind, per world.
#[twoworlds::dual]
async fn trace(log: &mut Vec<String>) -> &'static str {
    #[only_blocking]
    fn helper() -> &'static str {
        "blocking helper"
    }
    #[only_async]
    fn helper() -> &'static str {
        "async helper"
    }
    #[only_async]
    let world = "async";
    #[only_blocking]
    let world = "blocking";
    #[only_async]
    log.push("async statement".to_owned());
    #[only_blocking]
    log.push("blocking statement".to_owned());
    log.push(helper().to_owned());
    #[only_blocking]
    println!("only the blocking twin prints this");
    world
}

#[test]
fn statements_and_local_items() {
    let mut blocking_log = Vec::new();
    assert_eq!(blocking_trace(&mut blocking_log), "blocking");
    assert_eq!(blocking_log, ["blocking statement", "blocking helper"]);
    let mut async_log = Vec::new();
    assert_eq!(block_on(trace(&mut async_log)), "async");
    assert_eq!(async_log, ["async statement", "async helper"]);
}

/// `per_world!` in expression, statement and macro-argument position.
#[twoworlds::dual]
async fn pick(n: u32) -> (u32, String) {
    let scaled = per_world!(async => n * 10, blocking => n * 100) + 1;
    let mut text = String::new();
    per_world!(async => text.push('a'), blocking => text.push('b'));
    let text =
        format!("{text}{}", twoworlds::per_world!(async => "-async", blocking => "-blocking"));
    (scaled, text)
}

#[test]
fn the_expression_form() {
    assert_eq!(blocking_pick(2), (201, "b-blocking".to_owned()));
    assert_eq!(block_on(pick(2)), (21, "a-async".to_owned()));
}

/// Match arms per world.
#[twoworlds::dual]
async fn classify(n: i32) -> &'static str {
    match n {
        0 => "zero",
        #[only_blocking]
        n if n < 0 => "negative (blocking knows)",
        _ => "other",
    }
}

#[test]
fn match_arms() {
    assert_eq!(blocking_classify(-3), "negative (blocking knows)");
    assert_eq!(block_on(classify(-3)), "other");
    assert_eq!(blocking_classify(0), block_on(classify(0)));
}

/// Inherent methods per world, and a statement marker inside one.
struct Cache {
    hits: u32,
}

#[twoworlds::dual]
impl Cache {
    async fn get(&mut self) -> u32 {
        self.hits += 1;
        #[only_blocking]
        {
            self.hits += 100;
        }
        self.hits
    }

    #[only_async]
    async fn only_in_async(&self) -> u32 {
        self.hits
    }
}

/// Only the async twin gets `only_in_async`; only `blocking_get` gets the
/// `+ 100`. (A `blocking_only_in_async` would not compile.)
#[test]
fn impl_items() {
    let mut cache = Cache { hits: 0 };
    assert_eq!(cache.blocking_get(), 101);
    assert_eq!(block_on(cache.get()), 102);
    assert_eq!(block_on(cache.only_in_async()), 102);
}

/// A trait whose blocking twin has an extra method.
#[twoworlds::dual]
trait Store {
    async fn load(&self, key: u8) -> Option<u8>;
    #[only_blocking]
    fn flush(&self) -> bool;
}

struct MemoryStore;

#[twoworlds::dual]
impl Store for MemoryStore {
    async fn load(&self, key: u8) -> Option<u8> {
        per_world!(async => key.checked_add(1), blocking => key.checked_add(2))
    }
    #[only_blocking]
    fn flush(&self) -> bool {
        true
    }
}

#[test]
fn trait_items() {
    let store = MemoryStore;
    assert_eq!(BlockingStore::load(&store, 1), Some(3));
    assert!(BlockingStore::flush(&store));
    assert_eq!(block_on(Store::load(&store, 1)), Some(2));
}

/// A module with per-world imports, types, fields, variants and items.
#[twoworlds::dual]
mod files {
    #[only_async]
    pub(crate) type Handle = std::sync::Arc<std::sync::Mutex<Vec<u8>>>;
    #[only_blocking]
    pub(crate) type Handle = std::rc::Rc<std::cell::RefCell<Vec<u8>>>;

    /// Where the bytes go.
    pub(crate) struct Sink {
        pub(crate) handle: Handle,
        #[only_blocking]
        pub(crate) flushes: u32,
    }

    /// What a write did.
    #[derive(Debug, PartialEq)]
    pub(crate) enum Outcome {
        Written(usize),
        #[only_blocking]
        WrittenAndFlushed(usize),
    }

    #[only_async]
    fn push(handle: &Handle, bytes: &[u8]) {
        handle.lock().unwrap().extend_from_slice(bytes);
    }

    #[only_blocking]
    fn push(handle: &Handle, bytes: &[u8]) {
        handle.borrow_mut().extend_from_slice(bytes);
    }

    impl Sink {
        pub(crate) async fn write(&mut self, bytes: &[u8]) -> Outcome {
            push(&self.handle, bytes);
            #[only_blocking]
            {
                self.flushes += 1;
                Outcome::WrittenAndFlushed(bytes.len())
            }
            #[only_async]
            Outcome::Written(bytes.len())
        }
    }

    pub(crate) async fn new_sink(handle: Handle) -> Sink {
        Sink {
            handle,
            #[only_blocking]
            flushes: 0,
        }
    }
}

#[test]
fn module_items_fields_and_variants() {
    let shared = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let mut sink = files::blocking::new_sink(shared.clone());
    assert_eq!(sink.write(b"ab"), files::blocking::Outcome::WrittenAndFlushed(2));
    assert_eq!(sink.flushes, 1);
    assert_eq!(*shared.borrow(), b"ab");
    assert_ne!(
        files::blocking::Outcome::Written(2),
        files::blocking::Outcome::WrittenAndFlushed(2)
    );

    let shared = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut sink = block_on(files::new_sink(shared.clone()));
    assert_eq!(block_on(sink.write(b"xyz")), files::Outcome::Written(3));
    assert_eq!(*shared.lock().unwrap(), b"xyz");
}
