//! `#[dual]`: both twins of every form are called and give the same results;
//! the generated code is clean under pedantic clippy and hygienic.
#![deny(warnings, clippy::all, clippy::pedantic)]
#![allow(clippy::unused_async, clippy::manual_async_fn, missing_docs)]

// Hygiene: generated code must not pick these up.
#[allow(dead_code)]
mod core {}
#[allow(dead_code)]
mod std {}

use twoworlds::dual;

/// Doubles after a helper.
#[dual]
pub async fn double(x: u32) -> u32 {
    let a = async { x }.await;
    let b = async {
        if x > 100 {
            return 0;
        }
        x
    }
    .await;
    a + b
}

#[dual]
async fn count_down(n: u32) -> u32 {
    if n == 0 { 0 } else { 1 + Box::pin(count_down(n - 1)).await }
}

#[dual(blocking = parse_now)]
async fn parse(s: &str) -> Result<u32, ::std::num::ParseIntError> {
    let v: u32 = s.trim().parse()?;
    let w = async { Ok::<u32, ::std::num::ParseIntError>(s.trim().parse::<u32>()? + 1) }.await?;
    assert_eq!(w, v + 1, "{}", async { v }.await);
    Ok(v)
}

#[dual]
async fn deferred(flag: bool) -> Vec<u32> {
    let later = async move { if flag { vec![1] } else { vec![2, 3] } };
    let first = double(2).await;
    let mut out = vec![first];
    out.extend(later.await);
    out
}

#[dual]
async fn foreign() -> u32 {
    ::futures_lite::future::ready(7).await
}

#[dual]
fn later(x: u32) -> impl ::core::future::Future<Output = u32> {
    async move { x * 3 }
}

#[dual]
async fn run<F: ::core::future::Future<Output = u32>>(
    f: F,
    g: impl ::core::future::Future<Output = u32>,
) -> u32 {
    f.await + g.await
}

#[test]
fn fn_form_twins_agree() {
    for x in [0, 5, 101] {
        assert_eq!(blocking_double(x), twoworlds::block_on(double(x)));
    }
    assert_eq!(blocking_double(101), 101);
    assert_eq!(blocking_count_down(5), 5);
    assert_eq!(parse_now(" 41 "), Ok(41));
    assert!(parse_now("x").is_err());
    assert_eq!(twoworlds::block_on(parse(" 41 ")), Ok(41));
    assert_eq!(blocking_deferred(true), vec![4, 1]);
    assert_eq!(blocking_deferred(false), twoworlds::block_on(deferred(false)));
    assert_eq!(blocking_foreign(), 7);
    assert_eq!(twoworlds::block_on(foreign()), 7);
    assert_eq!(blocking_later(2), 6);
    assert_eq!(twoworlds::block_on(later(2)), 6);
    assert_eq!(blocking_run(1, 2), 3);
    assert_eq!(twoworlds::block_on(run(async { 1 }, async { 2 })), 3);
}

/// A counter.
pub struct Counter {
    base: u32,
}

#[dual]
impl Counter {
    /// Makes one.
    pub async fn new(base: u32) -> Self {
        Self { base }
    }

    /// Adds.
    pub async fn add(&self, k: u32) -> u32 {
        self.base + k
    }

    /// Adds twice, through the other methods.
    pub async fn add_twice(&self, k: u32) -> u32 {
        let fresh = Counter::new(self.base).await;
        self.add(k).await + fresh.add(k).await
    }

    /// Sync, untouched.
    #[must_use]
    pub fn base(&self) -> u32 {
        self.base
    }

    #[dual(skip)]
    pub async fn only_async(&self) -> u32 {
        self.base
    }
}

#[test]
fn impl_form_twins_agree() {
    let c = Counter::blocking_new(10);
    assert_eq!(c.blocking_add(1), 11);
    assert_eq!(c.blocking_add_twice(1), 22);
    assert_eq!(twoworlds::block_on(c.add_twice(1)), 22);
    assert_eq!(twoworlds::block_on(c.only_async()), c.base());
}

mod store {
    use twoworlds::dual;

    /// A store.
    #[dual(send)]
    pub(crate) trait Store: Sync {
        /// Gets.
        async fn get(&self, k: u32) -> Option<u32>;
        /// Gets or a default.
        async fn get_or(&self, k: u32, d: u32) -> u32 {
            self.get(k).await.unwrap_or(d)
        }
        /// The name.
        fn name(&self) -> &'static str;
    }

    pub(crate) struct Memory(pub(crate) Vec<u32>);

    #[dual]
    impl Store for Memory {
        async fn get(&self, k: u32) -> Option<u32> {
            self.0.get(k as usize).copied()
        }
        async fn get_or(&self, k: u32, d: u32) -> u32 {
            // Both `Store` and `BlockingStore` are in scope here (this module
            // defines them) and `Memory` implements both: name the trait.
            <Self as Store>::get(self, k).await.or(Store::get(self, k).await).unwrap_or(d) + 1
        }
        fn name(&self) -> &'static str {
            "memory"
        }
    }
}

#[test]
fn trait_form_twins_agree() {
    fn sync_side(s: &impl store::BlockingStore) -> (Option<u32>, u32, &'static str) {
        (s.get(1), s.get_or(9, 5), s.name())
    }
    async fn async_side(s: &impl store::Store) -> (Option<u32>, u32, &'static str) {
        (s.get(1).await, s.get_or(9, 5).await, s.name())
    }
    fn assert_send<T: Send>(t: T) -> T {
        t
    }
    let m = store::Memory(vec![1, 2]);
    assert_eq!(sync_side(&m), (Some(2), 6, "memory"));
    assert_eq!(twoworlds::block_on(assert_send(async_side(&m))), (Some(2), 6, "memory"));
}

static OFFSET: u32 = 100;

fn offset() -> u32 {
    OFFSET
}

/// An API in both worlds.
#[dual(send)]
pub mod api {
    use super::OFFSET;

    pub(super) static CALLS: ::std::sync::atomic::AtomicU32 =
        ::std::sync::atomic::AtomicU32::new(0);

    /// A client.
    pub struct Client {
        pub base: u32,
    }

    impl Client {
        /// Connects.
        pub async fn connect(base: u32) -> Self {
            CALLS.fetch_add(1, ::std::sync::atomic::Ordering::Relaxed);
            Self { base }
        }

        /// Gets.
        pub async fn get(&self, k: u32) -> u32 {
            add(self.base, k).await
        }
    }

    /// A trait inside.
    pub trait Named: Sync {
        /// The name, late.
        async fn name(&self) -> String;
    }

    impl Named for Client {
        async fn name(&self) -> String {
            format!("client {}", self.get(0).await)
        }
    }

    /// Adds the offset.
    pub async fn add(a: u32, b: u32) -> u32 {
        a + b + super::offset() + OFFSET - OFFSET_TWICE
    }

    pub const OFFSET_TWICE: u32 = 100;

    pub mod inner {
        /// Twice.
        pub async fn twice(c: &super::Client) -> u32 {
            c.get(1).await * 2
        }
    }
}

#[test]
fn mod_form_twins_agree() {
    use api::Named as _;
    let c = api::blocking::Client::connect(1);
    assert_eq!(c.get(2), 103);
    assert_eq!(api::blocking::inner::twice(&c), 204);
    assert_eq!(api::blocking::Named::name(&c), "client 101");
    let a = twoworlds::block_on(api::Client::connect(1));
    assert_eq!(twoworlds::block_on(api::inner::twice(&a)), 204);
    assert_eq!(twoworlds::block_on(a.name()), "client 101");
    assert_eq!(api::CALLS.load(::std::sync::atomic::Ordering::Relaxed), 2);
    assert_eq!(api::blocking::add(0, 0), 100);
    assert_eq!(api::blocking::OFFSET_TWICE, api::OFFSET_TWICE);
}

/// Tests of both twins from one body.
#[dual]
#[tokio::test]
async fn one_body_two_tests() {
    assert_eq!(double(3).await, 6);
}

/// Items shared by both worlds with `#[dual(skip)]`.
#[dual]
pub mod shared {
    /// One error type for both worlds.
    #[dual(skip)]
    #[derive(Debug, PartialEq, Eq)]
    pub struct Error(pub u32);

    /// Fails on odd numbers.
    ///
    /// # Errors
    /// On odd `n`.
    pub async fn even(n: u32) -> Result<u32, Error> {
        if n.is_multiple_of(2) { Ok(n) } else { Err(Error(n)) }
    }

    pub mod nested {
        pub static LIMIT: u32 = 10;
    }
}

#[test]
fn mod_form_shares_skipped_items_and_statics() {
    let sync_error: shared::Error = shared::blocking::even(3).unwrap_err();
    assert_eq!(sync_error, twoworlds::block_on(shared::even(3)).unwrap_err());
    assert_eq!(shared::blocking::even(4), Ok(4));
    assert!(::std::ptr::eq(
        &raw const shared::blocking::nested::LIMIT,
        &raw const shared::nested::LIMIT
    ));
}

/// `#[dual]` on one method of a plain impl: the fn form, inside the impl.
pub struct Single(u32);

impl Single {
    /// Reads the value.
    #[dual]
    pub async fn value(&self) -> u32 {
        async { self.0 }.await
    }
}

#[test]
fn fn_form_works_on_a_single_method() {
    let s = Single(5);
    assert_eq!(s.blocking_value(), 5);
    assert_eq!(twoworlds::block_on(s.value()), 5);
}
