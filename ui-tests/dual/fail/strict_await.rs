use twoworlds::dual;

async fn elsewhere() -> u32 {
    1
}

#[dual(strict)]
async fn f() -> u32 {
    let own = async { 2 }.await;
    elsewhere().await + own
}

fn main() {
    assert_eq!(blocking_f(), 3);
}
