//! An empty `replace()` says what to write.
#[twoworlds::dual(replace())]
async fn load() -> u8 {
    1
}

fn main() {}
