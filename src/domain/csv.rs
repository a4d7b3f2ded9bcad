//! Comma-separated values as spreadsheets read them (RFC 4180), with cells that a spreadsheet
//! would run as a formula neutralised: a name such as `=HYPERLINK("http://evil", "Click")`,
//! typed by anyone who accepts an invitation, must arrive in the owner's spreadsheet as text.

/// The byte order mark that makes spreadsheet programs read the file as UTF-8.
pub const BOM: &str = "\u{feff}";

/// One cell, quoted, with a leading `'` when it starts like a formula (`=`, `+`, `-`, `@`, or a
/// tab or carriage return, which some programs skip before looking).
pub fn cell(value: &str) -> String {
    let neutral = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    format!("\"{}\"", neutral.replace('"', "\"\""))
}

/// One line of cells, ended by CRLF.
pub fn line<S: AsRef<str>>(cells: &[S]) -> String {
    let mut line = cells
        .iter()
        .map(|value| cell(value.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_every_cell_and_doubles_quotes() {
        assert_eq!(cell("Ann"), "\"Ann\"");
        assert_eq!(cell("say \"hi\", then go"), "\"say \"\"hi\"\", then go\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(line(&["a", "b"]), "\"a\",\"b\"\r\n");
    }

    #[test]
    fn neutralises_what_a_spreadsheet_would_run() {
        for formula in ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"] {
            assert!(cell(formula).starts_with("\"'"), "{formula}");
        }
        assert_eq!(
            cell("=HYPERLINK(\"http://evil\")"),
            "\"'=HYPERLINK(\"\"http://evil\"\")\""
        );
        assert_eq!(
            cell("Ann-Marie"),
            "\"Ann-Marie\"",
            "only a leading sign counts"
        );
    }
}
