package report_test

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"math"
	"os"
	"os/exec"
	"strings"
	"testing"
	"unicode/utf16"

	"parktwin/scenarios/report"
)

func renderPDF(t *testing.T, r *report.Report, lang string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := report.PDF(&buf, r, lang); err != nil {
		t.Fatalf("PDF(%q): %v", lang, err)
	}
	return buf.Bytes()
}

// TestPDFGolden pins the PDF's bytes by their sha256: a PDF is no text to
// diff, and TestPDFText says what must be in it. When a change is meant,
// look at the new PDF (pdftoppm -png turns it into pages), then
//
//	go test ./scenarios/report/ -run PDFGolden -update
func TestPDFGolden(t *testing.T) {
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			sum := sha256.Sum256(renderPDF(t, chlorineReport(t), lang))
			golden(t, "chlorine."+lang+".pdf.sha256.golden", []byte(hex.EncodeToString(sum[:])+"\n"))
		})
	}
}

func TestPDFDeterministic(t *testing.T) {
	a := renderPDF(t, chlorineReport(t), "zh")
	b := renderPDF(t, chlorineReport(t), "zh")
	if !bytes.Equal(a, b) {
		t.Fatalf("two renders of one report differ (%d and %d bytes)", len(a), len(b))
	}
	if !bytes.HasPrefix(a, []byte("%PDF-")) || !bytes.HasSuffix(bytes.TrimSpace(a), []byte("%%EOF")) {
		t.Errorf("not a whole PDF: starts %q, ends %q", a[:8], a[len(a)-8:])
	}
}

// TestPDFText reads the PDF's streams: the text of every section is in
// the pages, in the embedded font, and the font is embedded as a subset.
func TestPDFText(t *testing.T) {
	common := []string{
		"液氯罐区夜间泄漏", "Chlorine leak at a tank farm at night",
		"2026-12-01 02:30:00 +08:00", "15:00 / 2:00:00",
		"报警 ALM-000031 已确认", "值班长 王磊", "VEH-05-02", "12:40", "1:40", "6:40",
		"WH02-DET-011, WH02-DET-012", "堵漏工具包（leak-sealing-kit）：WH-02 的 1 套已过期，缺 1 套",
		"INC-0001 氯气泄漏 TNK-0002-06", "1 km",
	}
	tests := []struct {
		lang string
		want []string
	}{
		{"zh", []string{"演练评估报告", "考核要点", "时间线", "出动车辆与响应时间", "调用物资", "不足与缺口", "事件与路线图", "P90（3 辆）", "达成", "未达成", "待定"}},
		{"en", []string{"Drill after-action report", "Expectations", "Timeline", "Units and response times", "Equipment", "Shortfalls", "Map of incidents and routes", "P90 (3 units)", "met", "missed", "pending"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			pdf := renderPDF(t, chlorineReport(t), tt.lang)
			streams := pdfStreams(pdf)
			for _, w := range append(common, tt.want...) {
				if !containsText(streams, w) {
					t.Errorf("no page shows %q", w)
				}
			}
			// The titles are printed whole under the report's name, not
			// only in the footer's "name · title".
			for _, w := range []string{"液氯罐区夜间泄漏", "Chlorine leak at a tank farm at night"} {
				if !containsText(streams, "("+w+")Tj") {
					t.Errorf("the title %q is not printed on its own", w)
				}
			}
			for _, w := range []string{"/FontFile2", "/BaseFont /utf8wenquanyimicrohei", "/ToUnicode", "/Subtype /CIDFontType2"} {
				if !bytes.Contains(pdf, []byte(w)) {
					t.Errorf("the PDF lacks %s: the font is not embedded", w)
				}
			}
			if !hasTrueType(streams) {
				t.Error("no stream is a TrueType font")
			}
			// The whole font is 4.6 MB: a subset of the glyphs used is a few dozen KB.
			if len(pdf) > 300_000 {
				t.Errorf("the PDF is %d bytes: the font is not subset", len(pdf))
			}
		})
	}
}

// TestPDFTextExtracted reads the PDF as a reader's tool would, where
// poppler's pdftotext is installed.
func TestPDFTextExtracted(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext is not installed: .ci/run installs poppler-utils")
		}
		t.Skip("pdftotext is not installed")
	}
	cmd := exec.Command("pdftotext", "-", "-")
	cmd.Stdin = bytes.NewReader(renderPDF(t, chlorineReport(t), "zh"))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	for _, w := range []string{"液氯罐区夜间泄漏", "Chlorine leak at a tank farm at night", "考核要点", "值班长 王磊", "P90（3 辆）"} {
		if !strings.Contains(string(out), w) {
			t.Errorf("pdftotext finds no %q", w)
		}
	}
}

// TestPDFHostile feeds the PDF what users and broken recorders could: runes
// past U+FFFF, control characters, a line of text longer than a page, a
// route with no numbers, no map bounds.
func TestPDFHostile(t *testing.T) {
	r := chlorineReport(t)
	r.Timeline[0].What = "泄漏 🚒🧯 (已确认)\n第二行\t\x00\x07 \\ ) ("
	r.Timeline[1].What = strings.Repeat("很长的描述 long text ", 400)
	r.Title.En = "emoji 🔥"
	r.Map.Bounds = [4]float64{}
	r.Map.Routes = append(r.Map.Routes, report.Route{Vehicle: "VEH-X", Line: [][2]float64{{math.NaN(), 30.1}, {math.Inf(1), 30.2}}})
	r.Map.Incidents = append(r.Map.Incidents, report.Place{Label: "🚨", Point: [2]float64{120.80, 30.14}})
	for i := range 80 { // the timeline runs onto more pages
		r.Timeline = append(r.Timeline, report.Event{At: report.Seconds(900 + i), Kind: report.EventAction, What: "操作 action"})
	}
	for _, lang := range []string{"zh", "en"} {
		pdf := renderPDF(t, r, lang)
		if !containsText(pdfStreams(pdf), "泄漏 ?? (已确认) 第二行") {
			t.Errorf("%s: the cleaned text is not on the page", lang)
		}
	}
	if err := report.PDF(io.Discard, nil, "zh"); err == nil {
		t.Error("PDF(nil) gave no error")
	}
	empty := renderPDF(t, &report.Report{Kind: "replay"}, "en")
	if !containsText(pdfStreams(empty), "No map data.") {
		t.Error("an empty report's PDF does not say it has no map")
	}
}

// pdfStreams returns the PDF's streams, inflated where they are
// compressed, as they are.
func pdfStreams(pdf []byte) [][]byte {
	var out [][]byte
	for i := 0; ; {
		j := bytes.Index(pdf[i:], []byte("stream\n"))
		if j < 0 {
			return out
		}
		start := i + j + len("stream\n")
		i = start
		if bytes.HasSuffix(pdf[:start-len("stream\n")], []byte("end")) {
			continue // "endstream\n"
		}
		zr, err := zlib.NewReader(bytes.NewReader(pdf[start:]))
		if err == nil {
			if b, err := io.ReadAll(zr); err == nil {
				out = append(out, b)
				continue
			}
		}
		if end := bytes.Index(pdf[start:], []byte("endstream")); end >= 0 {
			out = append(out, pdf[start:start+end])
		}
	}
}

// containsText says whether a stream shows s in the embedded font, which
// fpdf writes as UTF-16BE in a PDF string, with \, ( and ) escaped. A "("
// that begins s and a ")Tj" that ends it are the string's own delimiters,
// to match a whole run of text.
func containsText(streams [][]byte, s string) bool {
	var b bytes.Buffer
	open, body, end := "", s, ""
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")Tj") {
		open, body, end = "(", s[1:len(s)-len(")Tj")], ")Tj"
	}
	b.WriteString(open)
	for _, u := range utf16.Encode([]rune(body)) {
		for _, c := range []byte{byte(u >> 8), byte(u)} {
			if c == '\\' || c == '(' || c == ')' {
				b.WriteByte('\\')
			}
			if c == '\r' {
				b.WriteString(`\r`)
				continue
			}
			b.WriteByte(c)
		}
	}
	b.WriteString(end)
	for _, st := range streams {
		if bytes.Contains(st, b.Bytes()) {
			return true
		}
	}
	return false
}

// hasTrueType says whether a stream is a TrueType font file.
func hasTrueType(streams [][]byte) bool {
	for _, st := range streams {
		if bytes.HasPrefix(st, []byte{0, 1, 0, 0}) {
			return true
		}
	}
	return false
}

// TestPDFConcurrent renders at once from several goroutines, as a server
// does: the embedded font is shared and must not be written to.
func TestPDFConcurrent(t *testing.T) {
	want := renderPDF(t, chlorineReport(t), "zh")
	errs := make(chan error, 4) // one a goroutine: none blocks
	for range 4 {
		go func() {
			var buf bytes.Buffer
			err := report.PDF(&buf, chlorineReport(t), "zh")
			if err == nil && !bytes.Equal(buf.Bytes(), want) {
				err = errors.New("a concurrent render differs")
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
