package matching

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dancu-vn/dancu/internal/synth"
	"github.com/dancu-vn/dancu/matching/settings"

	"github.com/dancu-vn/dancu/matching/eval"
)

// germanFirst and germanLast are common German names for the held-out
// generator below.
var (
	germanFirst = []string{"Anna", "Maria", "Katharina", "Sophie", "Lena", "Laura", "Julia", "Sarah", "Lisa", "Hannah",
		"Lea", "Emma", "Mia", "Johanna", "Clara", "Paula", "Greta", "Ida", "Marie", "Elisabeth", "Ursula", "Monika",
		"Petra", "Sabine", "Andrea", "Birgit", "Claudia", "Susanne", "Stefanie", "Nicole", "Lukas", "Leon", "Felix",
		"Jonas", "Paul", "Maximilian", "Ben", "Elias", "Noah", "Finn", "Jan", "Tim", "Tobias", "Niklas", "Philipp",
		"Alexander", "David", "Simon", "Florian", "Sebastian", "Michael", "Thomas", "Andreas", "Stefan", "Peter",
		"Wolfgang", "Klaus", "Jürgen", "Dieter", "Hans", "Uwe", "Frank", "Markus", "Christian", "Matthias"}
	germanLast = []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
		"Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann",
		"Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier", "Lehmann",
		"Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber", "Kaiser", "Fuchs",
		"Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Schubert", "Vogel", "Friedrich", "Keller",
		"Günther", "Frank", "Berger", "Winkler", "Roth", "Beck", "Lorenz", "Baumann", "Franke", "Albrecht", "Schuster",
		"Simon", "Ludwig", "Böhm", "Winter", "Kraus", "Martin", "Schumacher", "Krämer", "Vogt", "Stein", "Jäger", "Otto",
		"Sommer", "Groß", "Seidel", "Heinrich", "Brandt", "Haas", "Schreiber", "Graf", "Schulte", "Dietrich", "Ziegler",
		"Kuhn", "Kühn", "Pohl", "Engel", "Horn", "Busch", "Bergmann", "Thomas", "Voigt", "Sauer", "Arnold", "Wolff", "Pfeiffer"}
	germanCities = []struct{ name, zip string }{{"Berlin", "10115"}, {"Hamburg", "20095"}, {"München", "80331"}, {"Köln", "50667"},
		{"Frankfurt", "60311"}, {"Stuttgart", "70173"}, {"Düsseldorf", "40213"}, {"Leipzig", "04109"}, {"Dortmund", "44135"},
		{"Essen", "45127"}, {"Bremen", "28195"}, {"Dresden", "01067"}, {"Hannover", "30159"}, {"Nürnberg", "90402"},
		{"Duisburg", "47051"}, {"Bochum", "44787"}, {"Wuppertal", "42103"}, {"Bielefeld", "33602"}, {"Bonn", "53111"},
		{"Münster", "48143"}, {"Mannheim", "68159"}, {"Karlsruhe", "76133"}, {"Augsburg", "86150"}, {"Wiesbaden", "65183"}}
)

// germanDedupe writes a held-out dedupe in the shape of the issue's
// German-name set, generated here and never used to write settings:
// persons with first and last name, year, month and day of birth in
// separate columns, city and postcode; a share dupRate of the records are
// duplicates of another with one to three errors (typos, a day or a
// month changed, day and month swapped, a year off, a value written NA or
// -, a month as a name, a two-digit year, first and last name swapped, a
// moved person's other city). Truth is the cluster column.
func germanDedupe(n int, dupRate float64, seed int64) *Table {
	r := rand.New(rand.NewSource(seed))
	typo := func(s string) string { return synth.KeyboardSlip(r, s, 4, "aeinrstlhu") }
	t := &Table{Header: []string{"id", "first_name", "last_name", "birth_year", "birth_month", "birth_day", "city", "zip", "cluster"}}
	var people [][]string
	nOrig := int(float64(n) * (1 - dupRate))
	for i := 0; i < nOrig; i++ {
		c := germanCities[r.Intn(len(germanCities))]
		row := []string{fmt.Sprintf("r%d", i), germanFirst[r.Intn(len(germanFirst))], germanLast[r.Intn(len(germanLast))],
			strconv.Itoa(1930 + r.Intn(75)), strconv.Itoa(1 + r.Intn(12)), strconv.Itoa(1 + r.Intn(28)), c.name, c.zip, strconv.Itoa(i)}
		people = append(people, row)
		t.Rows = append(t.Rows, row)
	}
	for i := nOrig; i < n; i++ {
		src := people[r.Intn(len(people))]
		row := append([]string(nil), src...)
		row[0] = fmt.Sprintf("r%d", i)
		for e := 1 + r.Intn(3); e > 0; e-- {
			switch r.Intn(11) {
			case 0:
				row[1] = typo(row[1])
			case 1, 2:
				row[2] = typo(row[2])
			case 3:
				row[5] = strconv.Itoa(1 + r.Intn(28))
			case 4:
				row[4], row[5] = row[5], row[4]
			case 5:
				y, _ := strconv.Atoi(row[3])
				row[3] = strconv.Itoa(y + 1 - 2*r.Intn(2))
			case 6:
				row[3+r.Intn(5)] = []string{"NA", "-", ""}[r.Intn(3)]
			case 7:
				if m, err := strconv.Atoi(row[4]); err == nil && m >= 1 && m <= 12 {
					row[4] = []string{"", "January", "February", "March", "April", "May", "June", "July", "August",
						"September", "October", "November", "December"}[m]
				}
			case 8:
				if len(row[3]) == 4 {
					row[3] = row[3][2:]
				}
			case 9:
				row[1], row[2] = row[2], row[1]
			default:
				c := germanCities[r.Intn(len(germanCities))]
				row[6], row[7] = c.name, c.zip
			}
		}
		t.Rows = append(t.Rows, row)
	}
	r.Shuffle(len(t.Rows), func(i, j int) { t.Rows[i], t.Rows[j] = t.Rows[j], t.Rows[i] })
	return t
}

// TestHeldOutGermanDedupe links the held-out German-style dedupe with
// settings written once from the docs (testdata/benchmarks/heldout) and
// the blind threshold. The settings and the 0.93 gate were fixed
// before the first score; the score was 0.50 and is reported in
// RESULTS.md. The default run checks that training says why it may fool
// itself: the city and its postcode are two comparisons of one fact,
// which training finds and folds (Model.Folded); DANCU_HELDOUT=1 also
// applies the gate.
func TestHeldOutGermanDedupe(t *testing.T) {
	tb := germanDedupe(10_000, 0.1, 20261203)
	m, res := linkScore(t, filepath.Join("..", "testdata", "benchmarks", "heldout", "german.yaml"), tb, 0, 8)
	t.Logf("held-out German-style dedupe, 10,000 records: P %.4f R %.4f F1 %.4f\n%s", m.Precision, m.Recall, m.F1, res.Train)
	if !strings.Contains(strings.Join(res.Train.Warnings, "\n"), "comparisons city and zip record one fact") {
		t.Errorf("training does not warn that city and zip record one fact: %v", res.Train.Warnings)
	}
	if len(res.Settings.Model.Folded) != 1 || res.Settings.Model.Folded[0].Comparison != "zip" {
		t.Errorf("folded %+v, want zip into city", res.Settings.Model.Folded)
	}
	if os.Getenv("DANCU_HELDOUT") != "" && m.F1 < 0.93 {
		t.Errorf("pairwise F1 %.4f < 0.93", m.F1)
	}
}

// TestGermanDevSets links the development German-style dedupes (seeds 1
// to 3, never the held-out seed) with the development settings of
// testdata/benchmarks/dev — city and postcode as two comparisons, and as
// one — and prints their scores (RESULTS.md). It runs with
// DANCU_GERMAN_DEV=1 and gates nothing: these sets were tuned on.
func TestGermanDevSets(t *testing.T) {
	if os.Getenv("DANCU_GERMAN_DEV") == "" {
		t.Skip("set DANCU_GERMAN_DEV=1")
	}
	for _, file := range []string{"german_dev.yaml", "german_dev_one.yaml"} {
		for _, seed := range []int64{1, 2, 3} {
			tb := germanDedupe(10_000, 0.1, seed)
			m, res := linkScore(t, filepath.Join("..", "testdata", "benchmarks", "dev", file), tb, 0, 8)
			t.Logf("%s seed %d: P %.4f R %.4f F1 %.4f (true pairs %d; model λ %.0f matching pairs)", file, seed,
				m.Precision, m.Recall, m.F1, m.TruePairs, res.Settings.Model.LambdaGlobal*float64(res.Train.TotalPairs))
		}
	}
}

// linkScore links table tb (ids in column id, truth in column truth) with
// the settings file path and returns its pairwise scores and the result.
func linkScore(t *testing.T, path string, tb *Table, id, truth int) (eval.Metrics, *Result) {
	t.Helper()
	s, err := settings.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	f := NewFrame(s)
	if err := AddTable(f, tb, &Mapping{ID: tb.Header[id]}, 0); err != nil {
		t.Fatal(err)
	}
	res, err := Link(context.Background(), f, s)
	if err != nil {
		t.Fatal(err)
	}
	want, got := map[string]string{}, map[string]string{}
	for _, row := range tb.Rows {
		want[row[id]] = row[truth]
	}
	for i := 0; i < f.Len(); i++ {
		got[f.ID(i)] = fmt.Sprint(res.Clusters.Of[i])
	}
	return eval.Clusters(want, got), res
}

// TestDevSetsFromDocs links issue 12's third-round development sets, each
// with settings written once from the docs (testdata/benchmarks/dev) and
// never revised after scoring, and prints their scores (RESULTS.md):
//   - German-style (germanDedupe) with the round-1 held-out settings on
//     seeds 101 and 102, and with german_newdocs.yaml (written from the
//     blocking section) on seed 111, evaluated once;
//   - historical persons (synth.Historical, 50,000 records, 15%
//     duplicates) with historical_first.yaml (docs before the blocking
//     section) on seed 201 and historical_newdocs.yaml on seed 211,
//     evaluated once;
//   - fake_1000's shape at 20,000 records (synth.FakeStyle, 5,000
//     people) with the shipped fake_1000 settings, seeds 301 and 311
//     (FakeStyle's profile has since been remade from the public file:
//     these seeds no longer give the third round's sets).
//
// It runs with DANCU_DEV_SETS=1 and gates nothing: the first-written
// figures were looked at while changing the engine.
func TestDevSetsFromDocs(t *testing.T) {
	if os.Getenv("DANCU_DEV_SETS") == "" {
		t.Skip("set DANCU_DEV_SETS=1")
	}
	dev := filepath.Join("..", "testdata", "benchmarks", "dev")
	type run struct {
		name, settings string
		table          func() *Table
		id, truth      int
	}
	german := func(seed int64) func() *Table { return func() *Table { return germanDedupe(10_000, 0.1, seed) } }
	hist := func(seed int64) func() *Table {
		return func() *Table {
			ps := synth.Historical(50_000, 0.15, seed)
			return &Table{Header: ps.Header, Rows: ps.Rows}
		}
	}
	fake := func(seed int64) func() *Table {
		return func() *Table { ps := synth.FakeStyle(5_000, seed); return &Table{Header: ps.Header, Rows: ps.Rows} }
	}
	heldout := filepath.Join("..", "testdata", "benchmarks", "heldout", "german.yaml")
	for _, r := range []run{
		{"german seed 101, round-1 settings", heldout, german(101), 0, 8},
		{"german seed 102, round-1 settings", heldout, german(102), 0, 8},
		{"german seed 111, german_newdocs", filepath.Join(dev, "german_newdocs.yaml"), german(111), 0, 8},
		{"historical seed 201, historical_first", filepath.Join(dev, "historical_first.yaml"), hist(201), 0, 7},
		{"historical seed 211, historical_newdocs", filepath.Join(dev, "historical_newdocs.yaml"), hist(211), 0, 7},
		{"fake_1000-style seed 301, shipped fake_1000", filepath.Join("settings", "fake_1000.yaml"), fake(301), 0, 6},
		{"fake_1000-style seed 311, shipped fake_1000", filepath.Join("settings", "fake_1000.yaml"), fake(311), 0, 6},
	} {
		if p := os.Getenv("DANCU_DEV_SET"); p != "" && !strings.Contains(r.name, p) {
			continue
		}
		logLinkScore(t, r.name, r.settings, r.table(), r.id, r.truth)
	}
}

// TestFreshSettings4 scores issue 12's fourth-round fresh settings, each
// written once from SETTINGS.md before its set was generated, on seeds no
// earlier round used, once (RESULTS.md): German-style (germanDedupe seed
// 121, german_fresh4.yaml), historical persons (synth.Historical 50,000
// records seed 221, historical_fresh4.yaml) and fake_1000's profile at
// 20,000 records (synth.FakeStyle 5,000 people seed 321, with
// fake1000_fresh4.yaml and with the shipped fake_1000 settings). It runs
// with DANCU_FRESH4=1 and gates nothing.
func TestFreshSettings4(t *testing.T) {
	if os.Getenv("DANCU_FRESH4") == "" {
		t.Skip("set DANCU_FRESH4=1")
	}
	dev := filepath.Join("..", "testdata", "benchmarks", "dev")
	hist := synth.Historical(50_000, 0.15, 221)
	fake := synth.FakeStyle(5_000, 321)
	for _, r := range []struct {
		name, settings string
		tb             *Table
		id, truth      int
	}{
		{"german seed 121, german_fresh4", filepath.Join(dev, "german_fresh4.yaml"), germanDedupe(10_000, 0.1, 121), 0, 8},
		{"historical seed 221, historical_fresh4", filepath.Join(dev, "historical_fresh4.yaml"), &Table{Header: hist.Header, Rows: hist.Rows}, 0, 7},
		{"fake_1000-style seed 321, fake1000_fresh4", filepath.Join(dev, "fake1000_fresh4.yaml"), &Table{Header: fake.Header, Rows: fake.Rows}, 0, 6},
		{"fake_1000-style seed 321, shipped fake_1000", filepath.Join("settings", "fake_1000.yaml"), &Table{Header: fake.Header, Rows: fake.Rows}, 0, 6},
	} {
		logLinkScore(t, r.name, r.settings, r.tb, r.id, r.truth)
	}
}

// TestFreshSettings5 scores issue 12's fifth round once on seeds no
// earlier round used (RESULTS.md): German-style (germanDedupe seed 141),
// historical persons (synth.Historical 50,000 records seed 241) and
// fake_1000's profile at 20,000 records (synth.FakeStyle 5,000 people
// seed 341), each with the fourth round's fresh settings (written before
// this round's engine changes and never revised) and the fifth round's
// (the fourth's plus step 6 of the docs' blocking section), and the
// fake_1000-style set with the shipped fake_1000 settings too. It runs
// with DANCU_FRESH5=1 and gates nothing.
func TestFreshSettings5(t *testing.T) {
	if os.Getenv("DANCU_FRESH5") == "" {
		t.Skip("set DANCU_FRESH5=1")
	}
	freshRound5(t, 141, 241, 341)
}

// TestFreshSettings5b is TestFreshSettings5 on seeds 151, 251 and 351,
// run once with the round's final engine (the fit of year_span guards by
// year gaps, average linkage refusing joins most of whose cross pairs
// share no key), after seeds 141/241/341 had shown the earlier engine's
// faults (RESULTS.md). It runs with DANCU_FRESH5B=1 and gates nothing.
func TestFreshSettings5b(t *testing.T) {
	if os.Getenv("DANCU_FRESH5B") == "" {
		t.Skip("set DANCU_FRESH5B=1")
	}
	freshRound5(t, 151, 251, 351)
}

// freshRound5 links the German-style, historical and fake_1000-style sets
// of the given seeds with the fourth and fifth rounds' fresh settings (and
// the fake_1000-style set with the shipped fake_1000 settings) and logs
// each score, the estimated blocking recall and the fitted guards.
func freshRound5(t *testing.T, germanSeed, histSeed, fakeSeed int64) {
	t.Helper()
	dev := filepath.Join("..", "testdata", "benchmarks", "dev")
	german := germanDedupe(10_000, 0.1, germanSeed)
	hist := synth.Historical(50_000, 0.15, histSeed)
	fake := synth.FakeStyle(5_000, fakeSeed)
	histT := &Table{Header: hist.Header, Rows: hist.Rows}
	fakeT := &Table{Header: fake.Header, Rows: fake.Rows}
	for _, r := range []struct {
		name, settings string
		tb             *Table
		id, truth      int
	}{
		{fmt.Sprintf("german seed %d, german_fresh4", germanSeed), filepath.Join(dev, "german_fresh4.yaml"), german, 0, 8},
		{fmt.Sprintf("german seed %d, german_fresh5", germanSeed), filepath.Join(dev, "german_fresh5.yaml"), german, 0, 8},
		{fmt.Sprintf("historical seed %d, historical_fresh4", histSeed), filepath.Join(dev, "historical_fresh4.yaml"), histT, 0, 7},
		{fmt.Sprintf("historical seed %d, historical_fresh5", histSeed), filepath.Join(dev, "historical_fresh5.yaml"), histT, 0, 7},
		{fmt.Sprintf("fake_1000-style seed %d, fake1000_fresh4", fakeSeed), filepath.Join(dev, "fake1000_fresh4.yaml"), fakeT, 0, 6},
		{fmt.Sprintf("fake_1000-style seed %d, fake1000_fresh5", fakeSeed), filepath.Join(dev, "fake1000_fresh5.yaml"), fakeT, 0, 6},
		{fmt.Sprintf("fake_1000-style seed %d, shipped fake_1000", fakeSeed), filepath.Join("settings", "fake_1000.yaml"), fakeT, 0, 6},
	} {
		logLinkScore(t, r.name, r.settings, r.tb, r.id, r.truth)
	}
}

// TestFreshSettings6 scores issue 12's sixth-round fresh settings
// (testdata/benchmarks/dev/*_fresh6.yaml), written by someone who saw only
// SETTINGS.md, dancu settings doc and unlabeled sample rows, never the
// engine or a score, on seeds no earlier round used: German-style
// (germanDedupe seed 161), historical persons (synth.Historical 50,000
// records seed 261) and fake_1000's profile at 20,000 records
// (synth.FakeStyle 5,000 people seed 361), and the last set with the
// shipped fake_1000 settings too. It was run once, after the round's last
// engine change (5b0dc3c, RESULTS.md): F1 German 0.9487, historical
// 0.9899, fake_1000-style 0.9216 with fake1000_fresh6 (target 0.93 not
// met) and 0.9082 with the shipped settings. It runs with DANCU_FRESH6=1
// and gates nothing.
func TestFreshSettings6(t *testing.T) {
	if os.Getenv("DANCU_FRESH6") == "" {
		t.Skip("set DANCU_FRESH6=1")
	}
	freshSettings6(t, 161, 261, 361)
}

// TestFreshSettings6b scores the same fresh settings as TestFreshSettings6
// on seeds fixed before any of them was run and never used by an earlier
// round: German-style seed 162, historical seed 262, fake_1000's profile
// seed 362 (with fake1000_fresh6 and the shipped fake_1000 settings). It
// was run once, after the seventh round's engine change (the dependence
// counted on pairs agreeing exactly; 68af1ff, RESULTS.md): F1 German
// 0.9459, historical 0.9883, fake_1000-style 0.9291 with fake1000_fresh6
// (target 0.93 not met) and 0.9098 with the shipped settings. It runs with
// DANCU_FRESH6B=1 and gates nothing.
func TestFreshSettings6b(t *testing.T) {
	if os.Getenv("DANCU_FRESH6B") == "" {
		t.Skip("set DANCU_FRESH6B=1")
	}
	freshSettings6(t, 162, 262, 362)
}

// TestFreshSettings6c scores the same fresh settings on seeds fixed
// before any of them was run and never used by an earlier round:
// German-style seed 163, historical seed 263, fake_1000's profile seed 363
// (with fake1000_fresh6 and the shipped fake_1000 settings). It was run
// once, after the eighth round's engine change (average linkage counts a
// cross pair once per blocking rule proposing it; f90833b, RESULTS.md):
// F1 German 0.9550, historical 0.9883, fake_1000-style 0.9260 with
// fake1000_fresh6 (target 0.93 not met) and 0.9086 with the shipped
// settings. It runs with DANCU_FRESH6C=1 and gates nothing.
func TestFreshSettings6c(t *testing.T) {
	if os.Getenv("DANCU_FRESH6C") == "" {
		t.Skip("set DANCU_FRESH6C=1")
	}
	freshSettings6(t, 163, 263, 363)
}

// TestFreshSettings6d scores the same fresh settings on seeds fixed
// before any of them was run and never used by an earlier round:
// German-style seed 164, historical seed 264, fake_1000's profile seed 364
// (with fake1000_fresh6 and the shipped fake_1000 settings), once, after
// the ninth round's engine change (a single record is never refused for
// too few compared cross pairs; RESULTS.md). The docs changed in that
// round only in their description of clustering, which no setting
// follows, so the settings are the sixth round's as written. It was run
// once (b1d7647): F1 German 0.9476, historical 0.9915, fake_1000-style
// 0.9343 with fake1000_fresh6 (target 0.93 met) and 0.9133 with the
// shipped settings. It runs with DANCU_FRESH6D=1 and gates nothing.
func TestFreshSettings6d(t *testing.T) {
	if os.Getenv("DANCU_FRESH6D") == "" {
		t.Skip("set DANCU_FRESH6D=1")
	}
	freshSettings6(t, 164, 264, 364)
}

// TestFreshSettings6e scores the same fresh settings on seeds fixed
// before any of them was run and never used by an earlier round:
// German-style seed 165, historical seed 265, fake_1000's profile seed 365
// (with fake1000_fresh6 and the shipped fake_1000 settings), once, after
// the tenth round's engine change (average linkage judged with what each
// cluster's records agree on; RESULTS.md). The docs changed in that round
// only in their description of clustering, which no setting follows, so
// the settings are the sixth round's as written. It was run once
// (e412f72): F1 German 0.9438, historical 0.9882, fake_1000-style 0.9452
// with fake1000_fresh6 (target 0.93 met) and 0.9260 with the shipped
// settings. It runs with DANCU_FRESH6E=1 and gates nothing.
func TestFreshSettings6e(t *testing.T) {
	if os.Getenv("DANCU_FRESH6E") == "" {
		t.Skip("set DANCU_FRESH6E=1")
	}
	freshSettings6(t, 165, 265, 365)
}

// freshSettings6 links the sixth round's fresh settings on a German-style
// set, a historical one and fake_1000's profile at 20,000 records (also
// with the shipped settings) of the seeds given, and prints their scores.
func freshSettings6(t *testing.T, germanSeed, histSeed, fakeSeed int64) {
	dev := filepath.Join("..", "testdata", "benchmarks", "dev")
	hist := synth.Historical(50_000, 0.15, histSeed)
	fake := synth.FakeStyle(5_000, fakeSeed)
	fakeT := &Table{Header: fake.Header, Rows: fake.Rows}
	for _, r := range []struct {
		name, settings string
		tb             *Table
		id, truth      int
	}{
		{fmt.Sprintf("german seed %d, german_fresh6", germanSeed), filepath.Join(dev, "german_fresh6.yaml"), germanDedupe(10_000, 0.1, germanSeed), 0, 8},
		{fmt.Sprintf("historical seed %d, historical_fresh6", histSeed), filepath.Join(dev, "historical_fresh6.yaml"), &Table{Header: hist.Header, Rows: hist.Rows}, 0, 7},
		{fmt.Sprintf("fake_1000-style seed %d, fake1000_fresh6", fakeSeed), filepath.Join(dev, "fake1000_fresh6.yaml"), fakeT, 0, 6},
		{fmt.Sprintf("fake_1000-style seed %d, shipped fake_1000", fakeSeed), filepath.Join("settings", "fake_1000.yaml"), fakeT, 0, 6},
	} {
		logLinkScore(t, r.name, r.settings, r.tb, r.id, r.truth)
	}
}

// TestFreshSettings7 scores issue 12's seventh round once (RESULTS.md):
// settings written by a newcomer from README's settings sections,
// SETTINGS.md and `dancu settings doc` alone (after acc38's levels), and
// committed before any score, on seeds fixed beforehand that no earlier
// round used: German-style (germanDedupe 10,000 records seed 171),
// historical persons (synth.Historical 50,000 records seed 271) and
// fake_1000's profile at 20,000 records (synth.FakeStyle 5,000 people seed
// 371), the last also with the shipped fake_1000 settings. It logs and
// gates nothing: run by hand (DANCU_FRESH7=1).
func TestFreshSettings7(t *testing.T) {
	if os.Getenv("DANCU_FRESH7") == "" {
		t.Skip("set DANCU_FRESH7=1")
	}
	dev := filepath.Join("..", "testdata", "benchmarks", "dev")
	hist := synth.Historical(50_000, 0.15, 271)
	fake := synth.FakeStyle(5_000, 371)
	fakeT := &Table{Header: fake.Header, Rows: fake.Rows}
	for _, r := range []struct {
		name, settings string
		tb             *Table
		id, truth      int
	}{
		{"german seed 171, german_fresh7", filepath.Join(dev, "german_fresh7.yaml"), germanDedupe(10_000, 0.1, 171), 0, 8},
		{"historical seed 271, historical_fresh7", filepath.Join(dev, "historical_fresh7.yaml"), &Table{Header: hist.Header, Rows: hist.Rows}, 0, 7},
		{"fake_1000-style seed 371, fake1000_fresh7", filepath.Join(dev, "fake1000_fresh7.yaml"), fakeT, 0, 6},
		{"fake_1000-style seed 371, shipped fake_1000", filepath.Join("settings", "fake_1000.yaml"), fakeT, 0, 6},
	} {
		logLinkScore(t, r.name, r.settings, r.tb, r.id, r.truth)
	}
}

// logLinkScore links table tb with the settings file, scores it against
// its truth column and logs the score with the model's λ (matching pairs
// in all and per record), training's estimate of blocking recall and the
// guards it fitted.
func logLinkScore(t *testing.T, name, settingsFile string, tb *Table, id, truth int) {
	t.Helper()
	m, res := linkScore(t, settingsFile, tb, id, truth)
	extra := ""
	if c := res.Train.Coverage; c != nil {
		extra = fmt.Sprintf("; estimated blocking recall %.3f", c.Recall)
	}
	for _, g := range res.Train.Guards {
		extra += fmt.Sprintf("; guard %s %s max %d broken by %.4f, applied as %d", g.Kind, g.Column, g.Max, g.Broken, g.Fitted)
	}
	lambda := res.Settings.Model.LambdaGlobal * float64(res.Train.TotalPairs)
	t.Logf("%s: %d records, P %.4f R %.4f F1 %.4f (true pairs %d; model λ %.0f matching pairs, %.2f per record%s)", name, len(tb.Rows),
		m.Precision, m.Recall, m.F1, m.TruePairs, lambda, lambda/float64(len(tb.Rows)), extra)
}
