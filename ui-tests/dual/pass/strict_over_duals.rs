//! `#[dual(strict)]` compiles where every `.await` of the blocking twin has
//! a sync meaning: a `#[dual]` fn of another invocation, a `#[dual]` trait's
//! method through a generic bound, a supertrait's method, an async block,
//! and a value a `replace` rule made sync.
#![deny(warnings, clippy::all, clippy::pedantic)]

use twoworlds::dual;

#[dual]
async fn double(x: u32) -> u32 {
    x * 2
}

#[dual]
pub trait Base {
    async fn base(&self) -> u32;
}

#[dual]
pub trait Store: Base {
    async fn get(&self) -> u32;
    async fn sum(&self) -> u32 {
        self.get().await + self.base().await
    }
}

struct Memory;

#[dual]
impl Base for Memory {
    async fn base(&self) -> u32 {
        1
    }
}

#[dual]
impl Store for Memory {
    async fn get(&self) -> u32 {
        double(2).await
    }
}

mod aio {
    pub async fn read(n: u32) -> u32 {
        n
    }
}

mod sio {
    pub fn read(n: u32) -> u32 {
        n
    }
}

#[dual(strict, replace(aio => sio))]
async fn total<S: Store>(store: &S) -> u32 {
    let block = async { 10 }.await;
    store.sum().await + double(block).await + aio::read(100).await
}

fn main() {
    assert_eq!(blocking_total(&Memory), 125);
    assert_eq!(twoworlds::block_on(total(&Memory)), 125);
}
