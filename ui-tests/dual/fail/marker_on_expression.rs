//! A marker on a sub-expression has no place to act: `per_world!` is the
//! expression form.
#[twoworlds::dual]
async fn load(n: u8) -> u8 {
    let m = n + #[only_blocking] 1;
    m
}

fn main() {}
