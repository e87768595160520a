use twoworlds::dual;

#[dual]
struct Plain;

#[dual]
impl Plain {
    fn sync_only(&self) {}
}

fn main() {}
