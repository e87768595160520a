use twoworlds::dual;

#[dual(blocking = same)]
async fn same() {}

struct Client;

#[dual]
impl Client {
    async fn get(&self) -> u32 {
        1
    }
    fn blocking_get(&self) -> u32 {
        2
    }
}

#[dual]
mod api {
    pub async fn f() {}
    pub mod blocking {}
}

fn main() {}
