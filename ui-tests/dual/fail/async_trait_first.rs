//! `#[async_trait]` above `#[dual]` runs first and leaves no `async fn`:
//! the error says to put `#[dual]` above it.
use async_trait::async_trait;

#[async_trait]
#[twoworlds::dual]
pub trait Below {
    async fn execute(&self, q: &str) -> u64;
}

fn main() {}
