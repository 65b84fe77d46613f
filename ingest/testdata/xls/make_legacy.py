# Writes the legacy test workbooks of TestOldExcel, which LibreOffice can
# read but no longer write (it saves Excel 97 at the oldest):
#   python3 make_legacy.py excel95_cp1258.xls book   # Excel 5.0/95: BIFF5 "Book" stream in an OLE2 file, Windows-1258 text
#   python3 make_legacy.py excel4_cp1258.xls biff4   # Excel 4.0: a bare BIFF4 worksheet stream
#   python3 make_legacy.py word_named_xls.xls word   # an OLE2 file holding a "WordDocument" stream, no workbook
# html_export.xls and excel2003_xml.xls are hand-written text.
import struct, sys
def rec(rid, data): return struct.pack('<HH', rid, len(data)) + data
def bof(dt): return rec(0x0809, struct.pack('<HHHH', 0x0500, dt, 0x0DBB, 0x07CC))
rows = [["STT","Họ và tên","Ngày sinh","Giới tính"],
        [1,"Nguyễn Văn An","15/03/1990","Nam"],
        [2,"Trần Thị Bình","20/11/1985","Nữ"],
        [3,"Lê Văn Cường","01/02/1979","Nam"]]
enc = "cp1258"
def cellbytes(s):
    import unicodedata
    # cp1258 writes Vietnamese decomposed: base letter + combining tone mark
    try: return s.encode(enc)
    except UnicodeEncodeError:
        out = ''
        for ch in s:
            d = unicodedata.normalize('NFD', ch)
            tones = ''.join(c for c in d if c in '\u0300\u0301\u0303\u0309\u0323')
            base = unicodedata.normalize('NFC', ''.join(c for c in d if c not in tones))
            out += base + tones
        return out.encode(enc)
kind = sys.argv[2]
if kind == 'biff4':
    bof = lambda dt: rec(0x0409, struct.pack('<HHH', 0, dt, 0))
def cells():
    out = b''
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if isinstance(v, (int, float)):
                out += rec(0x0203, struct.pack('<HHHd', r, c, 0, float(v)))
            else:
                b = cellbytes(v)
                out += rec(0x0204, struct.pack('<HHHH', r, c, 0, len(b)) + b)
    return out
if kind == 'biff4':
    out = bof(0x0010) + rec(0x0042, struct.pack('<H', 1258)) + rec(0x0200, struct.pack('<HHHHH', 0, len(rows), 0, 4, 0)) + cells() + rec(0x000A, b'')
    open(sys.argv[1], 'wb').write(out)
    sys.exit()
sheet = bof(0x0010) + rec(0x0200, struct.pack('<HHHHH', 0, len(rows), 0, 4, 0)) + cells() + rec(0x000A, b'')
cp = 1258
name = b'Sheet1'
glob_head = bof(0x0005) + rec(0x0042, struct.pack('<H', cp))
bs_len = 4 + 8 + 1 + len(name) - 4 + 4  # header 4 + data
bs = lambda pos: rec(0x0085, struct.pack('<IHB', pos, 0, len(name)) + name)
glob = glob_head + bs(0) + rec(0x000A, b'')
pos = len(glob)
glob = glob_head + bs(pos) + rec(0x000A, b'')
book = glob + sheet
if len(book) < 4096: book += b'\0' * (4096 - len(book))
# OLE2: header, then sectors: [FAT][DIR][book...]
SS = 512
nbook = (len(book) + SS - 1)//SS
book += b'\0' * (nbook*SS - len(book))
FREE, END, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
fat = [FATSECT, END] + [i+3 for i in range(nbook-1)] + [END]
fat += [FREE]*(128-len(fat))
hdr = bytes.fromhex('D0CF11E0A1B11AE1') + b'\0'*16 + struct.pack('<HHHH', 0x3E, 3, 0xFFFE, 9) + struct.pack('<H', 6) + b'\0'*6
hdr += struct.pack('<IIII', 0, 1, 1, 0)  # num dir sectors (0 for v3), num FAT sectors, first dir sector, transaction
hdr += struct.pack('<III', 4096, END, 0)  # mini cutoff, first minifat, num minifat
hdr += struct.pack('<II', END, 0)  # first DIFAT, num DIFAT
hdr += struct.pack('<I', 0) + struct.pack('<I', FREE)*108
assert len(hdr) == 512, len(hdr)
def dirent(name, typ, start, size, child=0xFFFFFFFF, left=0xFFFFFFFF, right=0xFFFFFFFF):
    n = (name+'\0').encode('utf-16-le')
    e = n + b'\0'*(64-len(n)) + struct.pack('<HBB', len(n), typ, 1) + struct.pack('<III', left, right, child)
    e += b'\0'*16 + b'\0'*4 + b'\0'*16 + struct.pack('<II', start, size) + b'\0'*4
    assert len(e) == 128
    return e
d = dirent('Root Entry', 5, END, 0, child=1) + dirent('WordDocument' if kind == 'word' else 'Book', 2, 2, len(glob+sheet) if len(glob+sheet)>=4096 else 4096)
d += b'\0'*(512-len(d))
out = hdr + b''.join(struct.pack('<I', x) for x in fat) + d + book
open(sys.argv[1], 'wb').write(out)
