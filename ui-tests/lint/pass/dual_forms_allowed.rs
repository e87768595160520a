//! Every allow form on every `#[dual]` form: the option on the attribute
//! (impl), `#[dual(allow_blocking)]` on a method or a mod item,
//! `#[allow_blocking]` on a method, a trait method, a nested mod. Nothing
//! reaches rustc, the code is clean under pedantic clippy, and both twins
//! work.
#![deny(warnings, clippy::all, clippy::pedantic)]

use std::time::Duration;

/// A client.
pub struct Client;

#[twoworlds::dual(allow_blocking)]
impl Client {
    /// Naps, knowingly.
    pub async fn nap(&self, d: Duration) -> u8 {
        std::thread::sleep(d);
        1
    }
}

/// Another client.
pub struct Other;

#[twoworlds::dual]
impl Other {
    /// Naps, knowingly.
    #[dual(allow_blocking)]
    pub async fn nap(&self, d: Duration) -> u8 {
        std::thread::sleep(d);
        2
    }

    /// Naps, knowingly too.
    #[allow_blocking]
    pub async fn nap_too(&self, d: Duration) -> u8 {
        std::thread::sleep(d);
        3
    }
}

/// A store.
#[twoworlds::dual]
trait Store {
    /// Loads, knowingly the blocking way.
    #[allow_blocking]
    async fn load(&self) -> usize {
        std::fs::read("/definitely/not/here").map_or(0, |bytes| bytes.len())
    }
}

// `BlockingStore` comes with it (the trait's blanket impl).
impl Store for Client {}

/// An API.
#[twoworlds::dual]
pub mod api {
    use std::thread::sleep;
    use std::time::Duration;

    /// Waits, knowingly.
    #[dual(allow_blocking)]
    pub async fn wait(d: Duration) -> u8 {
        sleep(d);
        4
    }

    /// More of the same.
    #[allow_blocking]
    pub mod inner {
        /// Waits, knowingly.
        pub async fn wait(d: ::std::time::Duration) -> u8 {
            ::std::thread::sleep(d);
            5
        }
    }
}

fn main() {
    let d = Duration::ZERO;
    assert_eq!(Client.blocking_nap(d) + twoworlds::block_on(Client.nap(d)), 2);
    assert_eq!(Other.blocking_nap(d) + twoworlds::block_on(Other.nap_too(d)), 5);
    assert_eq!(BlockingStore::load(&Client) + twoworlds::block_on(Store::load(&Client)), 0);
    assert_eq!(api::blocking::wait(d) + twoworlds::block_on(api::wait(d)), 8);
    assert_eq!(api::blocking::inner::wait(d) + twoworlds::block_on(api::inner::wait(d)), 10);
}
