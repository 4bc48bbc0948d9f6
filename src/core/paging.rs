//! Pages instead of scrolling: a list of cells laid out in rows of `columns`, each row
//! as tall as its tallest cell (one column: each cell as tall as its own words), put on
//! pages of whole rows. A page takes every row that still fits, so no page leaves room
//! for another whole row empty. Pure: the UI reports what each cell needs and asks
//! where it goes.

/// A row of cells and where it stands.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    pub height: f32,
    pub page: usize,
    /// Top of the row, from the top of its page.
    pub y: f32,
    /// Index of its first cell.
    pub first: usize,
}

/// A list cut into pages.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pages {
    columns: usize,
    cells: usize,
    rows: Vec<Row>,
}

/// Half a pixel of slack: layout lengths are rounded, a row that fits on screen fits here.
const SLACK: f32 = 0.5;

impl Pages {
    /// `needs[i]` is the height cell `i` needs at the cell width; `window` the room for
    /// rows on one page, `first` on the first page (a screen may show something else
    /// above its list there). A row taller than a whole page stands alone on its page
    /// (the UI reports it as cut). A row with a cell marked in `heads` (a heading) is
    /// never the last of its page when the row it heads goes to the next one: it goes
    /// along, if both fit a page and it leaves rows behind.
    pub fn lay_out(needs: &[f32], heads: &[bool], columns: usize, gap: f32, first: f32, window: f32) -> Pages {
        let columns = columns.max(1);
        let mut rows = Vec::with_capacity(needs.len().div_ceil(columns));
        let (mut page, mut y) = (0, 0.0f32);
        for (r, chunk) in needs.chunks(columns).enumerate() {
            let height = chunk.iter().copied().fold(0.0f32, f32::max);
            let room = if page == 0 { first } else { window };
            let at_top = r == 0 || y == 0.0;
            // A row at the top of a page stays there even if taller than the page,
            // except on a short first page when a whole page would hold it.
            let move_on = !at_top || (page == 0 && first + SLACK < window && height <= window + SLACK);
            if move_on && y + height > room + SLACK {
                page += 1;
                y = 0.0;
                let heads_row = |r: &Row| heads.iter().skip(r.first).take(columns).any(|h| *h);
                if let Some(prev) = rows.last_mut().filter(|p: &&mut Row| p.y > 0.0 && heads_row(p)) {
                    if prev.height + gap + height <= window + SLACK {
                        (prev.page, prev.y) = (page, 0.0);
                        y = prev.height + gap;
                    }
                }
            }
            rows.push(Row { height, page, y, first: r * columns });
            y += height + gap;
        }
        Pages { columns, cells: needs.len(), rows }
    }

    /// Number of pages (one when the list is empty).
    pub fn count(&self) -> usize {
        self.rows.last().map_or(1, |r| r.page + 1)
    }

    fn row_of(&self, cell: usize) -> Option<&Row> {
        if cell >= self.cells {
            return None;
        }
        self.rows.get(cell / self.columns)
    }

    /// Page of a cell (`None` past the end).
    pub fn page_of(&self, cell: usize) -> Option<usize> {
        self.row_of(cell).map(|r| r.page)
    }

    /// Top of a cell's row on its page, and the row's height.
    pub fn place(&self, cell: usize) -> Option<(f32, f32)> {
        self.row_of(cell).map(|r| (r.y, r.height))
    }

    /// First cell of a page and how many cells it shows.
    pub fn span(&self, page: usize) -> (usize, usize) {
        let mut on = self.rows.iter().filter(|r| r.page == page);
        let Some(first) = on.next() else { return (0, 0) };
        let last = on.next_back().unwrap_or(first);
        let end = (last.first + self.columns).min(self.cells);
        (first.first, end - first.first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_rows_fill_each_page_and_none_is_left_half_empty() {
        // Rows of 20, 40, 20, 20, 30 with a gap of 5, pages of 70.
        let p = Pages::lay_out(&[20.0, 40.0, 20.0, 20.0, 30.0], &[], 1, 5.0, 70.0, 70.0);
        assert_eq!(p.count(), 3);
        assert_eq!((0..5).map(|i| p.page_of(i).unwrap()).collect::<Vec<_>>(), [0, 0, 1, 1, 2]);
        assert_eq!(p.place(1), Some((25.0, 40.0)));
        assert_eq!(p.place(3), Some((25.0, 20.0)));
        assert_eq!(p.span(1), (2, 2));
        // Another row would not have fit on any page it was left off.
        for i in 1..5 {
            let (prev_y, prev_h) = p.place(i - 1).unwrap();
            if p.page_of(i) != p.page_of(i - 1) {
                assert!(prev_y + prev_h + 5.0 + p.place(i).unwrap().1 > 70.0);
            }
        }
    }

    #[test]
    fn rows_of_a_grid_are_as_tall_as_their_tallest_cell_only() {
        let p = Pages::lay_out(&[20.0, 35.0, 20.0, 20.0, 20.0], &[], 2, 5.0, 100.0, 100.0);
        assert_eq!(p.place(0), Some((0.0, 35.0)));
        assert_eq!(p.place(1), Some((0.0, 35.0)));
        assert_eq!(p.place(2), Some((40.0, 20.0)));
        assert_eq!(p.place(4), Some((65.0, 20.0)));
        assert_eq!(p.span(0), (0, 5));
        assert_eq!(p.page_of(5), None);
    }

    #[test]
    fn a_row_taller_than_a_page_stands_alone_and_empty_lists_have_one_page() {
        let p = Pages::lay_out(&[10.0, 90.0, 10.0], &[], 1, 5.0, 50.0, 50.0);
        assert_eq!((0..3).map(|i| p.page_of(i).unwrap()).collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(Pages::lay_out(&[], &[], 3, 5.0, 50.0, 50.0).count(), 1);
        assert_eq!(Pages::lay_out(&[], &[], 3, 5.0, 50.0, 50.0).span(0), (0, 0));
    }

    #[test]
    fn a_first_page_with_less_room_holds_fewer_rows_or_none() {
        let p = Pages::lay_out(&[30.0, 30.0, 30.0], &[], 1, 5.0, 40.0, 100.0);
        assert_eq!((0..3).map(|i| p.page_of(i).unwrap()).collect::<Vec<_>>(), [0, 1, 1]);
        // No room at all on the first page: it shows what stands above the list only.
        let p = Pages::lay_out(&[30.0, 30.0], &[], 1, 5.0, 10.0, 100.0);
        assert_eq!((0..2).map(|i| p.page_of(i).unwrap()).collect::<Vec<_>>(), [1, 1]);
        assert_eq!(p.count(), 2);
        assert_eq!(p.span(0), (0, 0));
    }

    #[test]
    fn a_heading_goes_to_the_next_page_with_the_row_it_heads() {
        // Rows 30, heading 20, row 40 on pages of 70: the heading would end page 0 alone.
        let p = Pages::lay_out(&[30.0, 20.0, 40.0], &[false, true, false], 1, 5.0, 70.0, 70.0);
        assert_eq!((0..3).map(|i| p.page_of(i).unwrap()).collect::<Vec<_>>(), [0, 1, 1]);
        assert_eq!(p.place(2), Some((25.0, 40.0)));
        // Unmarked, it stays; a heading first on its page stays too (nothing to leave).
        let p = Pages::lay_out(&[30.0, 20.0, 40.0], &[], 1, 5.0, 70.0, 70.0);
        assert_eq!(p.page_of(1), Some(0));
        let p = Pages::lay_out(&[20.0, 60.0], &[true, false], 1, 5.0, 70.0, 70.0);
        assert_eq!((0..2).map(|i| p.page_of(i).unwrap()).collect::<Vec<_>>(), [0, 1]);
        // A heading and a row that no page holds together: the heading stays.
        let p = Pages::lay_out(&[30.0, 20.0, 60.0], &[false, true, false], 1, 5.0, 70.0, 70.0);
        assert_eq!(p.page_of(1), Some(0));
    }

    #[test]
    fn half_a_pixel_of_rounding_does_not_push_a_row_over() {
        let p = Pages::lay_out(&[30.0, 30.2], &[], 1, 10.0, 70.0, 70.0);
        assert_eq!(p.count(), 1);
    }
}
