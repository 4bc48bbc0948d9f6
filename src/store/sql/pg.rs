//! The port on PostgreSQL: the store's `?N` parameters become `$N`, each sent with its
//! type (so a NULL or a parameter only compared is never left for the server to guess),
//! and its rows come back as the same cells as SQLite's (a truth value as 0 or 1).

use super::DbError;
use super::{Cell, Db, Dialect, Row, Value};
use postgres::types::{ToSql, Type};
use postgres::GenericClient;
use std::cell::RefCell;

/// A PostgreSQL client or transaction, borrowed for the store's queries.
pub struct PgDb<C: GenericClient>(pub RefCell<C>);

impl<C: GenericClient> PgDb<C> {
    pub fn new(client: C) -> PgDb<C> {
        PgDb(RefCell::new(client))
    }

    pub fn into_inner(self) -> C {
        self.0.into_inner()
    }
}

/// `?12` → `$12`, outside quoted text.
pub(super) fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quoted = false;
    for c in sql.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => out.push('$'),
            _ => out.push(c),
        }
    }
    out
}

fn typed(params: &[Value]) -> Vec<(&(dyn ToSql + Sync), Type)> {
    params
        .iter()
        .map(|p| -> (&(dyn ToSql + Sync), Type) {
            match p {
                Value::Int(v) => (v, Type::INT8),
                Value::Text(v) => (v, Type::TEXT),
                Value::Bool(v) => (v, Type::BOOL),
            }
        })
        .collect()
}

fn cell(row: &postgres::Row, i: usize) -> Result<Cell, DbError> {
    let ty = row.columns()[i].type_().clone();
    let cell = match ty {
        Type::INT8 => row.try_get::<_, Option<i64>>(i)?.map(Cell::Int),
        Type::INT4 => row.try_get::<_, Option<i32>>(i)?.map(|v| Cell::Int(v.into())),
        Type::INT2 => row.try_get::<_, Option<i16>>(i)?.map(|v| Cell::Int(v.into())),
        Type::BOOL => row.try_get::<_, Option<bool>>(i)?.map(|v| Cell::Int(v.into())),
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(i)?.map(Cell::Real),
        Type::FLOAT4 => row.try_get::<_, Option<f32>>(i)?.map(|v| Cell::Real(v.into())),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => row.try_get::<_, Option<String>>(i)?.map(Cell::Text),
        _ => return Err(DbError::Column { index: i, wanted: "a type the store reads (cast it)" }),
    };
    Ok(cell.unwrap_or(Cell::Null))
}

impl<C: GenericClient> Db for PgDb<C> {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn execute(&self, sql: &str, params: &[Value]) -> Result<usize, DbError> {
        let n = self.0.borrow_mut().execute_typed(&numbered(sql), &typed(params))?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>, DbError> {
        let rows = self.0.borrow_mut().query_typed(&numbered(sql), &typed(params))?;
        rows.iter().map(|r| Ok(Row((0..r.len()).map(|i| cell(r, i)).collect::<Result<_, _>>()?))).collect()
    }
}
