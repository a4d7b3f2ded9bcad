//! Filters the templates use beyond askama's own. A template module brings them in with
//! `use crate::web::filters;`.

use askama::{Values, filters::Safe};

/// `{{ email|address }}`, or a sentence that holds addresses: HTML-escaped, with a line-break
/// opportunity (`<wbr>`) after the `@` of each address and before each of its dots, and nowhere
/// else, so that a long address wraps where a reader expects it to, never mid-word (UX.md rule
/// 19). Words without an `@` are left as they are. Safe by construction: every character of the
/// input is escaped before the markup is added.
#[askama::filter_fn]
pub fn address(text: impl ToString, _: &dyn Values) -> askama::Result<Safe<String>> {
    let text = text.to_string();
    let mut out = String::with_capacity(text.len() + 24);
    for (index, word) in text.split(' ').enumerate() {
        if index > 0 {
            out.push(' ');
        }
        let is_address = word.contains('@');
        // A URL (a webhook's address) may break after each slash too, as a reader expects.
        let is_url = word.contains("://");
        for c in word.chars() {
            if (is_address || is_url) && c == '.' {
                out.push_str("<wbr>");
            }
            match c {
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '&' => out.push_str("&amp;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#x27;"),
                c => out.push(c),
            }
            if (is_address && c == '@') || (is_url && c == '/') {
                out.push_str("<wbr>");
            }
        }
    }
    Ok(Safe(out))
}

#[cfg(test)]
mod tests {
    use askama::Template;

    #[derive(Template)]
    #[template(source = "<p>{{ email|address }}</p>", ext = "html")]
    struct Shown<'a> {
        email: &'a str,
    }

    use super::super::filters;

    #[test]
    fn an_address_may_wrap_after_its_at_and_before_its_dots_and_markup_stays_text() {
        let shown = Shown {
            email: "person.one@agency.example.com",
        };
        assert_eq!(
            shown.render().unwrap(),
            "<p>person<wbr>.one@<wbr>agency<wbr>.example<wbr>.com</p>"
        );
        let sentence = Shown {
            email: "Sent to ann@b.example. Ask again.",
        };
        assert_eq!(
            sentence.render().unwrap(),
            "<p>Sent to ann@<wbr>b<wbr>.example<wbr>. Ask again.</p>"
        );
        let hostile = Shown {
            email: "\"><img src=x onerror=alert(1)>@x.test",
        };
        assert_eq!(
            hostile.render().unwrap(),
            "<p>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;@<wbr>x<wbr>.test</p>"
        );
    }
}
