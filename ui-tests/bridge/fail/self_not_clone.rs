use twoworlds::bridge;

// `&self` methods get async twins that clone `self` onto the pool thread.
struct Client;

#[bridge]
impl Client {
    fn get(&self) -> u32 {
        1
    }
}

fn main() {}
