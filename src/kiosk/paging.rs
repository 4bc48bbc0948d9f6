//! The UI's paged lists, laid out by `core::paging`. Each list (a key per screen) reports
//! its room and each cell the height its words need; the list's cells then ask where
//! they stand. Any change that moves a cell bumps `KioskApi.paging-epoch`, which the
//! asking bindings read, so Slint asks again.

use crate::core::paging::Pages;
use crate::ui::{AppWindow, KioskApi};
use slint::ComponentHandle;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

#[derive(Default)]
struct List {
    needs: Vec<f32>,
    heads: Vec<bool>,
    columns: usize,
    gap: f32,
    window: f32,
    first: f32,
    pages: Pages,
}

impl List {
    fn lay_out(&mut self) -> bool {
        let pages = Pages::lay_out(&self.needs, &self.heads, self.columns, self.gap, self.first, self.window);
        let moved = pages != self.pages;
        self.pages = pages;
        moved
    }
}

#[derive(Default)]
struct Book {
    lists: HashMap<i32, List>,
}

pub(super) fn wire(window: &AppWindow) {
    let api = window.global::<KioskApi>();
    let book = Rc::new(RefCell::new(Book::default()));
    let bump = {
        let weak = window.as_weak();
        move || {
            if let Some(w) = weak.upgrade() {
                let api = w.global::<KioskApi>();
                api.set_paging_epoch(api.get_paging_epoch().wrapping_add(1));
            }
        }
    };
    // Changes one list, lays it out again, and bumps the epoch when a cell moved.
    let edit = {
        let book = book.clone();
        move |id: i32, change: &dyn Fn(&mut List)| {
            let moved = {
                let mut book = book.borrow_mut();
                let list = book.lists.entry(id).or_default();
                change(list);
                list.lay_out()
            };
            if moved {
                bump();
            }
        }
    };
    let e = edit.clone();
    api.on_paging_room(move |id, columns, count, first, window, gap| {
        e(id, &|list| {
            list.columns = columns.max(1) as usize;
            list.needs.resize(count.max(0) as usize, 0.0);
            list.heads.resize(count.max(0) as usize, false);
            (list.gap, list.window, list.first) = (gap, window, first);
        });
    });
    let e = edit.clone();
    api.on_cell_needs(move |id, index, height| {
        let Ok(i) = usize::try_from(index) else { return };
        e(id, &|list| {
            if i >= list.needs.len() {
                list.needs.resize(i + 1, 0.0);
            }
            list.needs[i] = height;
        });
    });
    api.on_cell_heads(move |id, index, heads| {
        let Ok(i) = usize::try_from(index) else { return };
        edit(id, &|list| {
            if i >= list.heads.len() {
                list.heads.resize(i + 1, false);
            }
            list.heads[i] = heads;
        });
    });
    let ask = Ask(book);
    let a = ask.clone();
    api.on_page_count(move |id, _| a.get(id, 1, |p| p.count() as i32));
    let a = ask.clone();
    api.on_cell_page(move |id, i, _| a.get(id, -1, |p| cell(i).and_then(|i| p.page_of(i)).map_or(-1, |n| n as i32)));
    let a = ask.clone();
    api.on_cell_y(move |id, i, _| a.get(id, 0.0, |p| cell(i).and_then(|i| p.place(i)).map_or(0.0, |(y, _)| y)));
    let a = ask.clone();
    api.on_cell_h(move |id, i, _| a.get(id, 0.0, |p| cell(i).and_then(|i| p.place(i)).map_or(0.0, |(_, h)| h)));
    let a = ask.clone();
    api.on_page_first(move |id, page, _| a.get(id, 0, |p| cell(page).map_or(0, |n| p.span(n).0 as i32)));
    api.on_page_len(move |id, page, _| ask.get(id, 0, |p| cell(page).map_or(0, |n| p.span(n).1 as i32)));
}

/// Read access for the pure callbacks.
#[derive(Clone)]
struct Ask(Rc<RefCell<Book>>);

impl Ask {
    fn get<T>(&self, id: i32, none: T, f: impl Fn(&Pages) -> T) -> T {
        self.0.borrow().lists.get(&id).map_or(none, |l| f(&l.pages))
    }
}

fn cell(i: i32) -> Option<usize> {
    usize::try_from(i).ok()
}
