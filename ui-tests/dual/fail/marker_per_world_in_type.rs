//! `per_world!` stands for an expression, not a type.
#[twoworlds::dual]
async fn load(_n: per_world!(async => u8, blocking => u16)) -> u8 {
    1
}

fn main() {}
