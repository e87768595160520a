//! Each world behind a cfg of the user's crate (`blocking_cfg(..)`,
//! `async_cfg(..)`): with a world off, its items are not compiled, and the
//! other world works on its own. Here the cfgs are `any()` (never on) and
//! `all()` (always on), standing for a feature a consumer leaves off or
//! turns on.
#![allow(clippy::unused_async, reason = "trivial bodies")]

/// The blocking world is off: only the async fn exists, a plain one.
mod async_only {
    #[twoworlds::dual(blocking_cfg(any()))]
    pub(crate) async fn double(x: u32) -> u32 {
        x * 2
    }

    /// No `blocking_double` in this world (it would not compile).
    pub(crate) fn the_async_fn_works() -> u32 {
        twoworlds::block_on(double(21))
    }
}

/// The async world is off: the twins work and reach each other.
mod blocking_only {
    #[twoworlds::dual(async_cfg(any()))]
    pub(crate) async fn base(x: u32) -> u32 {
        x + 1
    }

    #[twoworlds::dual(async_cfg(any()))]
    pub(crate) async fn doubled_base(x: u32) -> u32 {
        base(x).await * 2
    }

    pub(crate) struct Store;

    #[twoworlds::dual(async_cfg(any()))]
    impl Store {
        pub(crate) async fn get(&self) -> u32 {
            base(10).await
        }
    }

    /// An `impl Trait` output: the shell's (never given) output is typed
    /// as the twin's.
    #[twoworlds::dual(async_cfg(any()))]
    pub(crate) async fn shown(x: u32) -> impl std::fmt::Display {
        x + 1
    }

    /// A fn the cheap shell does not take (an attribute that is not inert,
    /// `must_use`): the general one.
    #[twoworlds::dual(async_cfg(any()))]
    #[must_use]
    pub(crate) async fn shown_must_use(x: u32) -> impl std::fmt::Display {
        x + 2
    }

    #[twoworlds::dual(async_cfg(any()))]
    pub(crate) async fn shown_twice(x: u32) -> String {
        format!("{}{}", shown(x).await, shown(x).await)
    }

    /// The same in a module (its fns' shells hold closures).
    #[twoworlds::dual(async_cfg(any()))]
    pub(crate) mod labels {
        pub(crate) async fn label(x: u8) -> Option<impl std::fmt::Debug> {
            Some(x)
        }

        #[allow(dead_code, reason = "only its blocking copy is used here")]
        pub(crate) struct Labels;

        impl Labels {
            pub(crate) async fn first(&self) -> impl std::fmt::Display {
                1
            }
        }
    }
}

/// Both worlds on (`all()`): as without the options.
mod both {
    #[twoworlds::dual(blocking_cfg(all()), async_cfg(all()))]
    pub(crate) async fn triple(x: u32) -> u32 {
        x * 3
    }
}

/// A trait and a mod with the blocking world off.
#[twoworlds::dual(blocking_cfg(any()))]
mod plain_mod {
    pub(crate) trait Store {
        async fn get(&self) -> u32;
    }
    pub(crate) struct Memory;
    impl Store for Memory {
        async fn get(&self) -> u32 {
            5
        }
    }
}

#[test]
fn with_the_blocking_world_off_the_async_world_works_alone() {
    use plain_mod::Store as _;
    assert_eq!(async_only::the_async_fn_works(), 42);
    assert_eq!(twoworlds::block_on(plain_mod::Memory.get()), 5);
}

#[test]
fn with_the_async_world_off_twins_reach_each_other() {
    assert_eq!(blocking_only::blocking_doubled_base(1), 4);
    assert_eq!(blocking_only::Store.blocking_get(), 11);
    assert_eq!(blocking_only::blocking_shown_twice(1), "22");
    let shown = blocking_only::blocking_shown_must_use(1);
    assert_eq!(shown.to_string(), "3");

    assert_eq!(format!("{:?}", blocking_only::labels::blocking::label(3)), "Some(3)");
    assert_eq!(blocking_only::labels::blocking::Labels.first().to_string(), "1");
}

#[test]
fn the_async_shell_of_an_off_world_says_so() {
    let awaited = std::panic::catch_unwind(|| twoworlds::block_on(blocking_only::base(1)));
    let payload = awaited.expect_err("a shell cannot be awaited");
    let message = payload.downcast_ref::<&str>().copied().unwrap_or_default();
    assert!(message.contains("async world of this `#[dual]` item is not compiled in"), "{message}");
}

#[test]
fn with_both_on_nothing_changes() {
    assert_eq!(both::blocking_triple(2), 6);
    assert_eq!(twoworlds::block_on(both::triple(2)), 6);
}

/// `#[bridge]` twins under their world's cfg.
mod bridged {
    #[twoworlds::bridge(blocking_cfg(any()))]
    pub(crate) async fn fetch() -> u32 {
        3
    }

    #[twoworlds::bridge(async_cfg(all()))]
    pub(crate) fn compute() -> u32 {
        4
    }
}

#[test]
fn bridge_twins_follow_their_world_s_cfg() {
    // `blocking_fetch` is not compiled (its cfg is off); `compute_async` is.
    assert_eq!(twoworlds::block_on(bridged::fetch()), 3);
    assert_eq!(twoworlds::block_on(bridged::compute_async()), 4);
}
