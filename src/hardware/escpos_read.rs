//! Reads an ESC/POS byte stream back into what a printer would put on paper: text lines
//! with their alignment, size and weight, QR codes (`GS ( k`), raster images (`GS v 0`),
//! cuts and real-time status queries. It understands the subset `escpos` writes (and a
//! little more) and refuses anything else, naming the byte. The receipt preview draws
//! from it and the tests check the encoder with it: it shares no code or table with the
//! encoder (PC858 is decoded from its own table, transcribed from the code page chart).

/// PC858 from 0x80 to 0xFF (0xD5 is the euro sign; 0xF0 the soft hyphen, 0xFF no-break space).
const PC858_HIGH: &str = concat!(
    "ÇüéâäàåçêëèïîìÄÅ",
    "ÉæÆôöòûùÿÖÜø£Ø×ƒ",
    "áíóúñÑªº¿®¬½¼¡«»",
    "░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐",
    "└┴┬├─┼ãÃ╚╔╩╦╠═╬¤",
    "ðÐÊËÈ€ÍÎÏ┘┌█▄¦Ì▀",
    "ÓßÔÒõÕµþÞÚÛÙýÝ¯´",
    "\u{ad}±‗¾¶§÷¸°¨·¹³²■\u{a0}",
);

/// The character PC858 prints for `byte` (0x20 and up).
pub fn pc858_char(byte: u8) -> char {
    if byte < 0x80 {
        return char::from(byte);
    }
    PC858_HIGH.chars().nth(usize::from(byte - 0x80)).unwrap_or('?')
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Centre,
    Right,
}

/// One printed line of text, in the style it started with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextLine {
    pub text: String,
    pub align: Align,
    /// Character magnification across and down (1 to 8).
    pub width: u8,
    pub height: u8,
    pub bold: bool,
}

/// A QR code the printer draws itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Qr {
    pub data: Vec<u8>,
    /// Dots per module.
    pub module: u8,
    /// Error correction: b'0' L, b'1' M, b'2' Q, b'3' H.
    pub correction: u8,
    pub align: Align,
}

/// A raster image: `width` dots across (a multiple of 8), one bit a dot, 1 = black.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raster {
    pub width: u32,
    pub height: u32,
    pub bits: Vec<u8>,
    pub align: Align,
}

impl Raster {
    pub fn dot(&self, x: u32, y: u32) -> bool {
        let row = (self.width / 8) as usize;
        self.bits.get(y as usize * row + (x / 8) as usize).is_some_and(|b| b & (0x80 >> (x % 8)) != 0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Text(TextLine),
    Qr(Qr),
    Raster(Raster),
    Cut {
        partial: bool,
    },
    /// `DLE EOT n`: a real-time status request (the printer answers, prints nothing).
    StatusQuery(u8),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("byte {0}: the stream ends inside a command")]
    Truncated(usize),
    #[error("byte {at}: {what} is not understood")]
    Unknown { at: usize, what: String },
    #[error("byte {0}: text in code page {1}, only PC858 (19) is read")]
    CodePage(usize, u8),
    #[error("byte {0}: a style change or an image inside a line of text")]
    MidLine(usize),
}

/// What the printer has been told so far.
struct State {
    align: Align,
    width: u8,
    height: u8,
    bold: bool,
    code_page: u8,
    qr_module: u8,
    qr_correction: u8,
    qr_data: Vec<u8>,
    line: Option<TextLine>,
}

impl State {
    fn new() -> State {
        State {
            align: Align::Left,
            width: 1,
            height: 1,
            bold: false,
            code_page: 0,
            qr_module: 3,
            qr_correction: b'0',
            qr_data: Vec::new(),
            line: None,
        }
    }

    fn end_line(&mut self, blocks: &mut Vec<Block>) {
        let line = self.line.take().unwrap_or_else(|| self.empty_line());
        blocks.push(Block::Text(line));
    }

    fn empty_line(&self) -> TextLine {
        TextLine { text: String::new(), align: self.align, width: self.width, height: self.height, bold: self.bold }
    }

    /// A style change must come before a line's first character.
    fn at_line_start(&self, at: usize) -> Result<(), ReadError> {
        if self.line.is_some() {
            return Err(ReadError::MidLine(at));
        }
        Ok(())
    }
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ReadError> {
        let slice = self.bytes.get(self.at..self.at + n).ok_or(ReadError::Truncated(self.at))?;
        self.at += n;
        Ok(slice)
    }

    fn byte(&mut self) -> Result<u8, ReadError> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<usize, ReadError> {
        let b = self.take(2)?;
        Ok(usize::from(b[0]) | usize::from(b[1]) << 8)
    }
}

fn unknown(at: usize, what: String) -> ReadError {
    ReadError::Unknown { at, what }
}

fn align_of(n: u8, at: usize) -> Result<Align, ReadError> {
    match n {
        0 | 48 => Ok(Align::Left),
        1 | 49 => Ok(Align::Centre),
        2 | 50 => Ok(Align::Right),
        _ => Err(unknown(at, format!("ESC a {n}"))),
    }
}

/// Every block of `bytes`, in order. Text left without a line feed ends as a line.
pub fn read(bytes: &[u8]) -> Result<Vec<Block>, ReadError> {
    let mut c = Cursor { bytes, at: 0 };
    let mut s = State::new();
    let mut blocks = Vec::new();
    while c.at < bytes.len() {
        let at = c.at;
        match c.byte()? {
            0x0a => s.end_line(&mut blocks),
            0x0d => {}
            0x10 => match c.take(2)? {
                [0x04, n @ 1..=4] => blocks.push(Block::StatusQuery(*n)),
                other => return Err(unknown(at, format!("DLE {other:02x?}"))),
            },
            0x1b => esc(&mut c, &mut s, &mut blocks, at)?,
            0x1d => gs(&mut c, &mut s, &mut blocks, at)?,
            b @ 0x20.. => {
                if b >= 0x80 && s.code_page != 19 {
                    return Err(ReadError::CodePage(at, s.code_page));
                }
                let line = s.line.get_or_insert_with(|| TextLine {
                    text: String::new(),
                    align: s.align,
                    width: s.width,
                    height: s.height,
                    bold: s.bold,
                });
                line.text.push(pc858_char(b));
            }
            b => return Err(unknown(at, format!("control byte {b:#04x}"))),
        }
    }
    if s.line.is_some() {
        s.end_line(&mut blocks);
    }
    Ok(blocks)
}

fn esc(c: &mut Cursor, s: &mut State, blocks: &mut Vec<Block>, at: usize) -> Result<(), ReadError> {
    match c.byte()? {
        b'@' => *s = State::new(),
        b't' => s.code_page = c.byte()?,
        b'a' => {
            let align = align_of(c.byte()?, at)?;
            // Only taken at the start of a line, as printers do.
            if s.line.is_none() {
                s.align = align;
            }
        }
        b'E' => {
            s.at_line_start(at)?;
            s.bold = c.byte()? & 1 == 1;
        }
        b'!' => {
            s.at_line_start(at)?;
            let n = c.byte()?;
            s.bold = n & 0x08 != 0;
            s.height = 1 + u8::from(n & 0x10 != 0);
            s.width = 1 + u8::from(n & 0x20 != 0);
        }
        b'd' => {
            for _ in 0..c.byte()? {
                s.end_line(blocks);
            }
        }
        other => return Err(unknown(at, format!("ESC {:?}", char::from(other)))),
    }
    Ok(())
}

fn gs(c: &mut Cursor, s: &mut State, blocks: &mut Vec<Block>, at: usize) -> Result<(), ReadError> {
    match c.byte()? {
        b'!' => {
            s.at_line_start(at)?;
            let n = c.byte()?;
            s.width = (n >> 4 & 7) + 1;
            s.height = (n & 7) + 1;
        }
        b'V' => {
            s.at_line_start(at)?;
            let m = c.byte()?;
            if matches!(m, 65 | 66) {
                c.byte()?;
            } else if !matches!(m, 0 | 1 | 48 | 49) {
                return Err(unknown(at, format!("GS V {m}")));
            }
            blocks.push(Block::Cut { partial: matches!(m, 1 | 49 | 66) });
        }
        b'v' => {
            s.at_line_start(at)?;
            let (zero, mode) = (c.byte()?, c.byte()?);
            if zero != b'0' || !matches!(mode, 0 | 48) {
                return Err(unknown(at, format!("GS v {zero} {mode}")));
            }
            let (row, height) = (c.u16()?, c.u16()?);
            let bits = c.take(row * height)?.to_vec();
            let (width, height) = ((row * 8) as u32, height as u32);
            blocks.push(Block::Raster(Raster { width, height, bits, align: s.align }));
        }
        b'(' => {
            if c.byte()? != b'k' {
                return Err(unknown(at, "GS ( other than GS ( k".into()));
            }
            let len = c.u16()?;
            let body = c.take(len)?;
            qr_function(body, s, blocks, at)?;
        }
        other => return Err(unknown(at, format!("GS {:?}", char::from(other)))),
    }
    Ok(())
}

/// `GS ( k` for symbol 49 (QR code): model, module size, correction, store, print.
fn qr_function(body: &[u8], s: &mut State, blocks: &mut Vec<Block>, at: usize) -> Result<(), ReadError> {
    match body {
        [49, 65, 49 | 50, 0] => {}
        [49, 67, size @ 1..=16] => s.qr_module = *size,
        [49, 69, ec @ 48..=51] => s.qr_correction = *ec,
        [49, 80, 48, data @ ..] => s.qr_data = data.to_vec(),
        [49, 81, 48] => {
            s.at_line_start(at)?;
            blocks.push(Block::Qr(Qr {
                data: s.qr_data.clone(),
                module: s.qr_module,
                correction: s.qr_correction,
                align: s.align,
            }));
        }
        other => return Err(unknown(at, format!("GS ( k {:02x?}", &other[..other.len().min(4)]))),
    }
    Ok(())
}

/// The text lines only, for tests and logs.
pub fn text_lines(blocks: &[Block]) -> Vec<&TextLine> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Text(t) => Some(t),
            _ => None,
        })
        .collect()
}
