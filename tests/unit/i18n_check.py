#!/usr/bin/env python3
"""i18n_check.py SRCDIR - every user-facing message is translatable and translated.

1. A call of a diagnostic function in generator/ (diag_error, diag_warning,
   diag_report, diag_report_ex, xml_error_at, the template's refuse, the
   helpers of xml_check, schema_rules, font.c, pdf_fail and pdf_ok, the command's
   usage helpers and fprintf/fputs on stderr) whose format is a string literal with words
   in it must have the literal wrapped in _() (or N_() in a table).
   A hint given as a literal (.hint = "...") likewise.
2. po/sv.po: msgfmt --check passes, and no message is untranslated or fuzzy.
3. Every file of generator/ that uses _() or N_() is listed in po/POTFILES.
"""
import os, re, shutil, subprocess, sys

# function name -> index (0-based) of the format argument
FUNCS = {
    'diag_error': 4, 'diag_warning': 4, 'diag_note': 4, 'diag_report': 5, 'diag_report_ex': 6,
    'xml_error_at': 2, 'refuse': 2, 'error_at': 4, 'set_err': 3, 'pdf_fail': 2,
    'report': 4, 'usage': 0, 'usage_error': 1, 'pdf_ok': 2,
}
# _("..." "...") and N_(...): what is left of a format must hold no words
LITS = r'(?:"(?:[^"\\]|\\.)*"\s*)+'
WRAPPED = re.compile(r'\b(?:N?_\(\s*' + LITS + r'[,)]|P_\(\s*' + LITS + r',\s*' + LITS + r',)')
CALL = re.compile(r'\b(' + '|'.join(FUNCS) + r'|fprintf(?=\s*\(\s*stderr\b)|fputs)\s*\(')


def strip_comments(src):
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith('/*', i):
            j = src.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r'[^\n]', ' ', src[i:j]))
            i = j
        elif src.startswith('//', i):
            j = src.find('\n', i)
            j = n if j < 0 else j
            out.append(' ' * (j - i))
            i = j
        elif c in '"\'':
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == '\\' else 1
            out.append(src[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def split_args(src, start):
    """Arguments of the call whose '(' is at start; (args, end)."""
    args, depth, i, cur = [], 0, start, start + 1
    n = len(src)
    while i < n:
        c = src[i]
        if c in '"\'':
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == '\\' else 1
            i = j + 1
            continue
        if c in '([{':
            depth += 1
        elif c in ')]}':
            depth -= 1
            if depth == 0:
                args.append(src[cur:i])
                return args, i
        elif c == ',' and depth == 1:
            args.append(src[cur:i])
            cur = i + 1
        i += 1
    return args, n


def has_words(literal_arg):
    text = ''.join(re.findall(r'"((?:[^"\\]|\\.)*)"', literal_arg))
    text = re.sub(r'%[-+ #0-9.*$]*[hlLzjt]*[a-zA-Z%]', '', text)
    text = re.sub(r'\\.', '', text)
    text = re.sub(r'\bbilaga\b', '', text)  # the program's name
    return re.search(r'[A-Za-z]{2,}', text) is not None


def check_sources(root):
    bad = []
    gen = os.path.join(root, 'generator')
    for d, _, files in os.walk(gen):
        for f in sorted(files):
            if not f.endswith('.c'):
                continue
            path = os.path.join(d, f)
            rel = os.path.relpath(path, root)
            src = strip_comments(open(path, encoding='utf-8').read())
            for m in CALL.finditer(src):
                name = m.group(1)
                if name == 'fprintf':
                    idx, open_at = 1, m.end() - 1
                elif name == 'fputs':
                    idx, open_at = 0, m.end() - 1
                else:
                    idx, open_at = FUNCS[name], m.end() - 1
                # a definition or declaration, not a call
                before = src[max(0, m.start() - 40):m.start()]
                if re.search(r'(void|int|static|char \*)\s*$', before):
                    continue
                args, _ = split_args(src, open_at)
                if len(args) <= idx or (name == 'fputs' and args[-1].strip() != 'stderr'):
                    continue
                fmt = WRAPPED.sub('', args[idx].strip())
                if fmt == '"%s"' and len(args) > idx + 1:  # a message passed whole
                    fmt = WRAPPED.sub('', args[idx + 1].strip())
                if '"' in fmt and has_words(fmt):
                    line = src.count('\n', 0, m.start()) + 1
                    bad.append('%s:%d: %s format not wrapped in _(): %s' % (rel, line, name, fmt[:60]))
            for m in re.finditer(r'\.hint\s*=\s*"', src):
                line = src.count('\n', 0, m.start()) + 1
                bad.append('%s:%d: hint not wrapped in _()' % (rel, line))
    return bad


def check_potfiles(root):
    listed = set(l.strip() for l in open(os.path.join(root, 'po', 'POTFILES'), encoding='utf-8')
                 if l.strip() and not l.startswith('#'))
    bad = []
    for d, _, files in os.walk(os.path.join(root, 'generator')):
        for f in files:
            if not f.endswith(('.c', '.h')) or f == 'i18n.h':
                continue
            path = os.path.join(d, f)
            rel = os.path.relpath(path, root)
            src = strip_comments(open(path, encoding='utf-8').read())
            if re.search(r'\b[NP]?_\("', src) and rel not in listed:
                bad.append('%s: uses _() but is not in po/POTFILES' % rel)
    for rel in listed:
        if not os.path.exists(os.path.join(root, rel)):
            bad.append('po/POTFILES lists %s, which does not exist' % rel)
    return bad


def check_catalogue(root):
    po = os.path.join(root, 'po', 'sv.po')
    r = subprocess.run(['msgfmt', '--check', '--statistics', '-o', os.devnull, po],
                       capture_output=True, text=True, env=dict(os.environ, LC_ALL='C'))
    out = (r.stdout + r.stderr).strip()
    bad = []
    if r.returncode != 0:
        bad.append('msgfmt --check failed: ' + out)
    elif re.search(r'fuzzy|untranslated', out):
        bad.append('po/sv.po: ' + out)
    return bad, out


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else '.'
    if not shutil.which('msgfmt'):
        print('no msgfmt (gettext): SKIP')
        return 77
    bad = check_sources(root) + check_potfiles(root)
    cat_bad, stats = check_catalogue(root)
    bad += cat_bad
    for b in bad:
        print(b)
    if not cat_bad:
        print('po/sv.po: ' + stats)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
