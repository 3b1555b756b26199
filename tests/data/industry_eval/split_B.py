"""Shuffle names_all.csv with random.Random(20261130); first half -> dev.csv, rest -> sealed.csv."""
import csv, random
with open('/work/eval_b/names_all.csv',encoding='utf-8') as fh:
    r=csv.reader(fh); header=next(r); rows=list(r)
rows.sort(key=lambda x:x[0])          # deterministic order before shuffling
random.Random(20261130).shuffle(rows)
half=len(rows)//2
for fn,part in (('dev.csv',rows[:half]),('sealed.csv',rows[half:])):
    with open('/work/eval_b/'+fn,'w',encoding='utf-8',newline='') as fh:
        w=csv.writer(fh); w.writerow(header); w.writerows(part)
print('dev',half,'sealed',len(rows)-half)
