use twoworlds::bridge;

#[bridge]
trait Store {
    async fn get(&self) -> u32;

    fn blocking_get(&self) -> u32;
}

fn main() {}
