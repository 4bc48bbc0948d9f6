//! The kiosk's and the board's windows, generated from the `.slint` files beside this one
//! (`app.slint` exports both). The `guichet` crate re-exports it as `guichet::ui`.

slint::include_modules!();
