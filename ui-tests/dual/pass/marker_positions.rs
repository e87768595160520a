//! Markers in every position they are allowed in, and `per_world!`, leave
//! nothing behind for rustc (`deny(warnings)`: no unused import or attribute).
#![deny(warnings)]

#[twoworlds::dual]
mod store {
    #[only_async]
    type Counter = std::sync::atomic::AtomicU8;
    #[only_blocking]
    type Counter = std::cell::Cell<u8>;

    /// A store with a per-world field.
    pub struct Store {
        /// Hits.
        pub hits: Counter,
        /// Only the async store has a name.
        #[only_async]
        pub name: &'static str,
    }

    /// A per-world variant.
    pub enum Kind {
        /// Both.
        Plain,
        /// Blocking only.
        #[only_blocking]
        Blocking,
    }

    impl Store {
        /// The kind of this world.
        pub async fn kind(&self) -> Kind {
            per_world!(async => Kind::Plain, blocking => Kind::Blocking)
        }

        /// Only the async store has this.
        #[only_async]
        pub async fn name(&self) -> &'static str {
            self.name
        }

        /// Counts a hit.
        pub async fn hit(&self) -> u8 {
            #[only_async]
            let n = self.hits.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            #[only_blocking]
            let n = {
                self.hits.set(self.hits.get() + 1);
                self.hits.get()
            };
            match self.kind().await {
                Kind::Plain => n,
                #[only_blocking]
                Kind::Blocking => n + 100,
            }
        }
    }
}

fn main() {
    let sync = store::blocking::Store { hits: std::cell::Cell::new(0) };
    assert_eq!(sync.hit(), 101);
    assert!(matches!(store::blocking::Kind::Plain, store::blocking::Kind::Plain));
    let not_sync = store::Store { hits: std::sync::atomic::AtomicU8::new(0), name: "a" };
    assert_eq!(twoworlds::block_on(not_sync.hit()), 1);
    assert_eq!(twoworlds::block_on(not_sync.name()), "a");
}
