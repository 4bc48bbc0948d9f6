//! How a visit ends, as staff record it in one or two taps and as the activity report
//! counts it: the outcome, where the visitor was sent, and how much they did themselves
//! (the three levels digital-inclusion reports count). No IO.

/// What came of the visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The procedure is done.
    Done,
    /// Started, to be finished later (a paper missing, a code by post).
    Partly,
    /// Information only: nothing was filed.
    Information,
    /// Sent to an organisation (which one is recorded beside).
    Redirected,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [Outcome::Done, Outcome::Partly, Outcome::Information, Outcome::Redirected];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Done => "done",
            Outcome::Partly => "partly",
            Outcome::Information => "information",
            Outcome::Redirected => "redirected",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == s)
    }
}

/// Who did the procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Autonomy {
    /// Staff did it in the visitor's place.
    ForThem,
    /// Staff and visitor did it together.
    WithThem,
    /// The visitor did it alone, staff nearby.
    Alone,
}

impl Autonomy {
    pub const ALL: [Autonomy; 3] = [Autonomy::ForThem, Autonomy::WithThem, Autonomy::Alone];

    pub fn as_str(self) -> &'static str {
        match self {
            Autonomy::ForThem => "for_them",
            Autonomy::WithThem => "with_them",
            Autonomy::Alone => "alone",
        }
    }

    pub fn parse(s: &str) -> Option<Autonomy> {
        Autonomy::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// The nine national partners of France Services, named as the catalogue names operators.
pub const NATIONAL_PARTNERS: [&str; 9] = [
    "Caisse d'allocations familiales (CAF)",
    "Caisse primaire d'assurance maladie (CPAM)",
    "Assurance retraite (CNAV)",
    "Mutualité sociale agricole (MSA)",
    "France Travail",
    "La Poste",
    "Direction générale des Finances publiques (DGFiP)",
    "Justice",
    "France Titres (ANTS)",
];

/// What tells two names of one organisation apart from another's: the acronym in
/// brackets at the end if any, else the whole name, in lower case.
fn key(name: &str) -> String {
    let name = name.trim();
    let short = name.strip_suffix(')').and_then(|n| n.rsplit_once('(')).map_or(name, |(_, acronym)| acronym);
    short.trim().to_lowercase()
}

/// The national partner an operator of the catalogue belongs to, if any: its acronym or
/// its name (without the acronym) appears in the operator's name ("France Titres et
/// mairie" is France Titres; "Point-justice", Justice). The first match counts.
pub fn partner_of(operator: &str) -> Option<&'static str> {
    let operator = operator.to_lowercase();
    let words: Vec<&str> = operator.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    NATIONAL_PARTNERS.into_iter().find(|partner| {
        let name = partner.split_once(" (").map_or(*partner, |(name, _)| name).to_lowercase();
        let acronym = key(partner);
        operator.contains(&name) || words.contains(&acronym.as_str())
    })
}

/// Where staff may send a visitor: the national partners, then the catalogue's other
/// operators (local ones), each once, in the order given. "France Services" is where the
/// visitor already is.
pub fn redirect_targets<'a>(catalogue_operators: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut targets: Vec<String> = NATIONAL_PARTNERS.iter().map(|s| s.to_string()).collect();
    for operator in catalogue_operators {
        let operator = operator.trim();
        let known = |t: &String| key(t) == key(operator) || t.starts_with(operator);
        if !operator.is_empty() && operator != "France Services" && !targets.iter().any(known) {
            targets.push(operator.to_string());
        }
    }
    targets
}

/// How a visit ended: checked before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ending {
    pub outcome: Outcome,
    /// Only with [`Outcome::Redirected`], and then required.
    pub redirect_to: Option<String>,
    pub autonomy: Option<Autonomy>,
    /// The visitor's first visit here, when staff know (set after [`Ending::new`]).
    pub first_visit: Option<bool>,
}

/// Why an ending cannot be stored as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndingError {
    #[error("a redirected visit needs the organisation it was sent to")]
    WhereTo,
    #[error("only a redirected visit has an organisation it was sent to")]
    NotRedirected,
}

impl Ending {
    /// An ending from the form's values; `redirect_to` must be one of `targets`.
    pub fn new(outcome: Outcome, redirect_to: Option<&str>, autonomy: Option<Autonomy>) -> Result<Ending, EndingError> {
        let redirect_to = redirect_to.map(str::trim).filter(|s| !s.is_empty()).map(String::from);
        match (outcome, &redirect_to) {
            (Outcome::Redirected, None) => Err(EndingError::WhereTo),
            (Outcome::Redirected, Some(_)) | (_, None) => {
                Ok(Ending { outcome, redirect_to, autonomy, first_visit: None })
            }
            (_, Some(_)) => Err(EndingError::NotRedirected),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse_back_and_unknown_ones_do_not() {
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.as_str()), Some(o));
        }
        for a in Autonomy::ALL {
            assert_eq!(Autonomy::parse(a.as_str()), Some(a));
        }
        assert_eq!(Outcome::parse("<script>"), None);
        assert_eq!(Autonomy::parse(""), None);
    }

    #[test]
    fn a_redirection_says_where_and_nothing_else_does() {
        assert_eq!(Ending::new(Outcome::Redirected, Some(" "), None), Err(EndingError::WhereTo));
        assert_eq!(Ending::new(Outcome::Done, Some("CAF"), None), Err(EndingError::NotRedirected));
        let sent = Ending::new(Outcome::Redirected, Some("CAF"), Some(Autonomy::WithThem)).unwrap();
        assert_eq!(sent.redirect_to.as_deref(), Some("CAF"));
        assert!(Ending::new(Outcome::Partly, None, Some(Autonomy::ForThem)).is_ok());
    }

    #[test]
    fn catalogue_operators_belong_to_their_national_partner() {
        let cases = [
            ("Caisse d'allocations familiales (CAF)", Some("Caisse d'allocations familiales (CAF)")),
            ("France Titres et mairie", Some("France Titres (ANTS)")),
            ("Assurance retraite ou Mutualité sociale agricole (MSA)", Some("Assurance retraite (CNAV)")),
            ("Point-justice", Some("Justice")),
            (
                "Direction générale des Finances publiques (DGFiP)",
                Some("Direction générale des Finances publiques (DGFiP)"),
            ),
            ("Mairie de Lunel", None),
            ("Caisse d'allocations et de bienfaisance", None),
        ];
        for (operator, partner) in cases {
            assert_eq!(partner_of(operator), partner, "{operator}");
        }
    }

    #[test]
    fn local_operators_follow_the_national_partners_once_each() {
        let catalogue = [
            "Caisse d'allocations familiales (CAF)",
            "Assurance retraite ou Mutualité sociale agricole (MSA)",
            "France Titres",
            "France Services",
            "Mairie de Lunel",
            "",
            "Mairie de Lunel",
        ];
        let targets = redirect_targets(catalogue);
        assert_eq!(targets.len(), NATIONAL_PARTNERS.len() + 1, "{targets:?}");
        assert_eq!(targets.last().map(String::as_str), Some("Mairie de Lunel"));
    }
}
