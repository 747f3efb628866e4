package report_test

import (
	"bytes"
	"html"
	"strings"
	"testing"

	"parktwin/scenarios/report"
)

func renderHTML(t *testing.T, r *report.Report, lang string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := report.HTML(&buf, r, lang); err != nil {
		t.Fatalf("HTML(%q): %v", lang, err)
	}
	return buf.String()
}

func TestHTMLGolden(t *testing.T) {
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			golden(t, "chlorine."+lang+".html.golden", []byte(renderHTML(t, chlorineReport(t), lang)))
		})
	}
}

// TestHTMLSections names what each page must hold, so that a golden file
// rewritten in haste cannot hide a section gone missing.
func TestHTMLSections(t *testing.T) {
	common := []string{
		"液氯罐区夜间泄漏", "Chlorine leak at a tank farm at night", // both titles, whatever the language
		`id="expectations"`, `id="timeline"`, `id="units"`, `id="equipment"`, `id="shortfalls"`, `id="map"`,
		"2026-12-01 02:30:00 +08:00", // the start in the park's zone
		"15:00 / 2:00:00",            // elapsed / duration
		`class="st-met"`, `class="st-missed"`, `class="st-pending"`,
		"0:28", "12:00", "12:40", "5:00", // took, missed at, on scene, a target
		"VEH-05-02", "1:40", "5:50", "6:40", // the unit not on scene; the P90s
		"演练开始：夜班值守。", "值班长 王磊",
		"WH01-SCBA-004 … (+2)", "0.5 套",
		"堵漏工具包（leak-sealing-kit）",
		"<svg", "INC-0001 氯气泄漏 TNK-0002-06", "1 km",
		"@media print",
	}
	tests := []struct {
		lang string
		want []string
	}{
		{"zh", []string{"<h1>液氯罐区夜间泄漏</h1>", `<p class="subtitle">Chlorine leak at a tank farm at night</p>`, `lang="zh-CN"`, "演练评估报告", "考核要点", "时间线", "P90（3 辆）", "报警确认", "达成", "未达成", "待定", "暂停", "III 级"}},
		{"en", []string{"<h1>Chlorine leak at a tank farm at night</h1>", `<p class="subtitle">液氯罐区夜间泄漏</p>`, `lang="en"`, "Drill after-action report", "Expectations", "Timeline", "P90 (3 units)", "alarm acknowledged", "missed", "pending", "paused", "level III"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			page := renderHTML(t, chlorineReport(t), tt.lang)
			got := html.UnescapeString(page) // html/template writes "+" as "&#43;"
			for _, w := range append(common, tt.want...) {
				if !strings.Contains(got, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			if n := strings.Count(got, "<polyline"); n != 3 {
				t.Errorf("%d routes drawn, want 3", n)
			}
			if n := strings.Count(got, `<circle class="incident"`); n != 1 {
				t.Errorf("%d incidents drawn, want 1", n)
			}
		})
	}
}

// TestHTMLEscapes feeds the page what a user could type into a name.
func TestHTMLEscapes(t *testing.T) {
	r := chlorineReport(t)
	r.Timeline[1].What = `<script>alert("x")</script>`
	r.Timeline[3].By = `"><img src=x onerror=alert(1)>`
	r.Map.Incidents[0].Label = `</text><script>alert(2)</script>`
	r.Map.Routes[0].Vehicle = `VEH" onmouseover="alert(3)`
	r.Title.Zh = "<b>泄漏</b>"
	got := renderHTML(t, r, "zh")
	for _, bad := range []string{"<script>", "<img", "<b>泄漏", `onmouseover="alert`} {
		if strings.Contains(got, bad) {
			t.Errorf("page holds %q unescaped", bad)
		}
	}
	if !strings.Contains(got, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
		t.Error("the escaped script is not on the page")
	}
}

func TestHTMLEmpty(t *testing.T) {
	got := renderHTML(t, &report.Report{Kind: "replay", Title: report.Text{En: "Review"}}, "zh")
	for _, w := range []string{"复盘报告", "Review", "未发现不足。", "无地图数据。"} {
		if !strings.Contains(got, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	if err := report.HTML(new(bytes.Buffer), nil, "zh"); err == nil {
		t.Error("HTML(nil) gave no error")
	}
}
