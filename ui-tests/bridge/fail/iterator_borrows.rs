use twoworlds::bridge;

// The async twin makes the iterator on the pool from an owned copy of
// `text`; in edition 2024 the iterator's type captures the borrow.
#[bridge]
fn words(text: &str) -> impl Iterator<Item = String> + Send {
    text.split(' ').map(str::to_owned).collect::<Vec<_>>().into_iter()
}

// Thread-sensitive iterators are not supported.
#[bridge(thread_sensitive)]
fn numbers() -> impl Iterator<Item = u8> {
    0..3
}

fn main() {
    let _ = words("a b");
    let _ = numbers();
}
