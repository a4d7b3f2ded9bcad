//! `application/x-www-form-urlencoded`, decoded strictly: form bodies and query strings whose
//! bytes are not UTF-8 are refused, where the usual decoders put U+FFFD in their place and a
//! sub-account would be stored as "�".

use actix_web::{
    Error,
    body::{BoxBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    middleware::Next,
};

use crate::error::AppError;

/// The key and value pairs of `input`, or `None` when a name or value is not UTF-8 once
/// percent-decoded. `+` is a space, and empty pairs are skipped, as browsers and
/// `form_urlencoded::parse` do.
pub fn decode_pairs(input: &[u8]) -> Option<Vec<(String, String)>> {
    input
        .split(|&byte| byte == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = match pair.iter().position(|&byte| byte == b'=') {
                Some(at) => (&pair[..at], &pair[at + 1..]),
                None => (pair, &[][..]),
            };
            Some((decode(key)?, decode(value)?))
        })
        .collect()
}

fn decode(input: &[u8]) -> Option<String> {
    let spaced: Vec<u8> = input
        .iter()
        .map(|&byte| if byte == b'+' { b' ' } else { byte })
        .collect();
    percent_encoding::percent_decode(&spaced)
        .decode_utf8()
        .ok()
        .map(|text| text.into_owned())
}

/// Refuses a query string that does not decode to text, with a page saying the address is
/// garbled, before any page reads it.
pub async fn reject_garbled_query(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if decode_pairs(req.query_string().as_bytes()).is_none() {
        return Ok(req.error_response(AppError::BadAddress));
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}

#[cfg(test)]
mod tests {
    use super::decode_pairs;

    fn pairs(input: &str) -> Option<Vec<(String, String)>> {
        decode_pairs(input.as_bytes())
    }

    #[test]
    fn decodes_what_browsers_send() {
        assert_eq!(
            pairs("name=Caf%C3%A9+Z%C3%BCrich&empty=&flag&&q=a%2Bb%26c"),
            Some(vec![
                ("name".into(), "Café Zürich".into()),
                ("empty".into(), "".into()),
                ("flag".into(), "".into()),
                ("q".into(), "a+b&c".into()),
            ])
        );
        assert_eq!(pairs(""), Some(vec![]));
        assert_eq!(pairs("a=%zz"), Some(vec![("a".into(), "%zz".into())]));
    }

    #[test]
    fn refuses_what_is_not_text() {
        for garbled in [
            "name=%FF",
            "name=%C3%28",
            "name=%ED%A0%80",
            "%C0%AF=1",
            "a=1&b=%FE",
        ] {
            assert_eq!(pairs(garbled), None, "{garbled}");
        }
        assert_eq!(decode_pairs(b"name=\xFF"), None);
    }
}
