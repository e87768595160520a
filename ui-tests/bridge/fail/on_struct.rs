use twoworlds::bridge;

#[bridge]
struct Client {
    base: u32,
}

fn main() {
    let _ = Client { base: 1 }.base;
}
