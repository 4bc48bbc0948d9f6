//! ESC/POS bytes for a 58/80 mm thermal printer: the ticket number large, the QR code
//! (printed by the printer itself) and the documents to prepare. Text goes out in code
//! page PC858 (Western European with €), which covers French.

/// What goes on paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperTicket {
    pub site: String,
    pub number: String,
    pub queue: String,
    pub issued: String,
    pub wait: String,
    pub documents: Vec<String>,
    pub qr: String,
}

const ESC: u8 = 0x1b;
const GS: u8 = 0x1d;

/// Encodes text for PC858; characters outside it become '?'.
pub fn pc858(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            ' '..='~' => c as u8,
            'é' => 0x82,
            'â' => 0x83,
            'à' => 0x85,
            'ç' => 0x87,
            'ê' => 0x88,
            'ë' => 0x89,
            'è' => 0x8a,
            'ï' => 0x8b,
            'î' => 0x8c,
            'É' => 0x90,
            'ô' => 0x93,
            'û' => 0x96,
            'ù' => 0x97,
            'À' => 0xb7,
            'Ç' => 0x80,
            'ü' => 0x81,
            'ä' => 0x84,
            'ö' => 0x94,
            '€' => 0xd5,
            '’' | '‘' => b'\'',
            '«' => 0xae,
            '»' => 0xaf,
            '\u{a0}' | '\u{202f}' => b' ',
            _ => b'?',
        })
        .collect()
}

fn line(out: &mut Vec<u8>, text: &str) {
    out.extend(pc858(text));
    out.push(b'\n');
}

/// The full byte stream for one ticket, ending with a paper cut.
pub fn ticket_bytes(t: &PaperTicket) -> Vec<u8> {
    let mut out = vec![ESC, b'@', ESC, b't', 19, ESC, b'a', 1];
    line(&mut out, &t.site);
    out.extend([GS, b'!', 0x11]);
    line(&mut out, "Votre numéro");
    out.extend([GS, b'!', 0x44]);
    line(&mut out, &t.number);
    out.extend([GS, b'!', 0x00]);
    line(&mut out, &t.queue);
    line(&mut out, &t.issued);
    line(&mut out, &t.wait);
    out.extend([ESC, b'a', 0]);
    out.push(b'\n');
    line(&mut out, "A préparer :");
    for d in &t.documents {
        line(&mut out, &format!("[ ] {d}"));
    }
    out.extend([ESC, b'a', 1, b'\n']);
    qr(&mut out, &t.qr);
    line(&mut out, "Pour l'accueil");
    out.extend([b'\n', b'\n', b'\n', GS, b'V', 66, 0]);
    out
}

/// GS ( k: model 2, module size 6, error correction M, store then print.
fn qr(out: &mut Vec<u8>, data: &str) {
    let bytes = data.as_bytes();
    let len = bytes.len() + 3;
    out.extend([GS, b'(', b'k', 4, 0, 49, 65, 50, 0]);
    out.extend([GS, b'(', b'k', 3, 0, 49, 67, 6]);
    out.extend([GS, b'(', b'k', 3, 0, 49, 69, 49]);
    out.extend([GS, b'(', b'k', (len & 0xff) as u8, (len >> 8) as u8, 49, 80, 48]);
    out.extend(bytes);
    out.extend([GS, b'(', b'k', 3, 0, 49, 81, 48]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticket_has_number_qr_and_cut() {
        let t = PaperTicket {
            site: "France Services".into(),
            number: "C-042".into(),
            queue: "Famille".into(),
            issued: "23/11/2026 10:42".into(),
            wait: "Attente : environ 15 minutes".into(),
            documents: vec!["Une pièce d'identité".into()],
            qr: "http://10.0.0.2:8080/t/abc".into(),
        };
        let bytes = ticket_bytes(&t);
        let find = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
        assert!(find(b"C-042"));
        assert!(find(b"http://10.0.0.2:8080/t/abc"));
        assert!(find(&pc858("Une pièce d'identité")));
        assert!(bytes.ends_with(&[GS, b'V', 66, 0]));
        assert_eq!(pc858("é€?"), vec![0x82, 0xd5, b'?']);
    }
}
