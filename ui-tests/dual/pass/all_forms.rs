#![deny(warnings)]
use twoworlds::dual;

#[dual]
async fn answer() -> u32 {
    42
}

fn main() {
    assert_eq!(blocking_answer(), 42);
    assert_eq!(twoworlds::block_on(answer()), 42);
}
