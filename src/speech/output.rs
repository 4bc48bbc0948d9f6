//! Where the voice comes out on a Raspberry Pi: HDMI (the screen's speakers), the 3.5 mm
//! jack (Pi 4; the Pi 5 has none) or a USB headset or speaker, chosen in the config
//! (`[speech] output`). speech-dispatcher plays through ALSA's default device, so the
//! kiosk points that default at the chosen card with the service user's `~/.asoundrc`,
//! before speech starts. A file a technician wrote by hand (without our first line) is
//! never replaced.

use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SpeechOutput {
    /// Whatever the system's default is (a desktop, or a hand-made ALSA setup).
    #[default]
    System,
    /// The first HDMI output (the screen's own speakers).
    Hdmi,
    /// The second HDMI output.
    Hdmi2,
    /// The 3.5 mm headphone jack (Pi 4 and earlier).
    Jack,
    /// A USB headset, speaker or sound card.
    Usb,
}

/// One line of `/proc/asound/cards`: index, id and driver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub index: u32,
    pub id: String,
    pub driver: String,
}

/// The cards ALSA lists in `/proc/asound/cards` (the text of that file).
pub fn parse_cards(text: &str) -> Vec<Card> {
    text.lines()
        .filter_map(|line| {
            let (index, rest) = line.trim_start().split_once(' ')?;
            let index = index.parse().ok()?;
            let (id, rest) = rest.trim_start().strip_prefix('[')?.split_once(']')?;
            let driver = rest.trim_start().strip_prefix(':')?.split(" - ").next()?.trim();
            Some(Card { index, id: id.trim().to_string(), driver: driver.to_string() })
        })
        .collect()
}

/// The card for this output, if the machine has one.
pub fn pick(output: SpeechOutput, cards: &[Card]) -> Option<&Card> {
    let hdmi = || cards.iter().filter(|c| c.id.to_lowercase().contains("hdmi"));
    match output {
        SpeechOutput::System => None,
        SpeechOutput::Hdmi => hdmi().next(),
        SpeechOutput::Hdmi2 => hdmi().nth(1),
        SpeechOutput::Jack => cards.iter().find(|c| c.id == "Headphones" || c.driver.starts_with("bcm2835_headpho")),
        SpeechOutput::Usb => cards.iter().find(|c| c.driver == "USB-Audio"),
    }
}

const MARK: &str = "# Written by guichet from [speech] output in guichet.toml: edit that instead.";

/// The `~/.asoundrc` that makes `card` ALSA's default. `plug` converts the voice's rate
/// and format; under it `sysdefault:CARD=…` is the card's own default device, which goes
/// through the card's configuration in alsa-lib (`cards/vc4-hdmi.conf` wraps a Pi's HDMI
/// output in the IEC958 frames it takes): `hw:CARD=vc4hdmi0` takes IEC958 frames only,
/// so plain samples written there were silence.
pub fn asoundrc(card: &Card) -> String {
    format!(
        "{MARK}\npcm.!default {{\n  type plug\n  slave.pcm \"sysdefault:CARD={id}\"\n}}\nctl.!default {{\n  type hw\n  card \"{id}\"\n}}\n",
        id = card.id
    )
}

/// Points ALSA's default at the configured output by writing `home/.asoundrc`; says
/// what it did, for the log and `guichet doctor`.
pub fn apply(output: SpeechOutput, cards_text: &str, home: &Path) -> Result<String, String> {
    if output == SpeechOutput::System {
        return Ok("the system's default sound output".into());
    }
    let cards = parse_cards(cards_text);
    let Some(card) = pick(output, &cards) else {
        let ids: Vec<&str> = cards.iter().map(|c| c.id.as_str()).collect();
        return Err(format!("no {output:?} sound card here (cards: {ids:?}); write output = \"system\" or plug it in"));
    };
    let file = home.join(".asoundrc");
    match std::fs::read_to_string(&file) {
        Ok(old) if !old.starts_with(MARK) => {
            return Err(format!("{} was written by hand: left as it is", file.display()));
        }
        _ => {}
    }
    std::fs::write(&file, asoundrc(card)).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    Ok(format!("card {} ({}, {})", card.index, card.id, card.driver))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Raspberry Pi 4 with a USB headset plugged in.
    const PI4: &str = " 0 [vc4hdmi0       ]: vc4-hdmi - vc4-hdmi-0
                      vc4-hdmi-0
 1 [vc4hdmi1       ]: vc4-hdmi - vc4-hdmi-1
                      vc4-hdmi-1
 2 [Headphones     ]: bcm2835_headpho - bcm2835 Headphones
                      bcm2835 Headphones
 3 [Device         ]: USB-Audio - USB Audio Device
                      C-Media Electronics Inc. USB Audio Device at usb-0000:01:00.0-1.3, full speed
";

    #[test]
    fn each_output_finds_its_card_on_a_pi_4() {
        let cards = parse_cards(PI4);
        assert_eq!(cards.len(), 4);
        let id = |o| pick(o, &cards).map(|c| c.id.as_str());
        assert_eq!(id(SpeechOutput::Hdmi), Some("vc4hdmi0"));
        assert_eq!(id(SpeechOutput::Hdmi2), Some("vc4hdmi1"));
        assert_eq!(id(SpeechOutput::Jack), Some("Headphones"));
        assert_eq!(id(SpeechOutput::Usb), Some("Device"));
        assert_eq!(id(SpeechOutput::System), None);
    }

    #[test]
    fn the_default_device_is_written_once_and_a_hand_made_file_is_kept() {
        let home = tempfile::tempdir().unwrap();
        let said = apply(SpeechOutput::Jack, PI4, home.path()).unwrap();
        assert_eq!(said, "card 2 (Headphones, bcm2835_headpho)");
        let written = std::fs::read_to_string(home.path().join(".asoundrc")).unwrap();
        assert!(written.contains("slave.pcm \"sysdefault:CARD=Headphones\""), "{written}");
        assert!(!written.contains("\"hw:"), "a raw hw device skips the card's own configuration: {written}");
        apply(SpeechOutput::Usb, PI4, home.path()).unwrap();
        assert!(std::fs::read_to_string(home.path().join(".asoundrc")).unwrap().contains("CARD=Device"));
        std::fs::write(home.path().join(".asoundrc"), "pcm.!default hw:1\n").unwrap();
        assert!(apply(SpeechOutput::Jack, PI4, home.path()).unwrap_err().contains("by hand"));
    }

    #[test]
    fn a_pi_5_has_no_jack_and_says_so() {
        let pi5 = " 0 [vc4hdmi0       ]: vc4-hdmi - vc4-hdmi-0\n 1 [vc4hdmi1       ]: vc4-hdmi - vc4-hdmi-1\n";
        let home = tempfile::tempdir().unwrap();
        let e = apply(SpeechOutput::Jack, pi5, home.path()).unwrap_err();
        assert!(e.contains("no Jack sound card") && e.contains("vc4hdmi0"), "{e}");
    }
}
