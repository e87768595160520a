//! What both scenarios share, outside any `#[dual]` item (as `rspotify-model`
//! is outside rspotify): the token, the credentials, the errors, and a
//! stand-in for the Spotify Web API, so the tests need no network.

use std::collections::HashMap;

/// The access token (rspotify-model's `Token`, cut down).
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(clippy::struct_field_names, reason = "rspotify-model's names")]
pub struct Token {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub expired: bool,
}

impl Token {
    /// Parses the API's answer, `access_token=..[;refresh_token=..]`.
    pub fn parse(body: &str) -> Option<Token> {
        let mut fields = body.split(';').filter_map(|field| field.split_once('='));
        let (_, access_token) = fields.next().filter(|(k, _)| *k == "access_token")?;
        let refresh_token = fields.find(|(k, _)| *k == "refresh_token").map(|(_, v)| v.to_owned());
        Some(Token { access_token: access_token.to_owned(), refresh_token, expired: false })
    }

    pub fn is_expired(&self) -> bool {
        self.expired
    }

    /// The headers of an authenticated request.
    pub fn auth_headers(&self) -> HashMap<String, String> {
        HashMap::from([("authorization".to_owned(), format!("Bearer {}", self.access_token))])
    }
}

/// The app's credentials.
#[derive(Debug, Clone, Default)]
pub struct Credentials {
    pub id: String,
}

impl Credentials {
    pub fn auth_headers(&self) -> HashMap<String, String> {
        HashMap::from([("authorization".to_owned(), format!("Basic {}", self.id))])
    }
}

/// rspotify-http's `HttpError`: one type for the clients of both worlds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpError {
    StatusCode(u16),
}

/// rspotify's `ClientError`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientError {
    Http(HttpError),
    InvalidToken,
}

impl From<HttpError> for ClientError {
    fn from(e: HttpError) -> Self {
        ClientError::Http(e)
    }
}

pub type ClientResult<T> = Result<T, ClientError>;

pub const TOKEN_URL: &str = "https://accounts.spotify.com/api/token";
pub const API_URL: &str = "https://api.spotify.com/v1/";

/// The Spotify Web API, in memory. `via` names the HTTP client that sent
/// the request; the API echoes it, so a test sees which client (which
/// world) made each call.
pub fn respond(
    via: &str,
    method: &str,
    url: &str,
    headers: Option<&HashMap<String, String>>,
    params: &HashMap<&str, &str>,
) -> Result<String, HttpError> {
    let header = |name: &str| headers.and_then(|h| h.get(name)).map(String::as_str);
    if method == "POST" && url == TOKEN_URL {
        return match params.get("grant_type").copied() {
            Some("client_credentials") if header("authorization").is_some() => {
                Ok("access_token=app-token".to_owned())
            }
            Some("authorization_code") => Ok(format!(
                "access_token=user-token-{};refresh_token=refresh-1",
                params.get("code").copied().unwrap_or_default()
            )),
            Some("refresh_token") => Ok(format!(
                "access_token=refreshed-from-{};refresh_token=refresh-2",
                params.get("refresh_token").copied().unwrap_or_default()
            )),
            _ => Err(HttpError::StatusCode(400)),
        };
    }
    match (method, url.strip_prefix(API_URL)) {
        ("GET", Some(path)) => {
            let token = header("authorization")
                .and_then(|v| v.strip_prefix("Bearer "))
                .ok_or(HttpError::StatusCode(401))?;
            // Paged endpoints have three pages; past them, an empty page.
            let offset = params.get("offset").and_then(|o| o.parse::<u32>().ok());
            if path.ends_with("/albums") && offset.is_some_and(|o| o >= 3) {
                return Ok(String::new());
            }
            let mut params: Vec<_> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
            params.sort();
            Ok(format!("{path}?{} for {token} via {via}", params.join("&")))
        }
        _ => Err(HttpError::StatusCode(404)),
    }
}
