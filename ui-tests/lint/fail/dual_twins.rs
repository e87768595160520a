//! Blocking twins of `#[dual]` items called in async code: a fn of a
//! `#[dual] mod`'s `blocking` module, a `#[bridge]` / `#[dual]` twin by its
//! `blocking_` name, a blocking trait's method through the trait and on a
//! parameter declared with it. Each warning names the call, the async fn it
//! is in, and the async call to make instead.
#![deny(warnings)]

#[twoworlds::bridge]
pub async fn fetch(k: &str) -> usize {
    k.len()
}

#[twoworlds::dual]
pub mod m {
    pub async fn load(p: &str) -> usize {
        p.len()
    }
}

#[twoworlds::dual]
pub trait Store {
    async fn get(&self, k: usize) -> usize;
}

pub struct Memory;

#[twoworlds::dual]
impl Store for Memory {
    async fn get(&self, k: usize) -> usize {
        k
    }
}

#[twoworlds::dual]
pub async fn uses_twins(s: &impl BlockingStore) -> usize {
    let a = crate::blocking_fetch("x");
    let b = crate::m::blocking::load("p");
    let c = BlockingStore::get(&Memory, 1);
    a + b + c + s.get(2)
}

fn main() {}
