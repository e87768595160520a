//! The lint covers every async fn `#[dual]` keeps: a method of an impl, a
//! trait's default body, a fn of a mod (whose `use` items it sees), a
//! method of a trait impl.
#![deny(warnings)]

pub struct Client;

#[twoworlds::dual]
impl Client {
    pub async fn nap(&self) {
        std::thread::sleep(std::time::Duration::ZERO);
    }
}

#[twoworlds::dual]
trait Store {
    async fn load(&self) -> Vec<u8> {
        std::fs::read("x").unwrap_or_default()
    }
}

#[twoworlds::dual]
impl Store for Client {
    async fn load(&self) -> Vec<u8> {
        twoworlds::block_on(std::future::ready(Vec::new()))
    }
}

#[twoworlds::dual]
mod api {
    use std::thread::sleep;

    pub async fn wait() {
        sleep(std::time::Duration::ZERO);
    }
}

fn main() {}
