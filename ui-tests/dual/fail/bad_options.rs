use twoworlds::dual;

// Every bad option is reported at once; the fn still expands.
#[dual(stirct, blocking = a, blokcing = b, blocking = c, frobnicate)]
async fn f() -> u32 {
    1
}

#[dual(send)]
async fn g() {}

fn main() {
    assert_eq!(a(), 1);
}
