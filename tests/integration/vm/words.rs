//! What the panel says, read from its pixels by Tesseract (Debian's tesseract-ocr with its
//! French data): a visitor reads the screen, not the kiosk's own idea of it.

use crate::xwd::Capture;
use std::path::Path;
use std::process::Command;

/// The words on `shown`, one string (the PNG is kept in `dir` as `name.png`): read as the
/// panel shows them, then a third of the size, for Tesseract misses glyphs much taller
/// than a text line (the ticket's number: about 160 px tall on the 10.1").
pub fn read(shown: &Capture, dir: &Path, name: &str) -> String {
    let small = dir.join(format!("{name}-third.png"));
    shown.shrink(3).save_png(&small);
    [tesseract(shown, dir, name), tesseract_file(&small)].join(" ")
}

fn tesseract(shown: &Capture, dir: &Path, name: &str) -> String {
    let png = dir.join(format!("{name}.png"));
    shown.save_png(&png);
    tesseract_file(&png)
}

fn tesseract_file(png: &Path) -> String {
    // --psm 11: sparse text, which also finds the ticket's number in its big box.
    let out = Command::new("tesseract")
        .arg(png)
        .args(["-", "-l", "fra", "--psm", "11"])
        .output()
        .expect("tesseract (apt-get install tesseract-ocr tesseract-ocr-fra)");
    assert!(out.status.success(), "tesseract on {}: {}", png.display(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `text` holds `phrase`, letters and digits only, case and accents aside (a
/// reading may take "é" for "e" or drop an apostrophe).
pub fn holds(text: &str, phrase: &str) -> bool {
    letters(text).contains(&letters(phrase))
}

fn letters(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            'à' | 'â' | 'ä' => Some('a'),
            'é' | 'è' | 'ê' | 'ë' => Some('e'),
            'î' | 'ï' => Some('i'),
            'ô' | 'ö' => Some('o'),
            'ù' | 'û' | 'ü' => Some('u'),
            'ç' => Some('c'),
            c if c.is_ascii_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

#[test]
fn a_reading_holds_a_phrase_whatever_its_accents_and_spaces() {
    let read = "Un problème est arrive Le ticket na pas pu etre cree. Touchez encore";
    assert!(holds(read, "Le ticket n'a pas pu être créé"));
    assert!(holds("re 0 A-004 Répéter", "A-004"));
    assert!(!holds(read, "Voici votre numéro"));
}
