use twoworlds::bridge;

#[bridge]
const LIMIT: u32 = 3;

fn main() {
    let _ = LIMIT;
}
