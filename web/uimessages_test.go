package web

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"parktwin/twin"
	"parktwin/twin/msg"
)

// TestMessageCatalogueTranslated renders every message code the console
// is served (plans, errors, equipment names) in English and Chinese
// with sample arguments, and fails on a code missing a language, the two
// asking for different arguments, Chinese in the English, English words
// in the Chinese (units and standards' names aside), or a placeholder
// left unrendered; every enumeration a template names has texts.
func TestMessageCatalogueTranslated(t *testing.T) {
	c, err := messageCatalogue(twin.DefaultCatalogue())
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range c.Check() {
		t.Error(err)
	}
	zh, en := i18nTables(t)
	for code, tp := range c {
		m := msg.Msg{Code: code, Args: map[string]any{}}
		for _, a := range msg.Placeholders(tp.En + tp.Zh) {
			m.Args[a] = "ARG"
		}
		for _, lang := range []string{msg.En, msg.Zh} {
			if got := c.Render(lang, m); got == code || strings.Contains(got, "{") || (tp.En != "" && got == "") {
				t.Errorf("%s in %s renders as %q", code, lang, got)
			}
		}
		for arg, prefix := range tp.Enums {
			known := false
			for k := range c {
				known = known || strings.HasPrefix(k, prefix)
			}
			for k := range zh {
				known = known || strings.HasPrefix(k, prefix)
			}
			if !known {
				t.Errorf("%s: argument %s is an enumeration under %s, which has no texts", code, arg, prefix)
			}
		}
	}
	if len(c) < 50 {
		t.Errorf("only %d codes: the catalogue is not all there", len(c))
	}
	// The console's own table: every key in both languages, no Chinese
	// in the English.
	for k := range zh {
		if _, ok := en[k]; !ok {
			t.Errorf("i18n.js: %s has no English", k)
		}
	}
	for k, v := range en {
		if _, ok := zh[k]; !ok {
			t.Errorf("i18n.js: %s has no Chinese", k)
		}
		// The language switch names Chinese in Chinese; the reporter's
		// default is a name typed into a field.
		if k == "lang.toggle" || k == "incidents.defaultReporter" {
			continue
		}
		if strings.IndexFunc(v, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0 {
			t.Errorf("i18n.js: the English of %s is Chinese: %q", k, v)
		}
	}
}

// TestMessagesServed: the console's catalogue is the Go one, served as
// the module /ui/messages.js.
func TestMessagesServed(t *testing.T) {
	a, ok := withMessages(loadAssets(), twin.DefaultCatalogue())["messages.js"]
	if !ok {
		t.Fatal("no messages.js")
	}
	for _, want := range []string{`export default {`, `"plan.reason.card":{`, `"equipment.scba":{"en":"positive-pressure SCBA","zh":"正压式空气呼吸器"}`, `"error.not_found"`} {
		if !strings.Contains(string(a.body), want) {
			t.Errorf("messages.js lacks %s", want)
		}
	}
	if _, ok := loadAssets()["messages.js"]; ok {
		t.Error("web/ui holds a messages.js of its own: the catalogue would have two sources")
	}
}

var i18nEntry = regexp.MustCompile(`^\s*"([^"]+)":\s*"((?:[^"\\]|\\.)*)",?\s*$`)

// i18nTables reads web/ui/i18n.js's Chinese and English tables.
func i18nTables(t *testing.T) (zh, en map[string]string) {
	t.Helper()
	b, err := os.ReadFile("ui/i18n.js")
	if err != nil {
		t.Fatal(err)
	}
	zh, en = map[string]string{}, map[string]string{}
	var cur map[string]string
	for _, line := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(line, "const zh = {"):
			cur = zh
		case strings.HasPrefix(line, "const en = {"):
			cur = en
		case strings.HasPrefix(line, "};"):
			cur = nil
		case cur != nil:
			if m := i18nEntry.FindStringSubmatch(line); m != nil {
				cur[m[1]] = m[2]
			}
		}
	}
	if len(zh) < 100 || len(en) < 100 {
		t.Fatalf("i18n.js: read %d Chinese and %d English texts", len(zh), len(en))
	}
	return zh, en
}
