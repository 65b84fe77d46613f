#!/usr/bin/env python3
# realworld3: 400 address strings in the styles seen in the wild 2024-2026,
# written blind (before reading address/ or the other sets), labelled from
# ../shared/data. Seed for the sample: 20261206; seed for the split: 13003.
import csv, random, unicodedata, sys, collections

D = '/work/shared/data/'
rnd = random.Random(20261206)

def rows(f):
    return list(csv.DictReader(open(D + f, encoding='utf-8')))

u24 = {r['commune_code']: r for r in rows('admin_units_2024.csv') if r['commune_code']}
pre = {r['commune_code']: r for r in rows('admin_units_2025_pre_reform.csv') if r['commune_code']}
# stable old communes: same code, name and district in 2024-05 and 2025-03
stable = [c for c, r in pre.items() if c in u24 and u24[c]['commune_name'] == r['commune_name'] and u24[c]['district_code'] == r['district_code']]
new = {r['commune_code']: r for r in rows('admin_units_2025.csv')}
mp = collections.defaultdict(list)
new_sources = collections.defaultdict(list)
for r in rows('admin_units_2025_mapping.csv'):
    if r['preferred'] == '1':
        mp[r['old_commune_code']].append(r)
        new_sources[r['new_commune_code']].append(r)
provmap = {r['old_province_code']: r['new_province_code'] for r in rows('province_mapping_2025.csv')}
hist = rows('admin_units_history_2021_2025.csv')

TYPES = ['Thành phố Trung ương', 'Thành phố', 'Thị xã', 'Thị trấn', 'Phường', 'Quận', 'Huyện', 'Tỉnh', 'Xã', 'Đặc khu']
def bare(name):
    for t in TYPES:
        if name.lower().startswith(t.lower() + ' '):
            return name[len(t) + 1:]
    return name

# uniqueness indexes
comm_in_prov = collections.Counter((r['province_code'], bare(r['commune_name'])) for r in pre.values())
comm_in_dist = collections.Counter((r['district_code'], bare(r['commune_name'])) for r in pre.values())
dist_nat = collections.Counter()
for d in {(r['district_code'], r['district_name']) for r in pre.values()}:
    dist_nat[bare(d[1])] += 1
comm_dist_nat = collections.Counter((bare(r['district_name']), bare(r['commune_name'])) for r in pre.values())
new_in_prov = collections.Counter((r['province_code'], bare(r['commune_name'])) for r in new.values())

def strip(s):
    s = s.replace('Đ', 'D').replace('đ', 'd')
    return ''.join(ch for ch in unicodedata.normalize('NFD', s) if unicodedata.category(ch) != 'Mn')

# ---------- surface forms ----------
PROV_ABBR = {
    '79': ['TP.HCM', 'TPHCM', 'TP HCM', 'Tp.HCM', 'Tp HCM', 'HCM', 'SG', 'Sài Gòn', 'Hồ Chí Minh', 'TP. Hồ Chí Minh', 'Thành phố Hồ Chí Minh', 'tp hcm', 'Hcm'],
    '01': ['HN', 'Hà Nội', 'TP Hà Nội', 'TP. Hà Nội', 'Thành phố Hà Nội', 'Hà nội', 'TPHN', 'Ha Noi'],
    '48': ['Đà Nẵng', 'TP Đà Nẵng', 'TP. Đà Nẵng', 'Đà nẵng', 'Da Nang'],
    '31': ['Hải Phòng', 'TP Hải Phòng', 'HP', 'Hải phòng'],
    '92': ['Cần Thơ', 'TP Cần Thơ', 'TP. Cần Thơ', 'Cần thơ'],
    '46': ['Thừa Thiên Huế', 'T.T.H', 'TT Huế', 'TT-Huế', 'Thừa Thiên - Huế', 'TTHuế', 'Huế'],
    '77': ['Bà Rịa - Vũng Tàu', 'BR-VT', 'BRVT', 'Bà Rịa Vũng Tàu', 'Vũng Tàu', 'T. BR-VT'],
    '66': ['Đắk Lắk', 'ĐắkLắk', 'Đăk Lăk', 'Đắc Lắc', 'Daklak', 'Đắk lắk'],
    '67': ['Đắk Nông', 'Đăk Nông', 'ĐắkNông', 'Dak Nong'],
    '74': ['Bình Dương', 'BD', 'T. Bình Dương', 'Bình dương'],
    '75': ['Đồng Nai', 'Đồng nai', 'T.Đồng Nai', 'ĐN'],
}

def prov_form(pc, pname, style):
    b = bare(pname)
    if style == 'full':
        return pname
    if style == 'abbr' and pc in PROV_ABBR:
        f = rnd.choice(PROV_ABBR[pc])
        if pc == '75' and f == 'ĐN':
            f = 'Đồng Nai'
        return f
    if pname.startswith('Tỉnh'):
        return rnd.choice([b, b, 'Tỉnh ' + b, 'tỉnh ' + b, 'T. ' + b, 'T.' + b])
    return rnd.choice([b, b, 'TP ' + b, 'TP. ' + b, 'Tp ' + b, 'Tp. ' + b, 'thành phố ' + b])

def dist_form(dname, style):
    b = bare(dname)
    t = {x.lower(): x for x in TYPES}[dname[:len(dname) - len(b) - 1].lower()]
    num = b.isdigit()
    short = {'Quận': ['Q.', 'Q. ', 'Q', 'q.', 'Quận ', 'quận '], 'Huyện': ['H.', 'H. ', 'huyện ', 'Huyện ', 'H '],
             'Thị xã': ['TX.', 'TX. ', 'Tx ', 'thị xã ', 'TX '], 'Thành phố': ['TP.', 'TP. ', 'Tp ', 'thành phố ', 'TP ']}[t]
    if style == 'bare':
        if num:
            return rnd.choice(['Q' + b, 'Q.' + b, 'Quận ' + b, 'Q ' + b])
        return b
    if style == 'full':
        return rnd.choice([dname, t.lower() + ' ' + b if rnd.random() < .4 else dname])
    if style == 'en':
        if num:
            return rnd.choice(['District ' + b, 'Dist. ' + b, 'Dist ' + b, 'D.' + b, 'D' + b])
        suf = {'Quận': ['District', 'Dist.', 'Dist'], 'Huyện': ['District', 'Dist.'], 'Thị xã': ['Town'], 'Thành phố': ['City']}[t]
        return strip(b) + ' ' + rnd.choice(suf)
    return rnd.choice(short) + b

def comm_form(cname, style):
    b = bare(cname)
    t = {x.lower(): x for x in TYPES}[cname[:len(cname) - len(b) - 1].lower()]
    num = b.isdigit()
    short = {'Phường': ['P.', 'P. ', 'P', 'p.', 'phường ', 'Phường ', 'F.', 'F'], 'Xã': ['X.', 'xã ', 'Xã ', 'X. '],
             'Thị trấn': ['TT.', 'TT ', 'thị trấn ', 'Thị trấn ', 'TT. '], 'Đặc khu': ['Đặc khu ', 'ĐK ']}[t]
    if style == 'bare':
        if num:
            return rnd.choice(['P' + b, 'P.' + b, 'Phường ' + b, 'F' + b])
        return b
    if style == 'full':
        return rnd.choice([cname, t.lower() + ' ' + b])
    if style == 'en':
        if num:
            return rnd.choice(['Ward ' + b, 'W.' + b, 'Ward ' + b.zfill(2)])
        suf = {'Phường': 'Ward', 'Xã': 'Commune', 'Thị trấn': 'Town', 'Đặc khu': 'Special Zone'}[t]
        return strip(b) + ' ' + suf
    f = rnd.choice(short)
    if f.startswith('F') and not num:
        f = 'P.'
    return f + b

STREETS = ['Nguyễn Trãi', 'Lê Lợi', 'Trần Hưng Đạo', 'Hai Bà Trưng', 'Quang Trung', 'Lê Duẩn', 'Nguyễn Huệ', 'Điện Biên Phủ',
           'Cách Mạng Tháng 8', 'Hoàng Hoa Thám', 'Phan Chu Trinh', 'Lý Thường Kiệt', 'Ngô Quyền', 'Hùng Vương', 'Nguyễn Văn Cừ',
           'Lê Văn Sỹ', 'Phạm Văn Đồng', 'Võ Văn Kiệt', 'Nguyễn Thị Minh Khai', 'Trường Chinh', 'Láng Hạ', 'Kim Mã', 'Giải Phóng',
           'Xô Viết Nghệ Tĩnh', 'Bạch Đằng', 'Lê Thánh Tông', 'Nguyễn Văn Linh', 'Tô Hiến Thành', 'Âu Cơ', 'Lạc Long Quân',
           'Trần Phú', 'Lê Hồng Phong', 'Nguyễn Du', 'Phan Đình Phùng', 'Hoàng Diệu', 'Nguyễn Tất Thành', '30/4', '3/2', 'Tỉnh lộ 10',
           'Quốc lộ 1A', 'QL13', 'ĐT743']
VILL = ['Thôn 3', 'Thôn Đông', 'Thôn Trung', 'thôn 5', 'Xóm 2', 'xóm Chùa', 'Ấp Bình Thạnh', 'ấp 4', 'Ấp Tân Lập', 'Bản Pá Khoang',
        'Buôn Ea Sar', 'Tổ 7', 'Tổ dân phố 4', 'TDP số 2', 'Khu phố 3', 'KP3', 'KP 2', 'Khóm 1', 'Khối 5', 'Tiểu khu 3', 'Làng Vân',
        'Thôn Phú Mỹ', 'Xóm Mới', 'Ấp Mỹ Hòa', 'Tổ 12', 'Khu 4', 'Đội 6', 'Thôn Yên Lạc']
LAND = ['gần chợ', 'đối diện trường THCS', 'cạnh UBND xã', 'gần ngã tư', 'sau cây xăng', 'đối diện cổng trường tiểu học',
        'gần cầu', 'cạnh tiệm tạp hóa', 'ngay chợ đầu mối', 'gần bệnh viện', 'hẻm đối diện nhà thờ', 'đầu ngõ có cây bàng',
        'gần Circle K', 'cạnh Bách Hóa Xanh', 'đối diện Vinmart', 'gần đình làng']

def phone():
    p = rnd.choice(['09', '03', '08', '07']) + ''.join(rnd.choice('0123456789') for _ in range(8))
    return rnd.choice([p, p[:4] + ' ' + p[4:7] + ' ' + p[7:], p[:4] + '.' + p[4:7] + '.' + p[7:], '+84 ' + p[1:]])

def house():
    n = rnd.randint(1, 400)
    return rnd.choice([f'Số {n}', f'{n}', f'{n}/{rnd.randint(1, 60)}', f'{n}{rnd.choice("ABC")}', f'SN {n}', f'số {n}',
                       f'{n}/{rnd.randint(1, 40)}/{rnd.randint(1, 20)}', f'Lô {rnd.choice("ABCD")}{rnd.randint(1, 30)}',
                       f'Căn {rnd.randint(1, 30)}.{rnd.randint(1, 20):02d}'])

def street_part(pc):
    s = rnd.choice(STREETS)
    if pc == '01':
        k = rnd.random()
        if k < .4:
            return f'Số {rnd.randint(1, 90)} ngõ {rnd.randint(1, 300)} {rnd.choice(["phố", "đường", "", "P."])} {s}'.replace('  ', ' ')
        if k < .55:
            return f'ngách {rnd.randint(1, 60)}/{rnd.randint(1, 30)} ngõ {rnd.randint(1, 300)} {s}'
        return f'{house()} {rnd.choice(["phố", "đường", "Đ.", ""])} {s}'.replace('  ', ' ')
    if pc in ('79', '92', '74', '75', '77'):
        k = rnd.random()
        if k < .35:
            return f'{rnd.randint(1, 400)}/{rnd.randint(1, 80)} {rnd.choice(["", "Đường ", "đường ", "Đ. "])}{s}'
        if k < .5:
            return f'Hẻm {rnd.randint(1, 400)} {s}'
        return f'{house()} {rnd.choice(["Đường", "đường", "Đ.", "", ""])} {s}'.replace('  ', ' ')
    if pc in ('48', '46'):
        if rnd.random() < .4:
            return f'K{rnd.randint(1, 400)}/{rnd.randint(1, 40)} {s}'
    return f'{house()} {rnd.choice(["đường", "Đường", ""])} {s}'.replace('  ', ' ')

# ---------- corruptions ----------
TELEX = {'à': 'af', 'á': 'as', 'ả': 'ar', 'ã': 'ax', 'ạ': 'aj', 'ộ': 'ooj', 'ố': 'oos', 'ồ': 'oof', 'ổ': 'oor', 'ơ': 'ow',
         'ư': 'uw', 'ờ': 'owf', 'ớ': 'ows', 'ợ': 'owj', 'ừ': 'uwf', 'ứ': 'uws', 'ự': 'uwj', 'ê': 'ee', 'ế': 'ees', 'ề': 'eef',
         'ệ': 'eej', 'â': 'aa', 'ấ': 'aas', 'ầ': 'aaf', 'ậ': 'aaj', 'ă': 'aw', 'ắ': 'aws', 'ằ': 'awf', 'ặ': 'awj', 'đ': 'dd',
         'í': 'is', 'ì': 'if', 'ị': 'ij', 'ó': 'os', 'ò': 'of', 'ọ': 'oj', 'ú': 'us', 'ù': 'uf', 'ụ': 'uj', 'é': 'es', 'è': 'ef',
         'ơ': 'ow', 'ô': 'oo', 'ủ': 'ur', 'ỉ': 'ir', 'ể': 'eer', 'ẩ': 'aar'}
KEYNB = {'a': 'sq', 'b': 'vn', 'c': 'xv', 'd': 'sf', 'e': 'wr', 'g': 'fh', 'h': 'gj', 'i': 'uo', 'k': 'jl', 'l': 'k', 'm': 'n',
         'n': 'bm', 'o': 'ip', 'p': 'o', 'q': 'w', 'r': 'et', 's': 'ad', 't': 'ry5', 'u': 'yi7', 'v': 'cb', 'x': 'zc', 'y': 'tu6'}

def word_spans(s):
    out, i = [], 0
    while i < len(s):
        if s[i].isalpha():
            j = i
            while j < len(s) and s[j].isalpha():
                j += 1
            out.append((i, j))
            i = j
        else:
            i += 1
    return out

def corrupt(s, kind):
    sp = [w for w in word_spans(s) if w[1] - w[0] >= 3]
    if not sp:
        return s
    a, b = rnd.choice(sp)
    w = s[a:b]
    if kind == 'telex':
        idx = [i for i, ch in enumerate(w) if ch.lower() in TELEX]
        if not idx:
            return s
        i = rnd.choice(idx)
        rep = TELEX[w[i].lower()]
        # telex leftover: base letter kept, the keys typed after it
        base = strip(w[i])
        w2 = w[:i] + base + rep[1:] + w[i + 1:] if rnd.random() < .5 else w[:i] + w[i] + rep[-1] + w[i + 1:]
        return s[:a] + w2 + s[b:]
    if kind == 'drop':
        i = rnd.randrange(len(w))
        return s[:a] + w[:i] + w[i + 1:] + s[b:]
    if kind == 'double':
        i = rnd.randrange(len(w))
        return s[:a] + w[:i + 1] + w[i] + w[i + 1:] + s[b:]
    if kind == 'swap':
        i = rnd.randrange(len(w) - 1)
        return s[:a] + w[:i] + w[i + 1] + w[i] + w[i + 2:] + s[b:]
    if kind == 'digit':
        i = rnd.randrange(1, len(w))
        return s[:a] + w[:i] + rnd.choice('1234567890') + w[i:] + s[b:]
    if kind == 'key':
        idx = [i for i, ch in enumerate(w) if strip(ch).lower() in KEYNB]
        if not idx:
            return s
        i = rnd.choice(idx)
        return s[:a] + w[:i] + rnd.choice(KEYNB[strip(w[i]).lower()]) + w[i + 1:] + s[b:]
    if kind == 'tone':  # a tone mark lost on one word
        return s[:a] + strip(w) + s[b:]
    return s

def glue(s):
    # glue a type word to its name: "Phường Bến Nghé" -> "PhườngBến Nghé"
    for t in ['Phường ', 'Xã ', 'Huyện ', 'Quận ', 'Thị trấn ', 'Tỉnh ', 'phường ', 'xã ', 'huyện ', 'tỉnh ', 'P. ', 'Q. ', 'H. ', 'TX. ', 'TT. ', 'X. ']:
        if t in s and rnd.random() < .7:
            return s.replace(t, t.rstrip(), 1)
    return s

# ---------- units ----------
prov_weight = {'79': 22, '01': 18, '48': 4, '31': 4, '92': 3, '74': 4, '75': 4}
prov_list = sorted({r['province_code'] for r in pre.values()})
by_prov = collections.defaultdict(list)
for c in stable:
    by_prov[pre[c]['province_code']].append(c)

def pick_old():
    ws = [prov_weight.get(p, 1) for p in prov_list]
    p = rnd.choices(prov_list, ws)[0]
    return pre[rnd.choice(by_prov[p])]

def new_codes(cc):
    m = mp.get(cc, [])
    if not m:
        return '', ''
    np_ = m[0]['new_province_code']
    nc = m[0]['new_commune_code'] if len(m) == 1 else ''
    return np_, nc

def date_old():
    y = rnd.choice([2024, 2024, 2025])
    m = rnd.randint(1, 12) if y == 2024 else rnd.randint(1, 6)
    return f'{y}-{m:02d}-{rnd.randint(1, 28):02d}'

def date_new():
    y = rnd.choice([2025, 2026, 2026])
    m = rnd.randint(7, 12) if y == 2025 else rnd.randint(1, 11)
    return f'{y}-{m:02d}-{rnd.randint(1, 28):02d}'

out = []

def emit(text, as_of, p, d, c, np_, nc, note):
    text = ' '.join(text.split())
    out.append([text, as_of, p, d, c, np_, nc, note])

def old_parts(r, pst, dst, cst):
    return (comm_form(r['commune_name'], cst), dist_form(r['district_name'], dst), prov_form(r['province_code'], r['province_name'], pst))

def old_label(r, with_commune=True, with_district=True):
    np_, nc = new_codes(r['commune_code'])
    return (r['province_code'], r['district_code'] if with_district else '', r['commune_code'] if with_commune else '',
            np_, nc if with_commune else '')

# A. e-commerce delivery (old era, 3 levels, street, phone sometimes) — 80
for i in range(80):
    r = pick_old()
    pc = r['province_code']
    cst = rnd.choice(['abbr', 'abbr', 'full', 'bare'])
    dst = rnd.choice(['abbr', 'abbr', 'full', 'bare'])
    pst = rnd.choice(['abbr', 'abbr', 'other', 'full'])
    cf, df, pf = old_parts(r, pst, dst, cst)
    head = street_part(pc) if rnd.random() < .75 or pc in ('01', '79') else rnd.choice(VILL)
    sep = rnd.choice([', ', ', ', ' ', ' - ', ',', ', '])
    parts = [head, cf, df, pf]
    if rnd.random() < .15:
        parts.append(rnd.choice(['Việt Nam', 'VN', 'Vietnam']))
    t = sep.join(parts)
    if rnd.random() < .2:
        t = rnd.choice([f'{t} ({rnd.choice(LAND)})', f'{t}. SĐT {phone()}', f'{t} - {phone()}', f'{t}, {rnd.choice(LAND)}'])
    as_of = date_old() if rnd.random() < .8 else date_new()
    emit(t, as_of, *old_label(r), 'ecommerce')

# B. classified ads / listings: street + ward + district + short city, often no province, sometimes no ward — 48
big = [c for c in stable if pre[c]['province_code'] in ('01', '79', '48', '31', '74', '75', '92')]
for i in range(48):
    r = pre[rnd.choice(big)]
    pc = r['province_code']
    k = rnd.random()
    cb, db = bare(r['commune_name']), bare(r['district_name'])
    if k < .35:
        # street, district, city
        t = f'{rnd.choice(["Bán nhà", "Cho thuê phòng", "Nhà mặt phố", "Căn hộ", "Bán đất", ""])} {street_part(pc)}, {dist_form(r["district_name"], rnd.choice(["abbr", "bare"]))}, {prov_form(pc, r["province_name"], "abbr")}'
        emit(t, date_old() if rnd.random() < .6 else date_new(), *old_label(r, with_commune=False), 'listing no ward')
    elif k < .7 and comm_dist_nat[(db, cb)] == 1 and dist_nat[db] == 1:
        # street, ward, district, no province
        t = f'{street_part(pc)}, {comm_form(r["commune_name"], rnd.choice(["abbr", "bare"]))}, {dist_form(r["district_name"], rnd.choice(["abbr", "bare"]))}'
        emit(t, date_old() if rnd.random() < .6 else date_new(), *old_label(r), 'listing no province')
    else:
        t = f'{street_part(pc)}, {comm_form(r["commune_name"], "abbr")}, {dist_form(r["district_name"], "abbr")}, {prov_form(pc, r["province_name"], "abbr")}'
        if rnd.random() < .3:
            t += f'. LH {phone()}'
        emit(t, date_old() if rnd.random() < .6 else date_new(), *old_label(r), 'listing')

# C. after the reform: commune + province only (two levels), new names — 80
newl = list(new.values())
def pick_new():
    ws = [prov_weight.get(r['province_code'], 1) for r in newl]
    return rnd.choices(newl, ws)[0]
oldprov_name = {r['province_code']: r['province_name'] for r in pre.values()}
nC = 0
while nC < 80:
    k = rnd.random()
    r = pick_new()
    if k < .3:
        srcp = {s['old_province_code'] for s in new_sources[r['commune_code']]}
        if len(srcp) != 1 or srcp == {r['province_code']}:
            continue
    nC += 1
    pc = r['province_code']
    nb = bare(r['commune_name'])
    if new_in_prov[(pc, nb)] != 1:
        continue
    cf = comm_form(r['commune_name'], rnd.choice(['full', 'abbr', 'abbr', 'full']))
    head = ''
    if rnd.random() < .6:
        head = (street_part(pc) if pc in ('01', '79', '48', '31', '92') or rnd.random() < .4 else rnd.choice(VILL)) + ', '
    if k < .3:
        # new commune with the OLD province name it lay in
        srcp = {s['old_province_code'] for s in new_sources[r['commune_code']]}
        if len(srcp) == 1:
            op = srcp.pop()
            if op != pc:
                pf = prov_form(op, oldprov_name[op], rnd.choice(['other', 'abbr']))
                emit(f'{head}{cf}, {pf}', date_new(), '', '', '', pc, r['commune_code'], 'new commune old province')
                continue
    pf = prov_form(pc, r['province_name'], rnd.choice(['full', 'other', 'abbr']))
    if rnd.random() < .1:
        pf += rnd.choice([' (mới)', ' (sau sáp nhập)'])
    emit(f'{head}{cf}, {pf}', date_new(), '', '', '', pc, r['commune_code'], 'two-level')

# D. no diacritics / ALL CAPS / lowercase — 48
for i in range(48):
    r = pick_old()
    pc = r['province_code']
    cf, df, pf = old_parts(r, rnd.choice(['abbr', 'other', 'full']), rnd.choice(['abbr', 'full', 'bare']), rnd.choice(['abbr', 'full']))
    t = ', '.join([street_part(pc) if rnd.random() < .6 else rnd.choice(VILL), cf, df, pf])
    k = rnd.random()
    if k < .45:
        t, note = strip(t), 'no diacritics'
    elif k < .75:
        t, note = t.upper(), 'caps'
        if rnd.random() < .5:
            t, note = strip(t), 'caps no diacritics'
    else:
        t, note = strip(t).lower(), 'lower no diacritics'
    emit(t, date_old() if rnd.random() < .7 else date_new(), *old_label(r), note)

# E. English-language forms — 32
for i in range(32):
    r = pick_old() if rnd.random() < .5 else pre[rnd.choice(big)]
    pc = r['province_code']
    cf = comm_form(r['commune_name'], 'en')
    df = dist_form(r['district_name'], 'en')
    pen = {'79': ['HCMC', 'Ho Chi Minh City', 'HCM City', 'Saigon', 'Ho Chi Minh'], '01': ['Hanoi', 'Ha Noi', 'Hanoi City'],
           '48': ['Da Nang', 'Danang City'], '31': ['Hai Phong', 'Haiphong'], '92': ['Can Tho City']}
    if pc in pen:
        pf = rnd.choice(pen[pc])
    else:
        pf = strip(bare(r['province_name'])) + rnd.choice([' Province', '', ' province'])
    st = strip(street_part(pc)).replace('Duong', 'Street' if rnd.random() < .3 else 'Duong')
    t = ', '.join([st, cf, df, pf] + ([rnd.choice(['Vietnam', 'Viet Nam'])] if rnd.random() < .5 else []))
    if rnd.random() < .2:
        t += f' {rnd.choice(["700000", "100000", "550000", "70000"])}'
    emit(t, date_old() if rnd.random() < .6 else date_new(), *old_label(r), 'english')

# F. government / business registration, full official form — 40
for i in range(40):
    r = pick_old()
    pc = r['province_code']
    cn, dn, pn = r['commune_name'], r['district_name'], r['province_name']
    lo = rnd.random() < .6
    f = lambda x: (x[0].lower() + x[1:]) if lo else x
    head = rnd.choice(VILL) if not pc in ('01', '79') else street_part(pc)
    t = f'{head}, {f(cn)}, {f(dn)}, {f(pn)}'
    if rnd.random() < .3:
        t = rnd.choice(['Trụ sở chính: ', 'Địa chỉ: ', 'Nơi thường trú: ', 'Quê quán: ', 'Địa chỉ trụ sở: ']) + t
    if rnd.random() < .2:
        t += ', Việt Nam'
    emit(t, date_old(), *old_label(r), 'official')

# G. typos: telex leftovers, dropped/doubled/swapped letters, digits, glued type words — 40
for i in range(40):
    r = pick_old()
    pc = r['province_code']
    cf, df, pf = old_parts(r, rnd.choice(['abbr', 'other', 'full']), rnd.choice(['abbr', 'full']), rnd.choice(['abbr', 'full']))
    t = ', '.join(([street_part(pc)] if rnd.random() < .4 else []) + [cf, df, pf])
    kinds = rnd.sample(['telex', 'drop', 'double', 'swap', 'digit', 'key', 'tone', 'glue', 'nosep'], rnd.choice([1, 1, 2]))
    for k in kinds:
        if k == 'glue':
            t = glue(t)
        elif k == 'nosep':
            t = t.replace(', ', ' ', rnd.choice([1, 2]))
        else:
            t = corrupt(t, k)
    emit(t, date_old() if rnd.random() < .7 else date_new(), *old_label(r), 'typo ' + '+'.join(kinds))

# H. old names of merged/renamed units, landmarks and noise — 32
ren = [h for h in hist if h['other_names'] and h['in_final_pre_reform'] == '1' and h['commune_code'] in pre]
TD = {'Quận 2': ['An Phú', 'An Khánh', 'Bình Trưng Đông', 'Bình Trưng Tây', 'Cát Lái', 'Thạnh Mỹ Lợi', 'Thảo Điền', 'An Lợi Đông', 'Thủ Thiêm'],
      'Quận 9': ['Hiệp Phú', 'Long Bình', 'Long Phước', 'Long Thạnh Mỹ', 'Long Trường', 'Phú Hữu', 'Phước Bình', 'Phước Long A',
                 'Phước Long B', 'Tân Phú', 'Tăng Nhơn Phú A', 'Tăng Nhơn Phú B', 'Trường Thạnh'],
      'Quận Thủ Đức': ['Bình Chiểu', 'Bình Thọ', 'Hiệp Bình Chánh', 'Hiệp Bình Phước', 'Linh Chiểu', 'Linh Đông', 'Linh Tây', 'Linh Trung',
                       'Linh Xuân', 'Tam Bình', 'Tam Phú', 'Trường Thọ']}
td_by_name = {bare(r['commune_name']): r for r in pre.values() if r['district_code'] == '769'}
ng = [r for r in pre.values() if r['district_code'] == '407']
nH = collections.Counter()
while sum(nH.values()) < 32:
    k = rnd.random()
    if k < .35:
        if nH['ren'] >= 10:
            continue
        h = rnd.choice(ren)
        r = pre[h['commune_code']]
        oldn = rnd.choice(h['other_names'].split('|'))
        ob = bare(oldn)
        if comm_in_dist[(r['district_code'], ob)] != 0:
            continue
        cf = comm_form(oldn, rnd.choice(['abbr', 'full']))
        t = f'{rnd.choice(VILL) if rnd.random() < .5 else street_part(r["province_code"])}, {cf}, {dist_form(r["district_name"], "abbr")}, {prov_form(r["province_code"], r["province_name"], "other")}'
        emit(t, date_old(), *old_label(r), 'old commune name')
        nH['ren'] += 1
    elif k < .55:
        if nH['td'] >= 8:
            continue
        qn = rnd.choice(list(TD))
        nm = rnd.choice(TD[qn])
        if nm not in td_by_name:
            continue
        r = td_by_name[nm]
        qf = rnd.choice([qn, qn.replace('Quận ', 'Q.'), qn.replace('Quận ', 'Q'), qn.replace('Quận ', 'quận ')])
        t = f'{street_part("79")}, {comm_form(r["commune_name"], "abbr")}, {qf}, {prov_form("79", r["province_name"], "abbr")}'
        emit(t, date_old() if rnd.random() < .7 else date_new(), *old_label(r), 'old district name (Thủ Đức)')
        nH['td'] += 1
    elif k < .62:
        if nH['tg'] >= 3:
            continue
        r = rnd.choice(ng)
        t = f'{rnd.choice(VILL)}, {comm_form(r["commune_name"], rnd.choice(["abbr", "full"]))}, {rnd.choice(["huyện Tĩnh Gia", "H. Tĩnh Gia", "Tĩnh Gia"])}, {prov_form("38", r["province_name"], "other")}'
        emit(t, date_old(), *old_label(r), 'old district name (Tĩnh Gia)')
        nH['tg'] += 1
    else:
        if nH['noise'] >= 11:
            continue
        r = pick_old()
        cf, df, pf = old_parts(r, 'abbr', 'abbr', 'abbr')
        t = rnd.choice([f'{rnd.choice(LAND)} {cf}, {df}, {pf}', f'{street_part(r["province_code"])} ({rnd.choice(LAND)}), {cf}, {df}, {pf}',
                        f'{cf} {df} {pf} - {phone()}', f'Giao hàng: {street_part(r["province_code"])}, {cf}, {df}, {pf}, {rnd.choice(LAND)}, gọi trước {phone()}',
                        f'{rnd.choice(VILL)}, {cf}, {df}, {pf} {rnd.choice(["100000", "700000", "550000", "460000", "810000"])}'])
        emit(t, date_old() if rnd.random() < .7 else date_new(), *old_label(r), 'landmark/noise')
        nH['noise'] += 1

# new-era texts that still give a district, or an old ward name with a new province (mixed) — top up to 400
while len(out) < 400:
    k = rnd.random()
    r = pick_old()
    pc = r['province_code']
    np_, nc = new_codes(r['commune_code'])
    cf, df, pf = old_parts(r, 'abbr', rnd.choice(['abbr', 'full']), rnd.choice(['abbr', 'full']))
    if k < .5 and np_ and np_ != pc:
        # old commune and district, with the NEW province name (people updating only the province)
        npn = {x['province_code']: x['province_name'] for x in new.values()}[np_]
        t = f'{rnd.choice(VILL)}, {cf}, {df}, {prov_form(np_, npn, "other")}'
        emit(t, date_new(), *old_label(r), 'old units new province')
    else:
        t = f'{street_part(pc)}, {cf}, {df}, {pf}'
        emit(t, date_new(), *old_label(r), 'old units written after reform')

# Usage: python3 realworld3_gen.py DIR  writes DIR/realworld3_dev.csv and DIR/realworld3_heldout.csv,
# the 400 split 50/50 at random (seed 13003); without DIR, all 400 to stdout.
head = ['text', 'as_of', 'province_code', 'district_code', 'commune_code', 'new_province_code', 'new_commune_code', 'note']
if len(sys.argv) < 2:
    w = csv.writer(sys.stdout, lineterminator='\n')
    w.writerow(head)
    w.writerows(out)
else:
    idx = list(range(len(out)))
    random.Random(13003).shuffle(idx)
    for name, ix in (('realworld3_dev.csv', sorted(idx[:200])), ('realworld3_heldout.csv', sorted(idx[200:]))):
        with open(sys.argv[1] + '/' + name, 'w', encoding='utf-8', newline='') as f:
            w = csv.writer(f, lineterminator='\n')
            w.writerow(head)
            w.writerows(out[i] for i in ix)
