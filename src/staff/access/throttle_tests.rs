//! The login throttle's rules, with time passed in.

use super::*;

const LOCK: Duration = Duration::from_secs(15 * 60);

/// One wrong password: reserved, then checked at the same instant.
fn fail(t: &mut Throttle, address: &str, name: &str, now: Instant) -> Result<bool, Refused> {
    wrong(t, address, name, None, now).map(|r| r.locks())
}

fn wrong(t: &mut Throttle, address: &str, name: &str, device: Option<&str>, now: Instant) -> Result<Reserved, Refused> {
    let attempt = t.begin(address, name, device, None, now)?;
    t.failed(&attempt, now);
    Ok(attempt)
}

fn token() -> String {
    "token".to_string()
}

#[test]
fn the_last_allowed_attempt_locks_the_name_from_that_address_only() {
    let mut t = Throttle::new(3, LOCK);
    let now = Instant::now();
    assert_eq!(fail(&mut t, "10.0.0.9", "marie", now), Ok(false));
    assert_eq!(fail(&mut t, "10.0.0.9", "marie", now), Ok(false));
    assert_eq!(fail(&mut t, "10.0.0.9", "marie", now), Ok(true), "the third is the last allowed");
    assert_eq!(
        fail(&mut t, "10.0.0.9", "marie", now + Duration::from_secs(60)),
        Err(Refused::Locked(LOCK - Duration::from_secs(60)))
    );
    assert_eq!(fail(&mut t, "10.0.0.2", "marie", now), Ok(false), "marie's own desk is not locked out");
    assert_eq!(fail(&mut t, "10.0.0.9", "paul", now), Ok(false), "other names are not locked");
    assert_eq!(fail(&mut t, "10.0.0.9", "marie", now + LOCK), Ok(false), "the lock ends");
}

#[test]
fn an_address_trying_many_names_is_locked_as_a_whole() {
    let mut t = Throttle::new(3, LOCK);
    let now = Instant::now();
    for i in 0..(3 * ADDRESS_FACTOR - 1) {
        assert!(fail(&mut t, "10.0.0.9", &format!("name{i}"), now).is_ok(), "attempt {i}");
    }
    assert_eq!(fail(&mut t, "10.0.0.9", "another", now), Ok(true));
    assert_eq!(fail(&mut t, "10.0.0.9", "marie", now), Err(Refused::Locked(LOCK)));
    assert!(fail(&mut t, "10.0.0.2", "marie", now).is_ok());
}

#[test]
fn a_right_password_frees_the_name_and_does_not_count() {
    let mut t = Throttle::new(3, LOCK);
    let now = Instant::now();
    fail(&mut t, "a", "marie", now).unwrap();
    fail(&mut t, "a", "marie", now).unwrap();
    let right = t.begin("a", "marie", None, None, now).unwrap();
    t.succeeded(&right, now, token);
    assert_eq!(fail(&mut t, "a", "marie", now), Ok(false), "the count starts again");
    assert_eq!(fail(&mut t, "a", "marie", now), Ok(false));
}

#[test]
fn old_failures_are_forgotten() {
    let mut t = Throttle::new(3, LOCK);
    let now = Instant::now();
    fail(&mut t, "a", "marie", now).unwrap();
    fail(&mut t, "a", "marie", now).unwrap();
    let later = now + LOCK + Duration::from_secs(1);
    assert_eq!(fail(&mut t, "a", "marie", later), Ok(false));
    assert_eq!(fail(&mut t, "a", "marie", later), Ok(false));
    assert!(t.counts.len() <= 3, "the pair, the address and the name: nothing older");
}

#[test]
fn an_unlock_frees_the_name_from_every_address_once() {
    let mut t = Throttle::new(2, LOCK);
    let now = Instant::now();
    for address in ["a", "b"] {
        fail(&mut t, address, "marie", now).unwrap();
        fail(&mut t, address, "marie", now).unwrap();
        assert!(fail(&mut t, address, "marie", now).is_err());
    }
    assert_eq!(t.begin("a", "marie", None, Some(1000), now).map(|r| r.locks()), Ok(false), "unlocked");
    assert_eq!(t.begin("b", "marie", None, Some(1000), now).map(|r| r.locks()), Ok(false), "for b too");
    assert_eq!(t.begin("b", "marie", None, Some(1000), now).map(|r| r.locks()), Ok(true), "the same unlock once");
    assert!(t.begin("b", "marie", None, Some(1000), now).is_err());
}

/// Wrong passwords on `name`, each from another address (10.0.1.x from `first`).
fn spread(t: &mut Throttle, name: &str, first: usize, count: usize, now: Instant) {
    for i in first..first + count {
        assert!(fail(t, &format!("10.0.1.{i}"), name, now).is_ok(), "attempt {i}");
    }
}

#[test]
fn a_name_guessed_from_everywhere_waits_longer_after_each_wrong_password_up_to_a_minute() {
    let mut t = Throttle::new(3, LOCK);
    let now = Instant::now();
    spread(&mut t, "marie", 0, 5, now);
    let sixth = t.begin("10.0.1.5", "marie", None, None, now).unwrap();
    assert!(sixth.slows() && !sixth.locks(), "twice the limit: the name's attempts wait");
    let checking = fail(&mut t, "10.0.2.1", "marie", now + Duration::from_secs(2));
    assert_eq!(checking, Err(Refused::Wait(Duration::from_secs(1))), "while it is checked, told the wait to come");
    let answered = now + Duration::from_secs(3);
    t.failed(&sixth, answered);
    assert_eq!(fail(&mut t, "10.0.2.1", "marie", answered), Err(Refused::Wait(Duration::from_secs(1))));
    assert!(fail(&mut t, "10.0.2.1", "paul", answered).is_ok(), "other names do not wait");
    let mut at = answered;
    let mut waits = Vec::new();
    for i in 0..8 {
        at += Duration::from_secs(1) * waits.last().copied().unwrap_or(1);
        let attempt = wrong(&mut t, &format!("10.0.3.{i}"), "marie", None, at).unwrap();
        assert!(!attempt.slows(), "the wait began once");
        match fail(&mut t, "10.0.2.1", "marie", at) {
            Err(Refused::Wait(left)) => waits.push(left.as_secs() as u32),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(waits, [2, 4, 8, 16, 32, 60, 60, 60]);
    let quiet = at + LOCK + MAX_WAIT;
    assert!(!t.begin("10.0.2.1", "marie", None, None, quiet).unwrap().slows(), "forgotten after a quiet spell");
    assert!(fail(&mut t, "10.0.2.2", "marie", quiet).is_ok());
}

#[test]
fn a_right_password_does_not_count_on_the_name() {
    let mut t = Throttle::new(3, LOCK);
    let now = Instant::now();
    spread(&mut t, "marie", 0, 5, now);
    let right = t.begin("10.0.0.2", "marie", None, None, now).unwrap();
    assert!(right.slows());
    t.succeeded(&right, now, token);
    let wrong = t.begin("10.0.1.5", "marie", None, None, now).unwrap();
    assert!(wrong.slows(), "the right password neither counted nor made anyone wait");
}

#[test]
fn a_browser_the_name_logged_in_from_does_not_wait() {
    let mut t = Throttle::new(3, LOCK);
    let now = Instant::now();
    let right = t.begin("10.0.0.2", "marie", None, None, now).unwrap();
    assert_eq!(t.succeeded(&right, now, token), "token");
    spread(&mut t, "marie", 0, 6, now);
    let waits = Err(Refused::Wait(Duration::from_secs(1)));
    assert_eq!(fail(&mut t, "10.0.0.2", "marie", now), waits, "marie's desk without its cookie waits");
    let known = t.begin("10.0.0.7", "marie", Some("token"), None, now).unwrap();
    assert_eq!(t.succeeded(&known, now, || "other".into()), "token", "the browser keeps its token");
    assert_eq!(fail(&mut t, "10.0.0.2", "marie", now), waits, "nobody else's wait changed");
    assert!(t.begin("10.0.0.2", "paul", Some("token"), None, now).is_ok(), "paul does not wait anyway");
    for i in 0..3 {
        let attempt = wrong(&mut t, &format!("10.0.4.{i}"), "marie", Some("token"), now);
        assert!(attempt.is_ok_and(|w| !w.slows()), "wrong password {i} with the cookie");
    }
    let after = t.begin("10.0.4.9", "marie", Some("token"), None, now).map(|r| r.locks());
    assert_eq!(after, waits, "after 3 wrong passwords with it, like anyone");
}

#[test]
fn an_unlock_ends_the_wait() {
    let mut t = Throttle::new(2, LOCK);
    let now = Instant::now();
    spread(&mut t, "marie", 0, 4, now);
    assert!(fail(&mut t, "10.0.0.2", "marie", now).is_err());
    assert_eq!(fail(&mut t, "10.0.0.2", "marie", now).err(), Some(Refused::Wait(Duration::from_secs(1))));
    assert!(t.begin("10.0.0.2", "marie", None, Some(1000), now).is_ok_and(|r| !r.slows()));
}

#[test]
fn an_unlock_dated_before_the_last_one_still_counts_after_the_clock_went_back() {
    // The unlock's date comes from the wall clock (the database), which can jump back when
    // the network sets it: a later unlock with an earlier date is still a new unlock.
    let mut t = Throttle::new(2, LOCK);
    let now = Instant::now();
    let lock_out = |t: &mut Throttle, unlocked_at| {
        for _ in 0..2 {
            t.begin("a", "marie", None, unlocked_at, now).map(|r| t.failed(&r, now)).unwrap();
        }
        assert!(t.begin("a", "marie", None, unlocked_at, now).is_err(), "locked out");
    };
    lock_out(&mut t, Some(5_000_000));
    lock_out(&mut t, Some(9_000_000));
    assert!(t.begin("a", "marie", None, Some(2_000_000), now).is_ok(), "unlocked with the clock set back");
}
