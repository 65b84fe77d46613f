package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"golang.org/x/text/encoding/charmap"

	"github.com/dancu-vn/dancu/vn"
)

// newNormalizeCmd is `dancu normalize address|name|date|sex|id`: one value
// per line on stdin, one JSON object per line on stdout. The object shapes
// are a public interface; see each subcommand.
func newNormalizeCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "normalize",
		Short: "normalise names, addresses, dates, sex, ids (one value per line on stdin, JSON lines on stdout)",
	}
	var (
		asOf  string
		evals []string
	)
	addr := &cobra.Command{
		Use:   "address",
		Short: "resolve addresses to administrative units of both eras",
		Example: `  echo "123/4 Nguyễn Trãi, P.2, Q.5, TP.HCM" | dancu normalize address --as-of 2024-05-01
  dancu normalize address --eval testdata/addresses/generated.csv --eval testdata/addresses/handwritten.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(evals) > 0 {
				return evalAddresses(g, evals, g.stdout)
			}
			if _, err := time.Parse("2006-01-02", asOf); err != nil {
				return fmt.Errorf("parse --as-of %q: want YYYY-MM-DD: %w", asOf, err)
			}
			return normalizeAddress(g, g.stdin, g.stdout, asOf)
		},
	}
	addr.Flags().StringVar(&asOf, "as-of", time.Now().Format("2006-01-02"), "date the addresses describe (YYYY-MM-DD); decides the era of bare codes")
	addr.Flags().StringArrayVar(&evals, "eval", nil, "instead of reading stdin, print province/district/commune accuracy on a labelled set (CSV as in testdata/addresses); repeatable")

	var encName, font string
	name := &cobra.Command{
		Use:   "name",
		Short: `split and key names: {"input","family","middle","given","normalized","key","ocr_key"}`,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			in := g.stdin
			enc, ok := vn.ParseEncoding(encName)
			if encName == "auto" {
				var err error
				enc, in, err = detectStdinEncoding(g.stdin, font)
				if err != nil {
					return err
				}
				fmt.Fprintf(g.stderr, "normalize name: input encoding %s\n", enc)
			} else if !ok {
				return fmt.Errorf("parse --encoding %q: want auto, unicode, tcvn3, tcvn3-upper, vni, viqr or windows-1258", encName)
			}
			return eachLine(in, g.stdout, func(s string) any {
				return nameRow(s, decodeLine(enc, s))
			})
		},
	}
	name.Flags().StringVar(&encName, "encoding", "unicode", "encoding of the input text: auto (detect from the first 500 lines), unicode, tcvn3, tcvn3-upper, vni, viqr, windows-1258")
	name.Flags().StringVar(&font, "font", "", "font name of the source column (e.g. .VnTime, VNI-Times), used by --encoding auto")

	var numeric bool
	date := &cobra.Command{
		Use:   "date",
		Short: `parse dates: {"input","iso","year","month","day","precision","swapped","error"}`,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return eachLine(g.stdin, g.stdout, func(s string) any {
				d, err := vn.ParseDateCell(s, numeric)
				out := dateJSON{Input: s, ISO: d.ISO(), Year: d.Year, Month: d.Month, Day: d.Day, Precision: d.Precision, Swapped: d.Swapped}
				if err != nil {
					out.Error = err.Error()
				}
				return out
			})
		},
	}
	date.Flags().BoolVar(&numeric, "numeric", false, "values are numeric spreadsheet cells (Excel serial dates, 1900 system)")

	sex := &cobra.Command{
		Use:   "sex",
		Short: `parse sex: {"input","sex","error"} with sex "M", "F" or ""`,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return eachLine(g.stdin, g.stdout, func(s string) any {
				v, err := vn.ParseSex(s)
				out := sexJSON{Input: s, Sex: v}
				if err != nil {
					out.Error = err.Error()
				}
				return out
			})
		},
	}

	id := &cobra.Command{
		Use:   "id",
		Short: `check identification numbers: {"input","valid","kind","number","province_code","century","sex","birth_year_suffix","error"}`,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return eachLine(g.stdin, g.stdout, func(s string) any { return idJSON{Input: s, ID: vn.ParseID(s)} })
		},
	}
	cmd.AddCommand(addr, name, date, sex, id)
	return cmd
}

type dateJSON struct {
	Input     string `json:"input"`
	ISO       string `json:"iso"`
	Year      int    `json:"year"`
	Month     int    `json:"month"`
	Day       int    `json:"day"`
	Precision string `json:"precision"`
	Swapped   bool   `json:"swapped"`
	Error     string `json:"error"`
}

// nameJSON and idJSON put the input line first, as the other normalisers
// do, so that a line of output can be matched to its input.
type nameJSON struct {
	Input string `json:"input"`
	vn.Name
	// ChildOf and Parent are set for a cell that names a newborn by a
	// parent ("Con bà Nguyễn Thị Lan", vn.ChildOf): the name parts stay
	// empty, as ingest and the matcher read it (no name of the child's own
	// yet), and the parent's name is given here, parsed.
	ChildOf *vn.Name `json:"child_of,omitempty"`
	Parent  string   `json:"parent,omitempty"`
}

// nameRow is one line of `normalize name`: the input as given and the
// decoded text read as the register reads a name cell.
func nameRow(input, text string) nameJSON {
	if parent, who, ok := vn.ChildOf(text); ok {
		p := vn.ParseName(parent)
		row := nameJSON{Input: input, ChildOf: &p, Parent: "unknown"}
		switch who {
		case vn.Mother:
			row.Parent = "mother"
		case vn.Father:
			row.Parent = "father"
		}
		return row
	}
	return nameJSON{Input: input, Name: vn.ParseName(text)}
}

type idJSON struct {
	Input string `json:"input"`
	vn.ID
}

type sexJSON struct {
	Input string `json:"input"`
	Sex   string `json:"sex"`
	Error string `json:"error"`
}

// decodeLine converts one input line in encoding enc to Unicode. A line
// that is not UTF-8 holds the legacy bytes themselves (a CSV saved by an
// old program) and is decoded from bytes.
func decodeLine(enc vn.Encoding, s string) string {
	if utf8.ValidString(s) {
		return vn.Decode(enc, s)
	}
	return vn.DecodeBytes(enc, []byte(s))
}

// detectStdinEncoding reads up to 500 lines of in to decide their encoding
// and returns a reader that replays them before the rest of in.
func detectStdinEncoding(in io.Reader, font string) (vn.Encoding, io.Reader, error) {
	br := bufio.NewReader(in)
	var head bytes.Buffer
	var samples []string
	for len(samples) < 500 {
		line, err := br.ReadString('\n')
		head.WriteString(line)
		if s := strings.TrimRight(line, "\r\n"); s != "" {
			if !utf8.ValidString(s) { // legacy bytes: look at them as Windows-1252
				if b, err := charmap.Windows1252.NewDecoder().String(s); err == nil {
					s = b
				}
			}
			samples = append(samples, s)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return vn.Unicode, nil, fmt.Errorf("read stdin: %w", err)
		}
	}
	return vn.DetectEncoding(samples, font), io.MultiReader(&head, br), nil
}

// eachLine applies f to every line of in (without its line ending) and
// writes the results as JSON lines to out.
func eachLine(in io.Reader, out io.Writer, f func(string) any) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	w := bufio.NewWriter(out)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	line := 0
	for sc.Scan() {
		line++
		s := sc.Text()
		if n := len(s); n > 0 && s[n-1] == '\r' {
			s = s[:n-1]
		}
		if err := enc.Encode(f(s)); err != nil {
			return fmt.Errorf("write line %d: %w", line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read stdin line %d: %w", line+1, err)
	}
	return w.Flush()
}
