//! The store's port to its database: one way to run a statement and read its rows,
//! whichever database holds the queue (SQLite on a lone kiosk, PostgreSQL for a site's
//! kiosks and desks). Every query of the store is written once, with `?1`-style
//! parameters and SQL both databases read; what differs (a few function names) is asked
//! of the [`Dialect`]. Parameters carry their type, even when NULL, so PostgreSQL never has
//! to guess one.

mod pg;
mod sqlite;

pub use pg::PgDb;

/// What the port can fail with: the database's own error, or a row that does not hold
/// what was asked of it. (The store turns it into its `DbError`; this folder imports
/// nothing from the store.)
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Postgres(#[from] postgres::Error),
    #[error("column {index} of a row read back is not {wanted}")]
    Column { index: usize, wanted: &'static str },
}

/// A parameter, typed even when NULL.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(Option<i64>),
    Text(Option<String>),
    Bool(Option<bool>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(Some(v))
    }
}
impl From<u32> for Value {
    fn from(v: u32) -> Value {
        Value::Int(Some(i64::from(v)))
    }
}
impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Value {
        Value::Int(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Value {
        Value::Bool(Some(v))
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(Some(v.to_string()))
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Value {
        Value::Text(Some(v.clone()))
    }
}
impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(Some(v))
    }
}
impl From<Option<&str>> for Value {
    fn from(v: Option<&str>) -> Value {
        Value::Text(v.map(str::to_string))
    }
}
impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Value {
        Value::Text(v)
    }
}
impl From<&Option<String>> for Value {
    fn from(v: &Option<String>) -> Value {
        Value::Text(v.clone())
    }
}

/// The parameters of a statement: `args![a, b]`.
macro_rules! args {
    ($($v:expr),* $(,)?) => { &[$($crate::store::sql::Value::from($v)),*][..] };
}
pub(crate) use args;

/// One cell of a row read back.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

/// One row read back, its cells in the order of the query's columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Row(pub(super) Vec<Cell>);

impl Row {
    fn cell(&self, i: usize) -> Result<&Cell, DbError> {
        self.0.get(i).ok_or(DbError::Column { index: i, wanted: "a column" })
    }

    pub fn opt_int(&self, i: usize) -> Result<Option<i64>, DbError> {
        match self.cell(i)? {
            Cell::Null => Ok(None),
            Cell::Int(v) => Ok(Some(*v)),
            _ => Err(DbError::Column { index: i, wanted: "an integer" }),
        }
    }

    pub fn int(&self, i: usize) -> Result<i64, DbError> {
        self.opt_int(i)?.ok_or(DbError::Column { index: i, wanted: "an integer, not NULL" })
    }

    pub fn count(&self, i: usize) -> Result<u32, DbError> {
        u32::try_from(self.int(i)?).map_err(|_| DbError::Column { index: i, wanted: "a count" })
    }

    pub fn opt_text(&self, i: usize) -> Result<Option<String>, DbError> {
        match self.cell(i)? {
            Cell::Null => Ok(None),
            Cell::Text(v) => Ok(Some(v.clone())),
            _ => Err(DbError::Column { index: i, wanted: "text" }),
        }
    }

    pub fn text(&self, i: usize) -> Result<String, DbError> {
        self.opt_text(i)?.ok_or(DbError::Column { index: i, wanted: "text, not NULL" })
    }

    /// A truth value (SQLite keeps them as 0 and 1).
    pub fn opt_bool(&self, i: usize) -> Result<Option<bool>, DbError> {
        Ok(self.opt_int(i)?.map(|v| v != 0))
    }

    pub fn bool(&self, i: usize) -> Result<bool, DbError> {
        self.int(i).map(|v| v != 0)
    }
}

/// Which database a statement runs on, for what their SQL says differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// The largest of its arguments (SQLite's scalar `max`).
    pub fn greatest(self) -> &'static str {
        match self {
            Dialect::Sqlite => "max",
            Dialect::Postgres => "GREATEST",
        }
    }
}

/// A connection (or a transaction on one) the store's queries run on.
pub trait Db {
    fn dialect(&self) -> Dialect;
    /// Runs a statement; how many rows it changed.
    fn execute(&self, sql: &str, params: &[Value]) -> Result<usize, DbError>;
    /// Runs a query; its rows.
    fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError>;

    /// The first row, if any.
    fn query_opt(&self, sql: &str, params: &[Value]) -> Result<Option<Row>, DbError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// The only row (a query that always returns one: a count, `RETURNING`).
    fn query_one(&self, sql: &str, params: &[Value]) -> Result<Row, DbError> {
        self.query_opt(sql, params)?.ok_or(DbError::Column { index: 0, wanted: "a row" })
    }
}

#[cfg(test)]
mod tests;
