//! A screen's pixels, from a PNG the binary wrote or from the X server, and the ways
//! tests compare them.

use std::path::Path;

pub struct Capture {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<[u8; 3]>,
}

impl Capture {
    pub fn save_png(&self, path: &Path) {
        let file = std::fs::File::create(path).unwrap();
        let mut enc = png::Encoder::new(std::io::BufWriter::new(file), self.width, self.height);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let bytes: Vec<u8> = self.pixels.iter().flatten().copied().collect();
        enc.write_header().unwrap().write_image_data(&bytes).unwrap();
    }

    /// The part of the capture at (x, y), `width` × `height` pixels (a window on a screen).
    pub fn crop(&self, x: u32, y: u32, width: u32, height: u32) -> Capture {
        assert!(x + width <= self.width && y + height <= self.height, "outside the capture");
        let rows = (y..y + height).map(|row| (row * self.width + x) as usize);
        let pixels = rows.flat_map(|at| self.pixels[at..at + width as usize].iter().copied()).collect();
        Capture { width, height, pixels }
    }

    /// The capture `factor` times smaller, each pixel the mean of the square it replaces.
    pub fn shrink(&self, factor: u32) -> Capture {
        let (width, height) = (self.width / factor, self.height / factor);
        let mut pixels = Vec::with_capacity((width * height) as usize);
        for y in 0..height {
            for x in 0..width {
                let mut sum = [0u32; 3];
                for (dx, dy) in (0..factor).flat_map(|dx| (0..factor).map(move |dy| (dx, dy))) {
                    let p = self.pixels[((y * factor + dy) * self.width + x * factor + dx) as usize];
                    (0..3).for_each(|c| sum[c] += u32::from(p[c]));
                }
                pixels.push(sum.map(|v| (v / (factor * factor)) as u8));
            }
        }
        Capture { width, height, pixels }
    }

    /// The pixel nearest to (x, y), if it is on the screen.
    pub fn at(&self, x: f32, y: f32) -> Option<[u8; 3]> {
        let (x, y) = (x.round(), y.round());
        if x < 0.0 || y < 0.0 || x as u32 >= self.width || y as u32 >= self.height {
            return None;
        }
        Some(self.pixels[(y as u32 * self.width + x as u32) as usize])
    }
}

/// An RGB PNG as written by `guichet screenshot`.
pub fn read_png(path: &Path) -> Capture {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb, "{}", path.display());
    let pixels = buf[..info.buffer_size()].chunks(3).map(|c| [c[0], c[1], c[2]]).collect();
    Capture { width: info.width, height: info.height, pixels }
}

/// Share of pixels that differ by more than a rounding step in any channel.
pub fn differing(a: &Capture, b: &Capture) -> f64 {
    assert_eq!((a.width, a.height), (b.width, b.height));
    let far = a.pixels.iter().zip(&b.pixels).filter(|(p, q)| p.iter().zip(q.iter()).any(|(x, y)| x.abs_diff(*y) > 8));
    far.count() as f64 / a.pixels.len() as f64
}
