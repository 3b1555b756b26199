"""Reproducible dev/sealed split of names_all.csv, plus traditional_dev.csv.

Run with the project venv (needs opencc):  /work/hvenv/bin/python /work/eval/split.py

- Shuffle all rows with random.Random(20261129); the first half (ceil) -> dev.csv,
  the rest -> sealed.csv. Same columns as names_all.csv.
- traditional_dev.csv: dev rows with `name` converted by OpenCC('s2t'); for every 4th
  row (4th, 8th, ... in dev order) web-converter pinyin artefacts are inserted:
  pypinyin is not installed in /work/hvenv, so per the brief only "(xiàng)" after
  项/項 and "(mù)" after 目 are inserted. The original simplified/source name is kept
  in column `name_original`; labels are unchanged.
"""
import csv, random, math, os

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20261129

def read(fn):
    with open(fn, encoding='utf-8', newline='') as fh:
        r = csv.DictReader(fh)
        return r.fieldnames, list(r)

def write(fn, cols, rows):
    with open(fn, 'w', encoding='utf-8', newline='') as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        w.writerows(rows)

def pinyin_artefacts(s):
    out = []
    for ch in s:
        out.append(ch)
        if ch in '项項':
            out.append('(xiàng)')
        elif ch == '目':
            out.append('(mù)')
    return ''.join(out)

def main():
    cols, rows = read(os.path.join(HERE, 'names_all.csv'))
    rows.sort(key=lambda r: r['id'])          # canonical order before shuffling
    rng = random.Random(SEED)
    rng.shuffle(rows)
    n_dev = math.ceil(len(rows) / 2)
    dev, sealed = rows[:n_dev], rows[n_dev:]
    write(os.path.join(HERE, 'dev.csv'), cols, dev)
    write(os.path.join(HERE, 'sealed.csv'), cols, sealed)

    import opencc
    cc = opencc.OpenCC('s2t')
    tcols = cols[:2] + ['name_original'] + cols[2:]
    trows = []
    for i, r in enumerate(dev, 1):
        t = dict(r)
        t['name_original'] = r['name']
        name = cc.convert(r['name'])
        if i % 4 == 0:
            name = pinyin_artefacts(name)
        t['name'] = name
        trows.append(t)
    write(os.path.join(HERE, 'traditional_dev.csv'), tcols, trows)
    print(f'{len(rows)} rows -> dev {len(dev)}, sealed {len(sealed)}, traditional_dev {len(trows)}')

if __name__ == '__main__':
    main()
