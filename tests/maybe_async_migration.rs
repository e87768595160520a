//! The maybe-async migration of README "Coming from maybe-async", run: the
//! patterns of rspotify 0.15.3 and rspotify-http 0.15.3 (a maybe-async
//! user whose sync and async builds were exclusive cargo features), moved
//! to twoworlds so both worlds are in one build, in two shapes:
//!
//! - [`module_form`]: each crate as one `#[dual] mod`, per-world items
//!   marked `#[only_async]` / `#[only_blocking]` where maybe-async used
//!   `#[async_impl]` / `#[sync_impl]` and features; the same names in both
//!   worlds, under `m` and `m::blocking`;
//! - [`trait_form`]: `#[dual]` on each trait and impl, so one type serves
//!   both worlds (`Trait` and `BlockingTrait`); an async HTTP client with
//!   `#[dual] impl`, a sync-only one implementing the blocking trait by hand.
//!
//! Tests are written once (`#[dual]` over `#[tokio::test]`), as
//! `#[maybe_async::test(feature = "__sync", async(feature = "__async",
//! tokio::test))]` was: each gives an async test and a `blocking_` one.
//! [`model`] is what both share: the token, the errors, and the Spotify API
//! in memory, which echoes the HTTP client that sent each request.
#![allow(
    missing_docs,
    unreachable_pub,
    clippy::unused_async,
    reason = "a library's shape, not its docs"
)]

#[path = "maybe_async_migration/model.rs"]
mod model;
#[path = "maybe_async_migration/module_form.rs"]
mod module_form;
#[path = "maybe_async_migration/trait_form.rs"]
mod trait_form;

use model::Credentials;

/// The tests of rspotify's `tests/test_with_credential.rs` and
/// `test_with_oauth.rs`, written once: this module's blocking copy,
/// `module_form_tests::blocking`, has the same tests over the blocking
/// client (the `replace`), each a plain `#[test]`.
#[twoworlds::dual(replace(crate::module_form::spotify => crate::module_form::spotify::blocking))]
mod module_form_tests {
    use crate::model::{ClientError, Credentials};
    use crate::module_form::spotify::{AuthCodeSpotify, ClientCredsSpotify, prelude::*};

    /// The client of this world (`spotify::blocking::ClientCredsSpotify`
    /// in the blocking copy).
    type Client = ClientCredsSpotify;

    /// rspotify's `creds_client()` test helper (`#[maybe_async]`).
    pub async fn creds_client() -> Client {
        let spotify = ClientCredsSpotify::new(Credentials { id: "app".into() });
        spotify.request_token().await.unwrap();
        spotify
    }

    /// maybe-async: `#[maybe_async::test(feature = "__sync", async(feature =
    /// "__async", tokio::test))]`.
    #[tokio::test]
    async fn track_with_client_credentials() {
        let spotify = creds_client().await;
        let via = per_world!(async => "reqwest", blocking => "ureq");
        assert_eq!(
            spotify.track("4uLU6hMCjMI75M1A2tKUQC", Some("ES")).await,
            Ok(format!("tracks/4uLU6hMCjMI75M1A2tKUQC?market=ES for app-token via {via}"))
        );
    }

    /// rspotify's paginated endpoints: a `Stream` in the async world, an
    /// `Iterator` in the blocking one; the same body consumes either
    /// (`StreamExt` is imported in the async world only).
    #[tokio::test]
    async fn pagination_stream_or_iterator() {
        #[only_async]
        use futures::StreamExt as _;
        let spotify = creds_client().await;
        let via = per_world!(async => "reqwest", blocking => "ureq");
        let albums = spotify.artist_albums("7").collect::<Vec<_>>().await;
        let expected: Vec<_> = (0..3)
            .map(|o| Ok(format!("artists/7/albums?offset={o} for app-token via {via}")))
            .collect();
        assert_eq!(albums, expected);
    }

    /// `OAuthClient: BaseClient`: the sub-trait's default methods call the
    /// supertrait's as written, in both worlds; the token flows (request,
    /// expiry, refresh through the same trait's defaults) are the same.
    #[tokio::test]
    async fn oauth_flow_through_the_supertrait() {
        let via = per_world!(async => "reqwest", blocking => "ureq");
        let spotify = AuthCodeSpotify::default();
        assert_eq!(spotify.current_user().await, Err(ClientError::InvalidToken));
        spotify.request_token("abc").await.unwrap();
        assert_eq!(
            spotify.current_user_saved_tracks(5).await,
            Ok(format!("me/tracks?limit=5 for user-token-abc via {via}"))
        );
        spotify.token.lock().await.unwrap().as_mut().unwrap().expired = true;
        assert_eq!(
            spotify.current_user().await,
            Ok(format!("me? for refreshed-from-refresh-1 via {via}"))
        );
    }
}

mod module_form_both_worlds {
    use super::*;
    use module_form::spotify;

    #[test]
    fn both_worlds_in_one_build_with_the_same_names() {
        let sync_client = spotify::blocking::ClientCredsSpotify::new(Credentials::default());
        let async_client = spotify::ClientCredsSpotify::new(Credentials::default());
        // The blocking world's HTTP client is ureq's, the async one's reqwest's.
        let _: &module_form::http::blocking::UreqClient = &sync_client.http;
        let _: &module_form::http::ReqwestClient = &async_client.http;
        {
            use spotify::blocking::prelude::*;
            sync_client.request_token().unwrap();
            assert_eq!(sync_client.track("1", None).unwrap(), "tracks/1? for app-token via ureq");
        }
        {
            use spotify::prelude::*;
            let track = twoworlds::block_on(async {
                async_client.request_token().await.unwrap();
                async_client.track("1", None).await
            });
            assert_eq!(track.unwrap(), "tracks/1? for app-token via reqwest");
        }
        assert_eq!(sync_client.http.requests.load(std::sync::atomic::Ordering::Relaxed), 2);
        assert_eq!(async_client.http.requests.load(std::sync::atomic::Ordering::Relaxed), 2);
    }

    /// `#[dual(send)]`: the async world's futures are `Send`, so async
    /// callers can spawn them (what `#[maybe_async]`'s async-trait gave).
    #[tokio::test]
    async fn async_futures_are_send() {
        use spotify::prelude::*;
        let spotify = spotify::ClientCredsSpotify::new(Credentials { id: "app".into() });
        let track = tokio::spawn(async move {
            spotify.request_token().await?;
            spotify.track("2", None).await
        });
        assert_eq!(track.await.unwrap().unwrap(), "tracks/2? for app-token via reqwest");
    }
}

/// Scenario 2 from the async side: one value, both worlds. This module
/// imports only the async prelude, so method calls are never ambiguous; a
/// blocking twin's `spotify.track(..).await` is `BaseClient::track`'s
/// future, which runs its blocking twin.
mod trait_form_async_prelude {
    use crate::model::{ClientError, Credentials};
    use crate::trait_form::clients::prelude::*;
    use crate::trait_form::http::ReqwestClient;
    use crate::trait_form::{AuthCodeSpotify, ClientCredsSpotify, login_and_list};
    use std::sync::atomic::Ordering;

    fn creds_client() -> ClientCredsSpotify<ReqwestClient> {
        ClientCredsSpotify { creds: Credentials { id: "app".into() }, ..Default::default() }
    }

    /// One body, two tests; in the blocking one, the async HTTP client's own
    /// futures are bridged through `block_on` (with feature `tokio`, inside a
    /// tokio runtime context, as reqwest needs).
    #[twoworlds::dual]
    #[tokio::test]
    async fn one_type_serves_both_worlds() {
        let spotify = creds_client();
        spotify.request_token().await.unwrap();
        assert_eq!(
            spotify.track("1", Some("ES")).await,
            Ok("tracks/1?market=ES for app-token via reqwest".to_owned())
        );
        assert_eq!(spotify.http.requests.load(Ordering::Relaxed), 2);
    }

    /// `OAuthClient: BaseClient` and a generic fn over it, for an async client.
    #[twoworlds::dual]
    #[tokio::test]
    async fn supertrait_calls_and_generic_code() {
        let spotify = AuthCodeSpotify::<ReqwestClient>::default();
        assert_eq!(spotify.current_user().await, Err(ClientError::InvalidToken));
        assert_eq!(
            login_and_list(&spotify, "abc").await,
            Ok("me/tracks?limit=2 for user-token-abc via reqwest".to_owned())
        );
        spotify.token.lock().await.as_mut().unwrap().expired = true;
        assert_eq!(
            spotify.current_user().await,
            Ok("me? for refreshed-from-refresh-1 via reqwest".to_owned())
        );
    }

    /// `send`: the async futures can be spawned.
    #[tokio::test]
    async fn async_futures_are_send() {
        let spotify = creds_client();
        let track = tokio::spawn(async move {
            spotify.request_token().await?;
            spotify.track("2", None).await
        });
        assert_eq!(track.await.unwrap().unwrap(), "tracks/2? for app-token via reqwest");
    }
}

/// Scenario 2 from the sync side: the blocking prelude only; the
/// sync-only client (`UreqClient`) and the async one (through its
/// blocking twins) behind the same blocking traits.
mod trait_form_blocking_prelude {
    use crate::model::{ClientError, Credentials};
    use crate::trait_form::clients::prelude::blocking::*;
    use crate::trait_form::http::{ReqwestClient, UreqClient};
    use crate::trait_form::{AuthCodeSpotify, ClientCredsSpotify, blocking_login_and_list};

    #[test]
    fn a_sync_only_http_client() {
        let spotify = ClientCredsSpotify::<UreqClient> {
            creds: Credentials { id: "app".into() },
            ..Default::default()
        };
        spotify.blocking_request_token().unwrap();
        assert_eq!(spotify.track("1", None), Ok("tracks/1? for app-token via ureq".to_owned()));

        let spotify = AuthCodeSpotify::<UreqClient>::default();
        assert_eq!(spotify.current_user(), Err(ClientError::InvalidToken));
        assert_eq!(
            blocking_login_and_list(&spotify, "abc"),
            Ok("me/tracks?limit=2 for user-token-abc via ureq".to_owned())
        );
        spotify.token.blocking_lock().as_mut().unwrap().expired = true;
        assert_eq!(
            spotify.current_user(),
            Ok("me? for refreshed-from-refresh-1 via ureq".to_owned())
        );
    }

    /// Generic sync code takes either client.
    #[test]
    fn generic_sync_code_over_either_client() {
        fn me(client: &impl BlockingOAuthClient) -> String {
            client.request_token("x").unwrap();
            client.current_user().unwrap()
        }
        assert_eq!(me(&AuthCodeSpotify::<UreqClient>::default()), "me? for user-token-x via ureq");
        assert_eq!(
            me(&AuthCodeSpotify::<ReqwestClient>::default()),
            "me? for user-token-x via reqwest"
        );
    }
}

/// Where both worlds' traits are in scope, calls name the trait (E0034
/// otherwise, as for any two traits with the same method names).
#[test]
fn both_preludes_in_scope_call_through_the_trait() {
    use trait_form::ClientCredsSpotify;
    use trait_form::clients::prelude::{blocking::*, *};
    use trait_form::http::ReqwestClient;
    let spotify = ClientCredsSpotify::<ReqwestClient>::default();
    *spotify.token.blocking_lock() = model::Token::parse("access_token=t");
    assert_eq!(
        BlockingBaseClient::track(&spotify, "1", None).unwrap(),
        "tracks/1? for t via reqwest"
    );
    let track = twoworlds::block_on(BaseClient::track(&spotify, "1", None));
    assert_eq!(track.unwrap(), "tracks/1? for t via reqwest");
}

/// README "Tests written once", as written there.
mod readme_tests {
    #[derive(Default)]
    pub struct ClientCredsSpotify {
        token: Option<String>,
    }

    #[twoworlds::dual]
    impl ClientCredsSpotify {
        pub async fn request_token(&mut self) {
            self.token = Some("app-token".to_owned());
        }

        pub async fn album(&self, id: &str) -> Result<String, String> {
            let token = self.token.as_deref().ok_or("no token")?;
            Ok(format!("album {id} for {token}"))
        }
    }

    #[twoworlds::dual]
    pub async fn creds_client() -> ClientCredsSpotify {
        let mut spotify = ClientCredsSpotify::default();
        spotify.request_token().await;
        spotify
    }

    #[twoworlds::dual]
    #[tokio::test]
    async fn test_album() {
        let album = creds_client().await.album("0sNOF9WDwhWunNAHPD3Baj").await;
        assert_eq!(album.unwrap(), "album 0sNOF9WDwhWunNAHPD3Baj for app-token");
    }
}
