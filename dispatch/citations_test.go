package dispatch

import (
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"parktwin/twin/msg"
)

// sources collects the citations of v (the rules, the zones' config):
// every string field named Source or ending in Source, to any depth.
func sources(v reflect.Value, name string, out map[string]string) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			sources(v.Elem(), name, out)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() {
				sources(v.Field(i), name+"."+f.Name, out)
			}
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			sources(v.MapIndex(k), name+"["+reflect.ValueOf(k.Interface()).String()+"]", out)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			sources(v.Index(i), name+"[]", out)
		}
	case reflect.String:
		field := name[strings.LastIndex(name, ".")+1:]
		if strings.HasSuffix(field, "Source") && v.String() != "" {
			out[v.String()] = name
		}
	}
}

// Latin words a citation's Chinese may keep: standards' and guides'
// names and designations, their authors, units, chemical formulas.
var citeLatinOK = []string{"US", "EPA", "RMP", "OCA", "API", "RP", "Crowl", "Louvar", "ERG", "UN", "LFL", "CCPS", "CPQRA",
	"NFPA", "AR", "GB", "AFFF", "OSHA", "CFR", "LEL", "CO", "Cl", "NH", "PID", "PL", "TNT", "mm", "cm", "L", "s", "eq"}

var latinWord = regexp.MustCompile(`[A-Za-z]+`)

var citeParagraph = regexp.MustCompile(`\([a-z]+\)`) // 1910.120(q)(3)(v)

// TestCitationsInChinese: every citation of the shipped rules and zones
// files has its Chinese in citations.yaml, which keeps no English words
// outside standards' names, units and formulas, and cite renders it in
// each language.
func TestCitationsInChinese(t *testing.T) {
	all := map[string]string{}
	sources(reflect.ValueOf(DefaultRules()), "rules", all)
	sources(reflect.ValueOf(DefaultZoneConfig()), "zones", all)
	if len(all) < 25 {
		t.Fatalf("only %d citations found in the rules: %v", len(all), all)
	}
	for en, where := range all {
		zh, ok := citationsZh[en]
		if !ok {
			t.Errorf("%s: %q has no Chinese in citations.yaml", where, en)
			continue
		}
		for _, w := range latinWord.FindAllString(citeParagraph.ReplaceAllString(zh, ""), -1) {
			if !slices.Contains(citeLatinOK, w) && !(len(w) == 1 && w[0] >= 'A' && w[0] <= 'Z') {
				t.Errorf("%s: the Chinese %q keeps the English word %q", where, zh, w)
			}
		}
		m, ok := cite(en).(msg.Msg)
		if !ok {
			t.Errorf("%s: cite(%q) is not a message", where, en)
			continue
		}
		if got := Messages.Render(msg.En, m); got != en {
			t.Errorf("%s: cite in English is %q, not %q", where, got, en)
		}
		if got := Messages.Render(msg.Zh, m); got != zh {
			t.Errorf("%s: cite in Chinese is %q, not %q", where, got, zh)
		}
	}
	for en := range citationsZh {
		if _, ok := all[en]; !ok {
			t.Errorf("citations.yaml: %q is no citation of the rules (changed there?)", en)
		}
	}
	if got := cite("a rule of one's own"); got != "a rule of one's own" {
		t.Errorf("a citation without Chinese goes as %v", got)
	}
}

// TestZoneLevelsAsMessages: the zones' level labels that are words go
// as messages whose English is the label; names and figures as they are.
func TestZoneLevelsAsMessages(t *testing.T) {
	for _, l := range []string{"large spill, night", "small spill, day", "tank in a fire", "beyond the table (120000 L > 113000 L)"} {
		m, ok := levelArg(l).(msg.Msg)
		if !ok {
			t.Errorf("%q is not a message", l)
			continue
		}
		if got := Messages.English(m); got != l {
			t.Errorf("%q renders as %q", l, got)
		}
		if zh := Messages.Render(msg.Zh, m); latinWord.MatchString(strings.ReplaceAll(zh, " L", "")) {
			t.Errorf("%q in Chinese: %q", l, zh)
		}
	}
	for _, l := range []string{"AEGL-2", "½ LFL", "12.5 kW/m²"} {
		if levelArg(l) != l {
			t.Errorf("%q goes as %v", l, levelArg(l))
		}
	}
}
