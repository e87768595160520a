use twoworlds::bridge;

#[derive(Clone)]
struct Client;

#[bridge]
impl Client {
    async fn fetch(&self) -> u32 {
        1
    }

    fn blocking_fetch(&self) -> u32 {
        2
    }

    #[bridge(async_name = fetch)]
    fn load(&self) -> u32 {
        3
    }
}

fn main() {}
