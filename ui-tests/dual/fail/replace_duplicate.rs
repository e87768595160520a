//! One `from` path replaced twice is ambiguous.
#[twoworlds::dual(replace(tokio::fs => std::fs, ::tokio::fs => my::fs))]
async fn load() -> u8 {
    1
}

fn main() {}
