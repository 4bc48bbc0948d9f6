//! The language list's page button names the languages it leads to, each in itself
//! ("Українська · Română"), instead of "Autres choix" in the kiosk's language, which a
//! visitor looking for their own language may not read (issue 25.5).

/// A line may break after the dot, not before it.
const BETWEEN: &str = "\u{a0}· ";
const MORE: &str = " …";

/// The label of a page button leading to the `count` choices from `first`: the first
/// `most` labels, and "…" when the page holds more. A right-to-left name stands in an
/// isolate, so "العربية · Español" keeps its order in a left-to-right line. The renderer
/// lays out a line whose only letters are right to left from right to left: in a kiosk
/// reading left to right, "العربية" alone is followed by "…" written before it (drawn
/// "العربية …"; written after, it was drawn "… العربية").
pub fn leading_to(labels: &[String], first: usize, count: usize, most: usize, rtl: bool) -> String {
    let shown: Vec<String> = labels.iter().skip(first).take(count.min(most)).map(|l| isolated(l)).collect();
    let label = shown.join(BETWEEN);
    if count <= most || label.is_empty() {
        return label;
    }
    let only_rtl = !rtl && shown.iter().all(|l| l.starts_with(RLI));
    if only_rtl {
        format!("{} {label}", MORE.trim_start())
    } else {
        format!("{label}{MORE}")
    }
}

/// The longest such label a list may show (its page button is sized from it before the
/// pages are laid out, so the label shown never moves the layout): `most` neighbours and "…".
pub fn longest(labels: &[String], most: usize, rtl: bool) -> String {
    (0..labels.len())
        .map(|i| leading_to(labels, i, labels.len() - i, most, rtl))
        .max_by_key(|l| l.chars().count())
        .unwrap_or_default()
}

/// Right-to-left isolate, and its end.
const RLI: char = '\u{2067}';
const PDI: char = '\u{2069}';

fn isolated(label: &str) -> String {
    let rtl = label.chars().any(|c| ('\u{0590}'..='\u{08FF}').contains(&c));
    if rtl {
        format!("{RLI}{label}{PDI}")
    } else {
        label.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        ["Français", "English", "العربية", "Español", "Português", "Türkçe", "Українська", "Română"]
            .map(String::from)
            .to_vec()
    }

    #[test]
    fn a_page_of_two_is_named_whole() {
        assert_eq!(leading_to(&names(), 6, 2, 2, false), "Українська\u{a0}· Română");
    }

    #[test]
    fn a_longer_page_is_named_by_its_first_ones() {
        assert_eq!(leading_to(&names(), 2, 4, 2, false), "\u{2067}العربية\u{2069}\u{a0}· Español …");
        assert_eq!(leading_to(&names(), 3, 4, 1, false), "Español …");
        assert_eq!(leading_to(&names(), 7, 1, 2, false), "Română");
    }

    #[test]
    fn a_right_to_left_name_alone_keeps_its_more_at_the_end_of_the_line() {
        assert_eq!(leading_to(&names(), 2, 4, 1, false), "… \u{2067}العربية\u{2069}");
        assert_eq!(leading_to(&names(), 2, 4, 1, true), "\u{2067}العربية\u{2069} …");
    }

    #[test]
    fn nothing_past_the_end() {
        assert_eq!(leading_to(&names(), 8, 2, 2, false), "");
        assert_eq!(leading_to(&[], 0, 3, 2, false), "");
    }

    #[test]
    fn the_longest_has_the_most_letters() {
        assert_eq!(longest(&names(), 2, false), "Türkçe\u{a0}· Українська …");
        assert_eq!(longest(&names(), 1, false), "Українська …");
        assert_eq!(longest(&[], 2, false), "");
    }
}
