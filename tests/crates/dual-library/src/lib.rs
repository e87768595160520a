//! A library written with `#[dual]`, as a crate of its own, so that the
//! facade's tests can write `#[dual]` code over it from another crate
//! (`tests/dual_effects/calls.rs`) and check that their blocking twins call
//! this crate's blocking twins, with no annotation. Each fn records which
//! world it ran in ([`take_worlds`]). It is of edition 2021, older than
//! the macro crates': its twins keep that edition's meaning
//! ([`else_sees_the_scrutinee_borrowed`]).

use std::sync::{Mutex, PoisonError};
use twoworlds::dual;

/// Which world each fn of this crate ran in, in order.
static WORLDS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Records that `name` ran in `world`.
fn ran(name: &str, world: &str) {
    WORLDS.lock().unwrap_or_else(PoisonError::into_inner).push(format!("{name} {world}"));
}

/// The worlds recorded so far, taken out.
#[must_use]
pub fn take_worlds() -> Vec<String> {
    std::mem::take(&mut *WORLDS.lock().unwrap_or_else(PoisonError::into_inner))
}

/// Adds.
#[dual]
pub async fn add(a: u32, b: u32) -> u32 {
    ran("add", per_world!(async => "async", blocking => "blocking"));
    a + b
}

/// A client.
pub struct Client {
    /// Its base.
    base: u32,
}

#[dual]
impl Client {
    /// Connects.
    pub async fn connect(base: u32) -> Self {
        ran("connect", per_world!(async => "async", blocking => "blocking"));
        Self { base }
    }

    /// Fetches.
    pub async fn fetch(&self, n: u32) -> u32 {
        ran("fetch", per_world!(async => "async", blocking => "blocking"));
        self.base * 10 + n
    }

    /// [`else_sees_the_scrutinee_borrowed`] as a method: an impl's twins
    /// are the body of a macro of this crate, of this crate's edition.
    #[allow(
        clippy::unused_async,
        clippy::redundant_pattern_matching,
        reason = "an edition probe: the `if let` keeps its scrutinee's temporary"
    )]
    pub async fn else_sees_the_scrutinee_borrowed(
        &self,
        cell: &std::cell::RefCell<Option<u8>>,
    ) -> bool {
        if let Some(_) = cell.borrow().as_ref() {
            false
        } else {
            cell.try_borrow_mut().is_err()
        }
    }
}

/// The same probe in a module's twin.
#[dual]
pub mod probe {
    /// See [`super::else_sees_the_scrutinee_borrowed`].
    #[allow(
        clippy::unused_async,
        clippy::redundant_pattern_matching,
        reason = "an edition probe: the `if let` keeps its scrutinee's temporary"
    )]
    pub async fn else_sees_the_scrutinee_borrowed(cell: &std::cell::RefCell<Option<u8>>) -> bool {
        if let Some(_) = cell.borrow().as_ref() {
            false
        } else {
            cell.try_borrow_mut().is_err()
        }
    }
}

/// A hook users implement.
#[dual]
pub trait Hook {
    /// Called on an event.
    async fn on_event(&self, n: u32) -> u32;
}

/// Runs a hook.
#[dual]
pub async fn run_hook<H: Hook>(hook: &H) -> u32 {
    hook.on_event(5).await - 5
}

/// Whether the `else` of an `if let` still sees the scrutinee's temporary
/// (a `RefCell` borrow) alive: `true` in edition 2021, `false` in 2024,
/// which drops it before the `else`. Both twins of this 2021 crate say
/// `true`.
#[dual]
#[allow(
    clippy::unused_async,
    clippy::redundant_pattern_matching,
    reason = "an edition probe: the `if let` keeps its scrutinee's temporary"
)]
pub async fn else_sees_the_scrutinee_borrowed(cell: &std::cell::RefCell<Option<u8>>) -> bool {
    if let Some(_) = cell.borrow().as_ref() {
        false
    } else {
        cell.try_borrow_mut().is_err()
    }
}
