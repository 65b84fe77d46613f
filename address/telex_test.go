package address

import (
	"testing"
	"time"
)

// TestTelexTyped: whole texts typed in Telex or VNI with the input method
// off (the keys left in the words: doubled vowels, w, dd, tone keys, VNI
// digits) resolve as the same text written with marks. The first three are
// addr8's examples (issue 13), the rest written for this test.
func TestTelexTyped(t *testing.T) {
	after := time.Date(2026, 5, 22, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name, text string
		asOf       time.Time
		dist, comm string // before the reform
		newComm    string // the new commune, when dated after it (then only it is checked)
	}{
		{"Telex, a named ward", "Phuwowngf Caauf Kho, Quaanj 1, TP.Hoof Chis Minh", before, "760", "26761", ""},
		{"Telex, a numbered ward", "Phuwowngf 14, Q.10, Thanhf phoos Hoof Chis Minh", before, "771", "27169", ""},
		// was read Thanh Hóa (Thanhf phoos Caanf…), a wrong guess
		{"Telex, new units", "Xax Ddoong Phuwowcs, Thanhf phoos Caanf Thow", after, "", "", "31369"},
		{"Telex, a town and tones", "Thij traans Phuwowcs Vinhx, Huyeenj Phus Giaos, Binhf Duwowng", before, "722", "25858", ""},
		{"Telex, dd and aw", "Xax Ddawks Sawks, Huyeenj Ddawks Mil, Tinhr Ddawks Noong", before, "663", "24679", ""},
		{"Telex inside a text with marks", "Phường Truwowng Ddinhj, Quận Hai Bà Trưng, Hà Nội", before, "007", "00298", ""},
		{"Telex, new units, a province", "Xax Truwowngf Ninh, tinhr Quangr Trij", after, "", "", "19237"},
		{"VNI, digits inside words", "Phu7o72ng Ca62u Kho, Qua65n 1, TP.Ho62 Chi1 Minh", before, "760", "26761", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Resolve(tt.text, tt.asOf)
			if tt.newComm == "" && (r.District.Code != tt.dist || r.Commune.Code != tt.comm) || tt.newComm != "" && r.NewCommune.Code != tt.newComm {
				t.Errorf("%q: district %+v commune %+v new commune %+v, want %q %q %q (candidates %+v)", tt.text, r.District, r.Commune, r.NewCommune, tt.dist, tt.comm, tt.newComm, r.Candidates)
			}
		})
	}
}

// TestTelexWord: the keys undone, and the words left alone — a slip that
// looks like a key is not read as one where a misspelling is likelier.
func TestTelexWord(t *testing.T) {
	g, err := load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		key, text, want string // want "" : not read as Telex
	}{
		{"phuwowngf", "Phuwowngf", "phuong"},
		{"truowngf", "Truowngf", "truong"}, // ươ typed with one w
		{"quaanj", "Quaanj", "quan"},
		{"xax", "Xax", "xa"},
		{"ddawks", "Ddawks", "dak"},
		{"thow", "Thow", "tho"},
		{"nguyeenx", "Nguyeenx", "nguyen"},
		{"ta6n", "Ta6n", "tan"},
		{"nguye64n", "Nguye64n", "nguyen"},
		{"taan", "Taan", "tan"},                 // a doubled vowel alone, in a text without marks
		{"krooong", "Xa Dak Krooong", "kroong"}, // a third key undoes the mark: oo, not ô
		{"giaai", "xã Bình An - Giaai", ""},     // a doubled vowel alone in a text with marks: a slip
		{"osn", "Binh osn", ""},                 // a tone key inside a word, nothing else: two letters swapped (Sơn)
		{"thanh", "Thanh", ""},                  // nothing to undo
	}
	for _, tt := range tests {
		st := &state{g: g, text: tt.text}
		wd, ok := st.telexWord(tt.key)
		got := ""
		if ok {
			got = wd.s
		}
		if got != tt.want {
			t.Errorf("telexWord(%q) in %q = %q, want %q", tt.key, tt.text, got, tt.want)
		}
	}
}

// TestTelexAllocs: reading a Telex-typed address allocates no more than
// any fresh address (the keys are undone in the state's scratch space).
func TestTelexAllocs(t *testing.T) {
	text := "Xax Phuwowcs Thuaanj, Huyeenj Ninh Phuwowcs, Ninh Thuaanj"
	plain := "Xa Phuoc Thuan, Huyen Ninh Phuoc, Ninh Thuan"
	resolveText(text, false, false)
	resolveText(plain, false, false)
	n := testing.AllocsPerRun(100, func() { resolveText(text, false, false) })
	m := testing.AllocsPerRun(100, func() { resolveText(plain, false, false) })
	if n > m {
		t.Errorf("Telex-typed address: %v allocations, the same without the keys %v", n, m)
	}
}
