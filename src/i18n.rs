//! The product's words in English, French and German, from the Project Fluent files in
//! `locales/` (one per language and area, compiled into the binary). Fluent chooses plural
//! forms; numbers and dates are formatted per locale with ICU4X's CLDR data. Nothing here knows
//! about requests: `web::locale` picks the locale, pages and mail ask it for their words.

use std::{borrow::Cow, sync::LazyLock};

use chrono::{DateTime, Datelike, Timelike, Utc};
use fluent_bundle::{FluentArgs, FluentResource, FluentValue, concurrent::FluentBundle};
use icu_calendar::Gregorian;
use icu_datetime::{
    FixedCalendarDateTimeFormatter,
    fieldsets::{YMD, YMDT},
    input::{Date, DateTime as IcuDateTime, Time},
    options::TimePrecision,
};
use icu_decimal::{DecimalFormatter, input::Decimal};
use intl_memoizer::{Memoizable, concurrent::IntlLangMemoizer};
use unic_langid::LanguageIdentifier;

/// A language the product speaks, and `Pseudo`: English with every piece of text wrapped in
/// ⟦…⟧, which tests use to find words that do not come from here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    #[default]
    En,
    Fr,
    De,
    Pseudo,
}

/// The areas, each a file `locales/<code>/<area>.ftl` in every language.
pub const AREAS: [&str; 8] = [
    "common",
    "sharing",
    "accounts",
    "login",
    "account",
    "invitations",
    "plans",
    "mail",
];

macro_rules! sources_of {
    ($code:literal) => {
        [
            include_str!(concat!("../locales/", $code, "/common.ftl")),
            include_str!(concat!("../locales/", $code, "/sharing.ftl")),
            include_str!(concat!("../locales/", $code, "/accounts.ftl")),
            include_str!(concat!("../locales/", $code, "/login.ftl")),
            include_str!(concat!("../locales/", $code, "/account.ftl")),
            include_str!(concat!("../locales/", $code, "/invitations.ftl")),
            include_str!(concat!("../locales/", $code, "/plans.ftl")),
            include_str!(concat!("../locales/", $code, "/mail.ftl")),
        ]
    };
}

/// The text of every Fluent file, by language then area (in `AREAS` order).
pub fn sources(locale: Locale) -> [&'static str; AREAS.len()] {
    match locale {
        Locale::En | Locale::Pseudo => sources_of!("en"),
        Locale::Fr => sources_of!("fr"),
        Locale::De => sources_of!("de"),
    }
}

/// A value for a message's variable.
#[derive(Debug, Clone)]
pub enum Arg<'a> {
    Text(Cow<'a, str>),
    Number(i64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(text: &'a str) -> Self {
        Arg::Text(Cow::Borrowed(text))
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(text: &'a String) -> Self {
        Arg::Text(Cow::Borrowed(text))
    }
}

impl<'a> From<&&'a str> for Arg<'a> {
    fn from(text: &&'a str) -> Self {
        Arg::Text(Cow::Borrowed(text))
    }
}

impl<'a> From<&'a &String> for Arg<'a> {
    fn from(text: &'a &String) -> Self {
        Arg::Text(Cow::Borrowed(text.as_str()))
    }
}

impl From<String> for Arg<'_> {
    fn from(text: String) -> Self {
        Arg::Text(Cow::Owned(text))
    }
}

macro_rules! number_args {
    ($($number:ty),*) => {
        $(impl From<$number> for Arg<'_> {
            fn from(number: $number) -> Self {
                Arg::Number(i64::try_from(number).unwrap_or(i64::MAX))
            }
        }
        impl From<&$number> for Arg<'_> {
            fn from(number: &$number) -> Self {
                Arg::from(*number)
            }
        })*
    };
}
number_args!(i16, i32, i64, u16, u32, u64, usize);

impl Locale {
    /// The languages people can choose, in the order the switcher lists them.
    pub const LANGUAGES: [Locale; 3] = [Locale::En, Locale::Fr, Locale::De];

    /// The BCP 47 code: in `<html lang>`, the language cookie and the database.
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Fr => "fr",
            Locale::De => "de",
            Locale::Pseudo => "en-XA",
        }
    }

    pub fn from_code(code: &str) -> Option<Locale> {
        [Locale::En, Locale::Fr, Locale::De, Locale::Pseudo]
            .into_iter()
            .find(|locale| locale.code().eq_ignore_ascii_case(code))
    }

    /// The best of our languages for an `Accept-Language` header, English when none fits:
    /// the highest `q` wins, then the earlier entry; `fr-CH` counts as `fr`.
    pub fn negotiate(accept_language: &str) -> Locale {
        let mut best: Option<(f32, Locale)> = None;
        for entry in accept_language.split(',').take(32) {
            let mut parts = entry.split(';');
            let tag = parts.next().unwrap_or_default().trim();
            let quality = parts
                .find_map(|part| part.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())
                .filter(|q| q.is_finite() && *q > 0.0 && *q <= 1.0);
            let primary = tag.split(['-', '_']).next().unwrap_or_default();
            let language = Locale::LANGUAGES
                .into_iter()
                .find(|locale| locale.code().eq_ignore_ascii_case(primary));
            if let (Some(quality), Some(language)) = (quality, language)
                && best.is_none_or(|(best_quality, _)| quality > best_quality)
            {
                best = Some((quality, language));
            }
        }
        best.map_or(Locale::En, |(_, locale)| locale)
    }

    /// The message `id`, which takes no variables.
    pub fn t(self, id: &str) -> String {
        self.tr(id, &[])
    }

    /// The message `id` with its variables.
    pub fn tr(self, id: &str, args: &[(&str, Arg)]) -> String {
        let bundle = bundle(self);
        let Some(pattern) = bundle.get_message(id).and_then(|message| message.value()) else {
            tracing::error!(id, locale = self.code(), "no such message");
            return self.marked(id.to_owned());
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Text(text) => fluent_args.set(*name, FluentValue::from(text.as_ref())),
                Arg::Number(number) => fluent_args.set(*name, FluentValue::from(*number)),
            }
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        if !errors.is_empty() {
            tracing::error!(id, locale = self.code(), ?errors, "message did not format");
        }
        self.marked(text.into_owned())
    }

    /// `tr` with one variable, for templates.
    pub fn tr1<'a>(self, id: &str, name: &str, value: impl Into<Arg<'a>>) -> String {
        self.tr(id, &[(name, value.into())])
    }

    /// `tr` with two variables, for templates.
    pub fn tr2<'a, 'b>(
        self,
        id: &str,
        first: &str,
        first_value: impl Into<Arg<'a>>,
        second: &str,
        second_value: impl Into<Arg<'b>>,
    ) -> String {
        self.tr(
            id,
            &[(first, first_value.into()), (second, second_value.into())],
        )
    }

    /// A count or amount with this language's digit grouping: 1,000 / 1 000 / 1.000.
    pub fn number(self, number: i64) -> String {
        self.marked(
            formats(self)
                .number
                .format(&Decimal::from(number))
                .to_string(),
        )
    }

    /// A day, as "26 November 2026", "26 novembre 2026", "26. November 2026".
    pub fn date(self, at: DateTime<Utc>) -> String {
        let Ok(date) = Date::try_new_gregorian(at.year(), at.month() as u8, at.day() as u8) else {
            return at.format("%Y-%m-%d").to_string();
        };
        self.marked(formats(self).date.format(&date).to_string())
    }

    /// A calendar day, as `date` words it.
    pub fn day(self, day: chrono::NaiveDate) -> String {
        self.date(day.and_time(chrono::NaiveTime::MIN).and_utc())
    }

    /// A moment, to the minute, with its time zone (always UTC here): "26 November 2026,
    /// 14:05 UTC" in this language's order and words.
    pub fn date_time(self, at: DateTime<Utc>) -> String {
        let moment = Date::try_new_gregorian(at.year(), at.month() as u8, at.day() as u8)
            .ok()
            .zip(Time::try_new(at.hour() as u8, at.minute() as u8, 0, 0).ok());
        let Some((date, time)) = moment else {
            return at.format("%Y-%m-%d %H:%M UTC").to_string();
        };
        let formatted = formats(self)
            .date_time
            .format(&IcuDateTime { date, time })
            .to_string();
        // The message marks itself in the pseudo-locale.
        self.tr("date-time-utc", &[("datetime", formatted.into())])
    }

    fn marked(self, text: String) -> String {
        match self {
            Locale::Pseudo => format!("⟦{text}⟧"),
            _ => text,
        }
    }

    fn langid(self) -> LanguageIdentifier {
        let code = match self {
            Locale::Pseudo => "en",
            other => other.code(),
        };
        code.parse().expect("our language codes are valid")
    }
}

fn index(locale: Locale) -> usize {
    match locale {
        Locale::En | Locale::Pseudo => 0,
        Locale::Fr => 1,
        Locale::De => 2,
    }
}

static BUNDLES: LazyLock<Vec<FluentBundle<FluentResource>>> = LazyLock::new(|| {
    Locale::LANGUAGES
        .into_iter()
        .map(|locale| build_bundle(locale).unwrap_or_else(|error| panic!("{error}")))
        .collect()
});

fn bundle(locale: Locale) -> &'static FluentBundle<FluentResource> {
    &BUNDLES[index(locale)]
}

/// Builds every bundle now, so that a broken file stops the server at start, not a page later.
pub fn load() -> Result<(), String> {
    for locale in Locale::LANGUAGES {
        build_bundle(locale)?;
    }
    LazyLock::force(&BUNDLES);
    LazyLock::force(&FORMATS);
    Ok(())
}

fn build_bundle(locale: Locale) -> Result<FluentBundle<FluentResource>, String> {
    let mut bundle = FluentBundle::new_concurrent(vec![locale.langid()]);
    // Unicode isolation marks around variables help right-to-left text, which none of our
    // languages is; in HTML and plain-text mail they only get in the way of copying.
    bundle.set_use_isolating(false);
    bundle.set_formatter(Some(format_number));
    for (area, source) in AREAS.iter().zip(sources(locale)) {
        let resource = FluentResource::try_new(source.to_owned()).map_err(|(_, errors)| {
            format!(
                "locales/{}/{area}.ftl does not parse: {errors:?}",
                locale.code()
            )
        })?;
        bundle.add_resource(resource).map_err(|errors| {
            format!(
                "locales/{}/{area}.ftl repeats a message: {errors:?}",
                locale.code()
            )
        })?;
    }
    Ok(bundle)
}

/// Numbers inside messages get the language's grouping too ("1 000 sur 1 100").
fn format_number(value: &FluentValue, memoizer: &IntlLangMemoizer) -> Option<String> {
    let FluentValue::Number(number) = value else {
        return None;
    };
    if number.value.fract() != 0.0 || number.value.abs() > 1e15 {
        return None;
    }
    memoizer
        .with_try_get::<Grouping, _, _>((), |grouping| {
            grouping
                .0
                .format(&Decimal::from(number.value as i64))
                .to_string()
        })
        .ok()
}

/// ICU4X's decimal formatter, built once per language by Fluent's memoizer.
struct Grouping(DecimalFormatter);

impl Memoizable for Grouping {
    type Args = ();
    type Error = ();

    fn construct(lang: LanguageIdentifier, _: ()) -> Result<Self, ()> {
        let locale: icu_locale_core::Locale = lang.to_string().parse().map_err(|_| ())?;
        DecimalFormatter::try_new(locale.into(), Default::default())
            .map(Grouping)
            .map_err(|_| ())
    }
}

struct Formats {
    number: DecimalFormatter,
    date: FixedCalendarDateTimeFormatter<Gregorian, YMD>,
    date_time: FixedCalendarDateTimeFormatter<Gregorian, YMDT>,
}

static FORMATS: LazyLock<Vec<Formats>> = LazyLock::new(|| {
    Locale::LANGUAGES
        .into_iter()
        .map(|locale| {
            // British English writes "31 March 2027", as the product always has.
            let code = if locale == Locale::En {
                "en-GB"
            } else {
                locale.code()
            };
            let icu: icu_locale_core::Locale = code.parse().expect("valid code");
            Formats {
                number: DecimalFormatter::try_new(icu.clone().into(), Default::default())
                    .expect("CLDR data for our languages is compiled in"),
                date: FixedCalendarDateTimeFormatter::try_new(icu.clone().into(), YMD::long())
                    .expect("CLDR data for our languages is compiled in"),
                date_time: FixedCalendarDateTimeFormatter::try_new(
                    icu.into(),
                    YMDT::long().with_time_precision(TimePrecision::Minute),
                )
                .expect("CLDR data for our languages is compiled in"),
            }
        })
        .collect()
});

fn formats(locale: Locale) -> &'static Formats {
    &FORMATS[index(locale)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn accept_language_picks_the_best_of_ours() {
        assert_eq!(Locale::negotiate("fr-CH, fr;q=0.9, en;q=0.8"), Locale::Fr);
        assert_eq!(Locale::negotiate("de-DE,de;q=0.9,en-US;q=0.8"), Locale::De);
        assert_eq!(Locale::negotiate("es, it;q=0.9"), Locale::En);
        assert_eq!(Locale::negotiate("es, de;q=0.5, fr;q=0.7"), Locale::Fr);
        assert_eq!(Locale::negotiate("fr;q=0, de"), Locale::De);
        assert_eq!(Locale::negotiate("fr;q=abc, de;q=0.1"), Locale::De);
        assert_eq!(Locale::negotiate(""), Locale::En);
        assert_eq!(Locale::negotiate("*"), Locale::En);
        assert_eq!(
            Locale::negotiate("en-XA"),
            Locale::En,
            "never the pseudo-locale"
        );
    }

    #[test]
    fn numbers_and_dates_follow_the_language() {
        let at = Utc.with_ymd_and_hms(2027, 3, 31, 14, 5, 0).unwrap();
        assert_eq!(Locale::En.number(1000), "1,000");
        assert_eq!(Locale::Fr.number(1000), "1\u{202f}000");
        assert_eq!(Locale::De.number(1000), "1.000");
        assert_eq!(Locale::En.date(at), "31 March 2027");
        assert_eq!(Locale::Fr.date(at), "31 mars 2027");
        assert_eq!(Locale::De.date(at), "31. März 2027");
        assert!(Locale::Fr.date_time(at).contains("14:05"));
        assert!(Locale::De.date_time(at).ends_with("UTC"));
        assert_eq!(Locale::Pseudo.number(5), "⟦5⟧");
    }

    #[test]
    fn every_file_parses_and_loads() {
        load().unwrap();
    }

    /// Each message of a Fluent file with the variables it uses: a message starts on a line
    /// `id = …`; indented lines continue it.
    fn messages_of(source: &str) -> std::collections::BTreeMap<String, Vec<String>> {
        let mut messages = std::collections::BTreeMap::new();
        let mut current: Option<String> = None;
        for line in source.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if !line.starts_with(' ')
                && let Some((id, _)) = line.split_once(" =")
            {
                current = Some(id.trim().to_owned());
                messages.insert(id.trim().to_owned(), Vec::new());
            }
            let Some(id) = &current else { continue };
            let variables: &mut Vec<String> = messages.get_mut(id).unwrap();
            for part in line.split('$').skip(1) {
                let name: String = part
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                    .collect();
                if !variables.contains(&name) {
                    variables.push(name);
                }
            }
            variables.sort();
        }
        messages
    }

    #[test]
    fn every_message_exists_in_every_language_with_the_same_variables() {
        for (area, english) in AREAS.iter().zip(sources(Locale::En)) {
            let english = messages_of(english);
            assert!(
                !english.is_empty() || *area == "none",
                "{area}.ftl is empty"
            );
            for locale in [Locale::Fr, Locale::De] {
                let index = AREAS.iter().position(|a| a == area).unwrap();
                let other = messages_of(sources(locale)[index]);
                let code = locale.code();
                for (id, variables) in &english {
                    let theirs = other
                        .get(id)
                        .unwrap_or_else(|| panic!("{code}/{area}.ftl has no `{id}`"));
                    assert_eq!(
                        theirs, variables,
                        "{code}/{area}.ftl: `{id}` uses other variables"
                    );
                }
                for id in other.keys() {
                    assert!(
                        english.contains_key(id),
                        "{code}/{area}.ftl has `{id}`, English does not"
                    );
                }
            }
        }
    }

    #[test]
    fn the_locales_folder_holds_exactly_the_files_compiled_in() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
        for locale in Locale::LANGUAGES {
            let mut found: Vec<String> = std::fs::read_dir(root.join(locale.code()))
                .unwrap()
                .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            found.sort();
            let mut expected: Vec<String> =
                AREAS.iter().map(|area| format!("{area}.ftl")).collect();
            expected.sort();
            assert_eq!(found, expected, "locales/{}", locale.code());
        }
    }
}
