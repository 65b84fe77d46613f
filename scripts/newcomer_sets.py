#!/usr/bin/env python3
"""Two test sets for dancu's matching that nobody on the project tuned on (acc17, issue 12).

Written before any result, by someone who had read only README's matching
sections, matching/SETTINGS.md and `dancu settings doc` -- as a data scientist
new to the engine would build a test. Rates below were fixed before the first
link and not changed after. Deterministic per seed (Python's random.Random).

    python3 scripts/newcomer_sets.py link   --seed S --persons 10000 --out DIR
    python3 scripts/newcomer_sets.py dedupe --seed S --records 30000 --out DIR

link: a hospital register (patient_id, full_name, dob DD/MM/YYYY, sex M/F,
postcode, phone) against an electoral roll (voter_id, first_name, last_name,
birth_year, birth_month, birth_day, sex 1/2, address "N Street, Town PPPPP",
no phone); 70% of persons in both, 15% in each alone; each file holds a person
once. Writes hospital.csv, electoral.csv, truth.csv (record_id, person_id).

dedupe: one list of ~30,000 records (rec_id, given_name, surname,
date_of_birth, sex, town, postcode, phone) where each field but the id is
blank with probability 1/3 (written "", "NA" or "-"), a tenth of persons
appear 2-4 times, surnames come from a pool of 40 (namesakes abound) and a
fifth of dates are written as the year alone. Writes records.csv, truth.csv.

Seeds chosen before any result: link dev 101, held out 202; dedupe dev 301,
held out 402.
"""
import argparse
import csv
import os
import random

MALE = ("James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel "
        "Matthew Anthony Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy "
        "Ronald Edward Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin "
        "Scott Brandon Benjamin Samuel Gregory Alexander Frank Patrick Raymond Jack Dennis Jerry "
        "Tyler Aaron Jose Adam Nathan Henry Douglas Zachary Peter Kyle Walter Ethan Jeremy Harold "
        "Keith Christian Roger Noah Gerald Carl Terry Sean Austin Arthur Lawrence Jesse Dylan Bryan "
        "Joe Jordan Billy Bruce Albert Willie Gabriel Logan Alan Juan Wayne Roy Ralph Randy Eugene").split()
FEMALE = ("Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty "
          "Margaret Sandra Ashley Kimberly Emily Donna Michelle Carol Amanda Dorothy Melissa Deborah "
          "Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy Angela Shirley Anna Brenda Pamela Emma "
          "Nicole Helen Samantha Katherine Christine Debra Rachel Carolyn Janet Catherine Maria Heather "
          "Diane Ruth Julie Olivia Joyce Virginia Victoria Kelly Lauren Christina Joan Evelyn Judith "
          "Megan Andrea Cheryl Hannah Jacqueline Martha Gloria Teresa Ann Sara Madison Frances Kathryn "
          "Janice Jean Abigail Alice Judy Sophia Grace Denise Amber Doris Marilyn Danielle Beverly").split()
NICK = {"Robert": "Bob", "William": "Bill", "Richard": "Dick", "James": "Jim", "John": "Jack",
        "Michael": "Mike", "Joseph": "Joe", "Thomas": "Tom", "Charles": "Chuck", "Christopher": "Chris",
        "Daniel": "Dan", "Matthew": "Matt", "Anthony": "Tony", "Steven": "Steve", "Andrew": "Andy",
        "Kenneth": "Ken", "Edward": "Ted", "Jeffrey": "Jeff", "Nicholas": "Nick", "Jonathan": "Jon",
        "Benjamin": "Ben", "Samuel": "Sam", "Gregory": "Greg", "Alexander": "Alex", "Patrick": "Pat",
        "Timothy": "Tim", "Elizabeth": "Liz", "Margaret": "Peggy", "Patricia": "Pat", "Jennifer": "Jen",
        "Susan": "Sue", "Kimberly": "Kim", "Deborah": "Debbie", "Rebecca": "Becky", "Katherine": "Kate",
        "Catherine": "Cathy", "Victoria": "Vicky", "Samantha": "Sam", "Christine": "Chris", "Dorothy": "Dot"}
SURNAMES = ("Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
            "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris "
            "Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill "
            "Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips "
            "Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers "
            "Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson "
            "Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo "
            "Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell "
            "Coleman Butler Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson "
            "Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes Bryant Herrera "
            "Gibson Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens Harrison Fernandez "
            "McDonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker Guzman Burns "
            "Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Munoz Hunt "
            "Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer "
            "Rice Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan Gardner Payne Grant").split()
STREETS = ("High Church Station Victoria Park Mill Main Queen King London School Green Manor New "
           "Chapel Bridge North South West Springfield Kingsway Broadway Elm Oak Maple Cedar Pine "
           "Walnut Willow Lake Hill River Forest Meadow Orchard Garden Castle Abbey Albert Grove").split()
KINDS = "Street Road Lane Avenue Close Drive Way".split()
TOWNS = [("Ashford", "10"), ("Bexley", "11"), ("Carlton", "12"), ("Dunmore", "13"), ("Elmsworth", "14"),
         ("Fairview", "15"), ("Glenwood", "16"), ("Harlow", "17"), ("Ivybridge", "18"), ("Jarrow", "19"),
         ("Kendal", "20"), ("Lindale", "21"), ("Marston", "22"), ("Northam", "23"), ("Oakham", "24"),
         ("Penrith", "25"), ("Quarry Bank", "26"), ("Redhill", "27"), ("Selby", "28"), ("Thornbury", "29")]
KEYS = "qwertyuiop asdfghjkl zxcvbnm".split()


def neighbour(rng, ch):
    for row in KEYS:
        i = row.find(ch.lower())
        if i >= 0:
            j = i + rng.choice((-1, 1))
            if 0 <= j < len(row):
                return row[j] if ch.islower() else row[j].upper()
    return ch


def typo(rng, s):
    """One typing slip: a letter dropped, doubled, swapped with the next, or a neighbour key."""
    if len(s) < 3:
        return s
    i = rng.randrange(1, len(s) - 1)
    k = rng.randrange(4)
    if k == 0:
        return s[:i] + s[i + 1:]
    if k == 1:
        return s[:i] + s[i] + s[i:]
    if k == 2:
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s[:i] + neighbour(rng, s[i]) + s[i + 1:]


def zipf_choice(rng, pool, a=1.0):
    weights = [1.0 / (r + 1) ** a for r in range(len(pool))]
    return rng.choices(pool, weights)[0]


def person(rng, pid, surnames, zipf):
    sex = rng.choice("MF")
    pool = MALE if sex == "M" else FEMALE
    first = zipf_choice(rng, pool, 0.8) if zipf else rng.choice(pool)
    last = zipf_choice(rng, surnames, 1.0) if zipf else rng.choice(surnames)
    y = rng.randint(1930, 2006)
    m = rng.randint(1, 12)
    d = rng.randint(1, 28)
    town, pre = rng.choice(TOWNS)
    return {"pid": pid, "sex": sex, "first": first, "last": last, "y": y, "m": m, "d": d,
            "town": town, "postcode": pre + "%03d" % rng.randint(0, 999),
            "street": "%d %s %s" % (rng.randint(1, 200), rng.choice(STREETS), rng.choice(KINDS)),
            "phone": "07%09d" % rng.randint(0, 999999999)}


def move(rng, p):
    q = dict(p)
    town, pre = rng.choice(TOWNS)
    q.update(town=town, postcode=pre + "%03d" % rng.randint(0, 999),
             street="%d %s %s" % (rng.randint(1, 200), rng.choice(STREETS), rng.choice(KINDS)))
    return q


def noisy_name(rng, s, p_typo, nick=False):
    if nick and s in NICK and rng.random() < 0.10:
        s = NICK[s]
    if rng.random() < p_typo:
        s = typo(rng, s)
    return s


def noisy_date(rng, y, m, d):
    r = rng.random()
    if r < 0.03:
        return y, d if d <= 12 else m, m if d <= 12 else d  # day and month swapped (when it can be)
    if r < 0.06:
        return y + rng.choice((-1, 1)), m, d
    if r < 0.08:
        return y, m, max(1, min(28, d + rng.choice((-1, 1))))
    return y, m, d


def blank(rng, p):
    return rng.random() < p


def missing_token(rng):
    return rng.choice(("", "NA", "-"))


def gen_link(a):
    rng = random.Random(a.seed)
    persons = [person(rng, "P%06d" % i, SURNAMES, False) for i in range(a.persons)]
    hosp, elec, truth = [], [], []
    for p in persons:
        r = rng.random()
        in_h, in_e = r < 0.85, r >= 0.15  # 70% both, 15% each alone
        if in_h:
            rid = "H%06d" % len(hosp)
            first = noisy_name(rng, p["first"], 0.06, nick=True)
            last = noisy_name(rng, p["last"], 0.06)
            full = "%s %s" % (last, first) if rng.random() < 0.03 else "%s %s" % (first, last)
            if rng.random() < 0.05:
                full = full.upper()
            y, m, d = noisy_date(rng, p["y"], p["m"], p["d"])
            hosp.append({"patient_id": rid, "full_name": full,
                         "dob": missing_token(rng) if blank(rng, 0.04) else "%02d/%02d/%04d" % (d, m, y),
                         "sex": missing_token(rng) if blank(rng, 0.05) else p["sex"],
                         "postcode": missing_token(rng) if blank(rng, 0.10) else p["postcode"],
                         "phone": missing_token(rng) if blank(rng, 0.30) else p["phone"]})
            truth.append((rid, p["pid"]))
        if in_e:
            rid = "E%06d" % len(elec)
            q = move(rng, p) if rng.random() < 0.15 else p
            first = noisy_name(rng, q["first"], 0.06, nick=True)
            last = noisy_name(rng, q["last"], 0.06)
            if rng.random() < 0.03:
                first, last = last, first
            y, m, d = noisy_date(rng, q["y"], q["m"], q["d"])
            addr = "%s, %s %s" % (q["street"], q["town"], q["postcode"])
            elec.append({"voter_id": rid,
                         "first_name": missing_token(rng) if blank(rng, 0.02) else first,
                         "last_name": last,
                         "birth_year": missing_token(rng) if blank(rng, 0.04) else str(y),
                         "birth_month": missing_token(rng) if blank(rng, 0.06) else str(m),
                         "birth_day": missing_token(rng) if blank(rng, 0.06) else str(d),
                         "sex": missing_token(rng) if blank(rng, 0.05) else ("1" if q["sex"] == "M" else "2"),
                         "address": missing_token(rng) if blank(rng, 0.08) else addr})
            truth.append((rid, p["pid"]))
    os.makedirs(a.out, exist_ok=True)
    write(os.path.join(a.out, "hospital.csv"), hosp)
    write(os.path.join(a.out, "electoral.csv"), elec)
    write(os.path.join(a.out, "truth.csv"), [{"record_id": r, "person_id": p} for r, p in truth])


def gen_dedupe(a):
    rng = random.Random(a.seed)
    surnames = SURNAMES[:40]
    rows, truth, i = [], [], 0
    while len(rows) < a.records:
        p = person(rng, "P%06d" % i, surnames, True)
        i += 1
        yearonly = rng.random() < 0.2  # this source knows only the year of birth
        n = rng.randint(2, 4) if rng.random() < 0.1 else 1
        for _ in range(n):
            q = move(rng, p) if n > 1 and rng.random() < 0.2 else p
            y, m, d = noisy_date(rng, q["y"], q["m"], q["d"])
            dob = str(y) if yearonly or rng.random() < 0.1 else "%04d-%02d-%02d" % (y, m, d)
            rec = {"given_name": noisy_name(rng, q["first"], 0.05, nick=True),
                   "surname": noisy_name(rng, q["last"], 0.05),
                   "date_of_birth": dob, "sex": q["sex"], "town": q["town"],
                   "postcode": q["postcode"], "phone": q["phone"]}
            for k in rec:
                if blank(rng, 1 / 3):
                    rec[k] = missing_token(rng)
            rid = "R%06d" % len(rows)
            rows.append(dict(rec_id=rid, **rec))
            truth.append((rid, p["pid"]))
    order = list(range(len(rows)))
    rng.shuffle(order)
    os.makedirs(a.out, exist_ok=True)
    write(os.path.join(a.out, "records.csv"), [rows[j] for j in order])
    write(os.path.join(a.out, "truth.csv"), [{"record_id": truth[j][0], "person_id": truth[j][1]} for j in order])


def write(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("kind", choices=("link", "dedupe"))
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--persons", type=int, default=10000)
    ap.add_argument("--records", type=int, default=30000)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    gen_link(a) if a.kind == "link" else gen_dedupe(a)


if __name__ == "__main__":
    main()
