use twoworlds::dual;

#[dual]
const async fn nope() -> u32 {
    1
}

fn main() {}
