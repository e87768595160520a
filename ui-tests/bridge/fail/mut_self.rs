use twoworlds::bridge;

#[derive(Clone)]
struct Counter(u32);

#[bridge]
impl Counter {
    fn bump(&mut self) -> u32 {
        self.0 += 1;
        self.0
    }
}

fn main() {}
