//! Shapes of real async code (`../shared/field-reports`) that the blocking
//! twin must keep, each run in both twins: an async block handed to a
//! future combinator, a future parameter used as a future, elided
//! lifetimes in `impl Trait` arguments, `Send` on a `send` trait's default
//! method.
#![allow(clippy::unused_async, reason = "shapes, not I/O")]

use futures::{FutureExt as _, TryFutureExt as _};
use std::future::Future;

async fn connect(n: u32) -> Result<u32, ()> {
    Ok(n)
}

async fn on_acquire(c: &mut u32) -> Result<(), ()> {
    *c += 1;
    Ok(())
}

/// bb8's `add_connection`: the combinator gets its async closure in both twins.
#[twoworlds::dual]
async fn add_connection(n: u32) -> Result<u32, ()> {
    connect(n).and_then(|mut c| async move { on_acquire(&mut c).await.map(|()| c) }).await
}

#[test]
fn an_async_block_in_a_combinator_stays_async() {
    assert_eq!(blocking_add_connection(1), Ok(2));
    assert_eq!(twoworlds::block_on(add_connection(1)), Ok(2));
}

/// mobc's `timeout`: the future parameter is handed on (`fuse`), so it stays
/// a future in the twin, settled where it is awaited.
#[twoworlds::dual]
async fn first_of<F: Future<Output = u32>>(f: F) -> u32 {
    f.fuse().await
}

/// Only awaited: the twin takes the value.
#[twoworlds::dual]
async fn awaited_only<F: Future<Output = u32>>(f: F) -> u32 {
    f.await + 1
}

#[test]
fn a_future_param_is_a_value_only_when_the_body_just_awaits_it() {
    assert_eq!(blocking_first_of(async { 4 }), 4);
    assert_eq!(twoworlds::block_on(first_of(async { 4 })), 4);
    assert_eq!(blocking_awaited_only(4), 5);
    assert_eq!(twoworlds::block_on(awaited_only(async { 4 })), 5);
}

/// async-imap's `Session::id`: elided lifetimes inside `impl Trait` arguments.
struct Session;

#[twoworlds::dual]
impl Session {
    async fn id(&mut self, ids: impl IntoIterator<Item = (&str, Option<&str>)>) -> usize {
        ids.into_iter().filter(|(_, v)| v.is_some()).count()
    }
}

#[test]
fn elided_lifetimes_in_impl_trait_arguments() {
    let ids = [("name", Some("x")), ("version", None)];
    assert_eq!(Session.blocking_id(ids), 1);
    assert_eq!(twoworlds::block_on(Session.id(ids)), 1);
}

/// rspotify's `BaseClient`: under `send`, a default method's future is `Send` too.
#[twoworlds::dual(send)]
pub trait Store: Sync {
    /// Required.
    async fn required(&self) -> u32;
    /// Defaulted.
    async fn with_default(&self) -> u32 {
        self.required().await + 1
    }
}

struct Memory;

#[twoworlds::dual]
impl Store for Memory {
    async fn required(&self) -> u32 {
        1
    }
}

/// Spawnable only if `Send`: a default method's future, through a generic bound.
fn spawnable<S: Store>(s: &S) -> impl Future<Output = u32> + Send + '_ {
    s.with_default()
}

#[test]
fn default_methods_of_a_send_trait_are_send() {
    assert_eq!(twoworlds::block_on(spawnable(&Memory)), 2);
    assert_eq!(BlockingStore::with_default(&Memory), 2);
}

/// rspotify's `OAuthClient::prompt_for_token` (was `#[maybe_async]` inside a
/// maybe-async trait): a nested `#[dual]` is redundant, and accepted.
#[twoworlds::dual]
pub trait Prompt {
    /// Prompts.
    #[twoworlds::dual]
    async fn prompt(&self) -> u32 {
        1
    }
}

impl Prompt for Memory {}

/// An underscore-prefixed fn's twin keeps snake case.
#[twoworlds::dual]
async fn _savepoint() -> u32 {
    7
}

#[test]
#[allow(clippy::used_underscore_items, reason = "calling the twin of `_savepoint` is the test")]
fn nested_dual_and_underscored_names() {
    assert_eq!(BlockingPrompt::prompt(&Memory), 1);
    assert_eq!(twoworlds::block_on(Prompt::prompt(&Memory)), 1);
    assert_eq!(_blocking_savepoint(), 7);
}

/// A twin is re-spanned as a whole (so its errors say they are in the
/// twin); what `#[twoworlds::dual]` adds to it must still not capture the user's names.
#[twoworlds::dual]
async fn named_like_the_twin_locals(runtime: u32, __joined0: u32) -> u32 {
    let n = add_one(runtime).await;
    n + __joined0
}

#[twoworlds::dual]
async fn add_one(n: u32) -> u32 {
    n + 1
}

#[test]
fn params_named_like_the_macros_own_locals_keep_their_values() {
    assert_eq!(blocking_named_like_the_twin_locals(1, 10), 12);
}
