//! In a `#[dual]` trait's blocking twin, a path through the trait's own name
//! is renamed to the blocking trait (`Store::m` → `BlockingStore::m`). Where
//! that would be wrong — here `helper` is async-only, so the blocking trait
//! has none — the rename is a compile error, never another call.

#[twoworlds::dual]
pub trait Store {
    #[only_async]
    async fn helper(&self) -> u32 {
        1
    }
    async fn get(&self) -> u32 {
        Store::helper(self).await
    }
}

fn main() {}
