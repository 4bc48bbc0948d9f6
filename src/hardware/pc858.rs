//! Text for the printer's code page PC858 (Western European with €, ESC t 19): folds a
//! string to characters the code page has, then turns each into its one byte.
//!
//! PC858 has every French letter but the ligatures: `œ` and `Œ` are not in it, so they
//! print as `oe` and `OE` ("cœur" → "coeur"), and `Ÿ` as `Y`. Typographic quotes and
//! dashes become their plain forms; anything else becomes `?`. No-break spaces (before
//! `:`, inside « », before €) stay no-break spaces when folded, so lines are not cut
//! there, and go out as plain spaces. The decoding side
//! (`escpos_read`) keeps its own table, so tests check one against the other.

/// `ESC t n` value selecting PC858 on Epson-compatible printers.
pub const CODE_PAGE: u8 = 19;

/// The byte for a character PC858 has (`None` for every other character).
#[rustfmt::skip]
fn byte_of(c: char) -> Option<u8> {
    if (' '..='~').contains(&c) {
        return Some(c as u8);
    }
    let b = match c {
        // 0x80 to 0x9F
        'Ç' => 0x80, 'ü' => 0x81, 'é' => 0x82, 'â' => 0x83, 'ä' => 0x84, 'à' => 0x85,
        'å' => 0x86, 'ç' => 0x87, 'ê' => 0x88, 'ë' => 0x89, 'è' => 0x8A, 'ï' => 0x8B,
        'î' => 0x8C, 'ì' => 0x8D, 'Ä' => 0x8E, 'Å' => 0x8F, 'É' => 0x90, 'æ' => 0x91,
        'Æ' => 0x92, 'ô' => 0x93, 'ö' => 0x94, 'ò' => 0x95, 'û' => 0x96, 'ù' => 0x97,
        'ÿ' => 0x98, 'Ö' => 0x99, 'Ü' => 0x9A, 'ø' => 0x9B, '£' => 0x9C, 'Ø' => 0x9D,
        '×' => 0x9E,
        // 0xA0 to 0xBF (letters and signs only; the box drawings are never printed)
        'á' => 0xA0, 'í' => 0xA1, 'ó' => 0xA2, 'ú' => 0xA3, 'ñ' => 0xA4, 'Ñ' => 0xA5,
        'ª' => 0xA6, 'º' => 0xA7, '¿' => 0xA8, '®' => 0xA9, '½' => 0xAB, '¼' => 0xAC,
        '¡' => 0xAD, '«' => 0xAE, '»' => 0xAF, 'Á' => 0xB5, 'Â' => 0xB6, 'À' => 0xB7,
        '©' => 0xB8,
        // 0xC0 to 0xFF
        'ã' => 0xC6, 'Ã' => 0xC7, 'ð' => 0xD0, 'Ð' => 0xD1, 'Ê' => 0xD2, 'Ë' => 0xD3,
        'È' => 0xD4, '€' => 0xD5, 'Í' => 0xD6, 'Î' => 0xD7, 'Ï' => 0xD8, 'Ì' => 0xDE,
        'Ó' => 0xE0, 'ß' => 0xE1, 'Ô' => 0xE2, 'Ò' => 0xE3, 'õ' => 0xE4, 'Õ' => 0xE5,
        'µ' => 0xE6, 'Ú' => 0xE9, 'Û' => 0xEA, 'Ù' => 0xEB, 'ý' => 0xEC, 'Ý' => 0xED,
        '±' => 0xF1, '§' => 0xF5, '÷' => 0xF6, '°' => 0xF8, '·' => 0xFA, '²' => 0xFD,
        // 0xFF is a no-break space too, but printers differ: a plain space is safe.
        '\u{a0}' => b' ',
        _ => return None,
    };
    Some(b)
}

/// What stands for a character PC858 lacks.
fn stand_in(c: char) -> &'static str {
    match c {
        'œ' => "oe",
        'Œ' => "OE",
        'Ÿ' => "Y",
        '’' | '‘' | '‚' | '′' => "'",
        '“' | '”' | '„' | '″' => "\"",
        '‐' | '‑' | '‒' | '–' | '—' | '−' => "-",
        '…' => "...",
        '•' => "·",
        '\u{202f}' | '\u{2007}' => "\u{a0}",
        '\u{2009}' | '\t' => " ",
        // Invisible signs the kiosk's own text may carry (word joiner, isolates).
        '\u{2060}' | '\u{200b}' | '\u{2066}'..='\u{2069}' | '\u{ad}' => "",
        _ => "?",
    }
}

/// `text` with every character PC858 lacks replaced by its stand-in: one character of the
/// result is one column on paper.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if byte_of(c).is_some() {
            out.push(c);
        } else {
            out.push_str(stand_in(c));
        }
    }
    out
}

/// Whether PC858 prints `text` as it is meant: every character is in the code page or
/// has a plain stand-in (a typographic quote, a ligature), none becomes `?`.
pub fn prints(text: &str) -> bool {
    text.chars().all(|c| byte_of(c).is_some() || stand_in(c) != "?")
}

/// The PC858 bytes of `text` (folded first).
pub fn encode(text: &str) -> Vec<u8> {
    fold(text).chars().filter_map(byte_of).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_letters_take_their_pc858_bytes() {
        assert_eq!(encode("é"), [0x82]);
        assert_eq!(encode("è"), [0x8A]);
        assert_eq!(encode("à"), [0x85]);
        assert_eq!(encode("ç"), [0x87]);
        assert_eq!(encode("€"), [0xD5]);
        assert_eq!(encode("œ"), *b"oe");
        assert_eq!(encode("Œuvre"), *b"OEuvre");
        assert_eq!(encode("ÉÈÀÇÔ"), [0x90, 0xD4, 0xB7, 0x80, 0xE2]);
        assert_eq!(
            encode("l’été — «oui»"),
            [b'l', b'\'', 0x82, b't', 0x82, b' ', b'-', b' ', 0xAE, b'o', b'u', b'i', 0xAF]
        );
        assert_eq!(encode("a\u{2060}-b ☃"), *b"a-b ?");
        assert_eq!(fold("10\u{202f}€ :"), "10\u{a0}€ :", "no-break spaces stay unbreakable");
        assert_eq!(encode("10\u{a0}€"), [b'1', b'0', b' ', 0xD5]);
    }

    #[test]
    fn french_spanish_and_portuguese_print_turkish_and_romanian_do_not() {
        assert!(prints("Cœur : l’été, « 10\u{a0}€ » — ñ ¿ ã õ"));
        assert!(!prints("Sıranız"), "dotless i");
        assert!(!prints("Păstrați"));
        assert!(!prints("Ваш номер") && !prints("رقمك"));
    }

    #[test]
    fn one_folded_character_is_one_byte() {
        let text = "Cœur, reçu à l’accueil : 10 € — déjà payé";
        assert_eq!(fold(text).chars().count(), encode(text).len());
    }
}
