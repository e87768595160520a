use twoworlds::dual;

macro_rules! weird {
    ($e:expr => $f:ident) => {
        $e
    };
}

#[dual]
async fn f() -> u32 {
    weird!(async { 1 }.await => x)
}

fn main() {}
