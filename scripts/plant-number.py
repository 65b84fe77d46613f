#!/usr/bin/env python3
"""Copies of dancu gen's lists with one identification number copied onto
many records, for measuring generic values (docs/accuracy.md, ids1).

  plant-number.py SRC DST K NUMBER SEED
      copy SRC's danhsach_*.csv and truth.csv to DST with NUMBER written as the
      identification number of K records of K different persons (chosen at
      random with SEED); DST/planted.txt lists their source record ids.
  plant-number.py merged PRED TRUTH PLANTED
      count the predicted persons (dancu link's --out) holding planted records
      of more than one true person.
"""
import csv, os, random, shutil, sys, collections
def plant(src, dst, k, number, seed):
    os.makedirs(dst, exist_ok=True)
    files = sorted(f for f in os.listdir(src) if f.startswith('danhsach') and f.endswith('.csv'))
    truth = {r['source_record_id']: r['person_id'] for r in csv.DictReader(open(os.path.join(src, 'truth.csv'), encoding='utf-8'))}
    rows = []
    for f in files:
        with open(os.path.join(src, f), encoding='utf-8', newline='') as fh:
            rd = csv.reader(fh); hdr = next(rd); rows.append((f, hdr, list(rd)))
    cands = [(fi, ri) for fi, (f, hdr, rs) in enumerate(rows) for ri in range(len(rs))]
    rnd = random.Random(seed); rnd.shuffle(cands)
    chosen, persons = [], set()
    for fi, ri in cands:
        f, hdr, rs = rows[fi]
        p = truth[rs[ri][hdr.index('Mã bản ghi')]]
        if p in persons: continue
        persons.add(p); chosen.append((fi, ri))
        if len(chosen) == k: break
    for fi, ri in chosen:
        f, hdr, rs = rows[fi]
        rs[ri][hdr.index('Số định danh cá nhân')] = number
    with open(os.path.join(dst, 'planted.txt'), 'w') as out:
        for fi, ri in chosen:
            f, hdr, rs = rows[fi]; out.write(rs[ri][hdr.index('Mã bản ghi')] + '\n')
    for f, hdr, rs in rows:
        with open(os.path.join(dst, f), 'w', encoding='utf-8', newline='') as fh:
            w = csv.writer(fh); w.writerow(hdr); w.writerows(rs)
    shutil.copy(os.path.join(src, 'truth.csv'), dst)
def merged(pred, truth, planted):
    t = {r['source_record_id']: r['person_id'] for r in csv.DictReader(open(truth, encoding='utf-8'))}
    p = {r['source_record_id']: r['person_id'] for r in csv.DictReader(open(pred, encoding='utf-8'))}
    pl = [l.strip() for l in open(planted)]
    # persons (predicted) holding planted records of more than one true person
    byp = collections.defaultdict(set)
    for s in pl: byp[p[s]].add(t[s])
    wrong = [len(v) for v in byp.values() if len(v) > 1]
    print(f"planted {len(pl)}: predicted persons holding planted records of >1 true person: {len(wrong)}, true persons in them: {sum(wrong)}, largest {max(wrong, default=0)}")
if sys.argv[1] == 'merged': merged(*sys.argv[2:5])
else: plant(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]))
