#!/usr/bin/env python3
"""Extracts every @tr("…") string of ui/**/*.slint into ui/translations/guichet.pot and
merges it into each ui/translations/<lang>/LC_MESSAGES/guichet.po (new strings get an
empty msgstr; strings no longer used are dropped). French is the source language."""
import pathlib, re, sys

root = pathlib.Path(__file__).resolve().parent.parent
ui = root / "ui"
pattern = re.compile(r'@tr\("((?:[^"\\]|\\.)*)"')

def extract():
    seen = {}
    for path in sorted(ui.rglob("*.slint")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for m in pattern.finditer(line):
                seen.setdefault(m.group(1), f"{path.relative_to(root)}:{n}")
    return seen

def read_po(path):
    entries, msgid, msgstr, cur = {}, None, None, None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("msgid "):
            if msgid is not None and msgstr is not None:
                entries[msgid] = msgstr
            msgid, msgstr, cur = line[7:-1], None, "id"
        elif line.startswith("msgstr "):
            msgstr, cur = line[8:-1], "str"
        elif line.startswith('"') and cur:
            if cur == "id":
                msgid += line[1:-1]
            else:
                msgstr += line[1:-1]
    if msgid is not None and msgstr is not None:
        entries[msgid] = msgstr
    return entries

def write(path, strings, lang, old):
    out = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"']
    if lang:
        out.append(f'"Language: {lang}\\n"')
    for s, where in strings.items():
        out += ["", f"#: {where}", f'msgid "{s}"', f'msgstr "{old.get(s, "")}"']
    path.write_text("\n".join(out) + "\n", encoding="utf-8")

strings = extract()
write(ui / "translations" / "guichet.pot", strings, None, {})
for po in sorted((ui / "translations").glob("*/LC_MESSAGES/guichet.po")):
    lang = po.parent.parent.name
    old = read_po(po)
    write(po, strings, lang, old)
    missing = [s for s in strings if not old.get(s)]
    print(f"{lang}: {len(strings) - len(missing)}/{len(strings)} translated", file=sys.stderr)
print(f"{len(strings)} strings", file=sys.stderr)
