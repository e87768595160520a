use twoworlds::bridge;

#[bridge(blocking = a, blocking = b)]
async fn fetch() -> u32 {
    1
}

fn main() {}
