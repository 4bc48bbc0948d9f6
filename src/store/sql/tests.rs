use super::pg::numbered;
use super::*;

#[test]
fn parameters_are_numbered_for_postgresql_outside_quoted_text() {
    assert_eq!(
        numbered("SELECT ?1, '?', ?12 WHERE a = '?2' AND b = ?2"),
        "SELECT $1, '?', $12 WHERE a = '?2' AND b = $2"
    );
}

#[test]
fn cells_read_as_what_the_store_wrote() {
    let row = Row(vec![Cell::Int(3), Cell::Null, Cell::Text("x".into()), Cell::Int(0)]);
    assert_eq!((row.int(0).unwrap(), row.opt_int(1).unwrap(), row.text(2).unwrap()), (3, None, "x".into()));
    assert!(!row.bool(3).unwrap() && row.opt_bool(1).unwrap().is_none());
    assert!(matches!(row.text(0), Err(DbError::Column { index: 0, .. })));
    assert!(matches!(row.int(1), Err(DbError::Column { index: 1, .. })));
    assert!(row.int(9).is_err(), "a column the query does not have");
}

#[test]
fn the_same_query_runs_on_sqlite_with_its_types() {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    let db: &dyn Db = &conn;
    db.execute("CREATE TABLE t (a INTEGER, b TEXT)", &[]).unwrap();
    db.execute("INSERT INTO t VALUES (?1, ?2)", args![7i64, None::<String>]).unwrap();
    let r = db.query_one("SELECT a, b, a IS NOT NULL FROM t WHERE ?1 IS NULL OR a = ?1", args![None::<i64>]).unwrap();
    assert_eq!((r.int(0).unwrap(), r.opt_text(1).unwrap(), r.bool(2).unwrap()), (7, None, true));
}
