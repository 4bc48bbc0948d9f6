#!/usr/bin/env python3
"""Extracts every @tr("…") string of ui/**/*.slint into ui/translations/guichet.pot and
merges it into each ui/translations/<lang>/LC_MESSAGES/guichet.po (new strings get an
empty msgstr; strings no longer used are dropped). French is the source language.

Plural strings, @tr("… {n} seconde." | "… {n} secondes." % count), become gettext plural
entries (msgid, msgid_plural, one msgstr[i] per form of the language). Each language's
Plural-Forms rule is below, from the CLDR rules for whole numbers; the French file holds
only the plural entries (French singular covers 0 and 1)."""
import pathlib, re, sys

root = pathlib.Path(__file__).resolve().parent.parent
ui = root / "ui"
STRING = r'"((?:[^"\\]|\\.)*)"'
pattern = re.compile(r'@tr\(' + STRING + r'(?:\s*\|\s*' + STRING + r'\s*%)?')

PLURAL_FORMS = {
    "fr": "nplurals=2; plural=(n > 1);",
    "en": "nplurals=2; plural=(n != 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "pt": "nplurals=2; plural=(n != 1);",
    "tr": "nplurals=2; plural=(n != 1);",
    "uk": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "ro": "nplurals=3; plural=(n==1 ? 0 : (n==0 || (n%100 > 0 && n%100 < 20)) ? 1 : 2);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
}


def nplurals(lang):
    return int(re.search(r"nplurals=(\d+)", PLURAL_FORMS[lang]).group(1))


def extract():
    """msgid → (plural msgid or None, first place)."""
    seen = {}
    for path in sorted(ui.rglob("*.slint")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for m in pattern.finditer(line):
                seen.setdefault(m.group(1), (m.group(2), f"{path.relative_to(root)}:{n}"))
    return seen


def read_po(path):
    """msgid → list of msgstr forms (one for a plain entry)."""
    entries, msgid, forms, cur = {}, None, None, None

    def close():
        if msgid is not None and forms is not None:
            entries[msgid] = [forms[k] for k in sorted(forms)]

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("msgid "):
            close()
            msgid, forms, cur = line[7:-1], None, "id"
        elif line.startswith("msgid_plural "):
            cur = "plural"
        elif line.startswith("msgstr"):
            index = int(line[7:line.index("]")]) if line.startswith("msgstr[") else 0
            forms = forms or {}
            forms[index] = line[line.index('"') + 1:-1]
            cur = index
        elif line.startswith('"') and cur is not None:
            if cur == "id":
                msgid += line[1:-1]
            elif cur != "plural":
                forms[cur] += line[1:-1]
    close()
    return entries


def write(path, strings, lang, old):
    out = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"']
    if lang:
        out.append(f'"Language: {lang}\\n"')
        out.append(f'"Plural-Forms: {PLURAL_FORMS[lang]}\\n"')
    for s, (plural, where) in strings.items():
        if lang == "fr" and not plural:
            continue
        have = old.get(s, [])
        out += ["", f"#: {where}", f'msgid "{s}"']
        if plural:
            out.append(f'msgid_plural "{plural}"')
            count = nplurals(lang) if lang else 2
            out += [f'msgstr[{i}] "{have[i] if i < len(have) else ""}"' for i in range(count)]
        else:
            out.append(f'msgstr "{have[0] if have else ""}"')
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


strings = extract()
write(ui / "translations" / "guichet.pot", strings, None, {})
for po in sorted((ui / "translations").glob("*/LC_MESSAGES/guichet.po")):
    lang = po.parent.parent.name
    old = read_po(po)
    write(po, strings, lang, old)
    wanted = [s for s, (plural, _) in strings.items() if lang != "fr" or plural]
    missing = [s for s in wanted if not old.get(s) or not all(old[s])]
    print(f"{lang}: {len(wanted) - len(missing)}/{len(wanted)} translated", file=sys.stderr)
print(f"{len(strings)} strings", file=sys.stderr)
