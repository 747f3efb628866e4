// Package msg carries the texts the park shows people as codes with
// arguments, so that each console renders them in its own language.
//
// A Msg names a code of a Catalogue and gives its arguments; the
// catalogue holds each code's English and Chinese template, in which
// {name} stands for an argument. Arguments are proper names (chemicals,
// enterprises, teams, road ids), numbers already formatted, enumeration
// values the console translates (Template.Enums), or other Msgs. The Go
// side renders English for the text fields that have always been there;
// the console renders the same codes from the catalogue it is served.
package msg

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// Msg is one message: a code of the catalogue and its arguments.
type Msg struct {
	Code string         `json:"code"`
	Args map[string]any `json:"args,omitempty"`
}

// New returns the message code with its arguments given as pairs of
// name and value: New("plan.note.late", "eta", "420", "target", "300").
func New(code string, kv ...any) Msg {
	m := Msg{Code: code}
	if len(kv) > 0 {
		m.Args = make(map[string]any, len(kv)/2)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		m.Args[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return m
}

// Template is one code's text in each language. Enums names the
// arguments whose values are enumeration values (argument → domain, as
// the console's enum.<domain>.<value> keys), which the console shows in
// its language; Go renders them as they are.
//
// Kinds names the arguments that are times or durations (argument →
// KindTime or KindDuration), which each language writes its own way.
type Template struct {
	En    string            `json:"en"`
	Zh    string            `json:"zh"`
	Enums map[string]string `json:"enums,omitempty"`
	Kinds map[string]string `json:"kinds,omitempty"`
}

// Kinds of arguments (Template.Kinds).
const (
	// KindTime is an instant, sent as RFC 3339 text (or a time.Time)
	// and written in Beijing time: "2026-12-02 15:51:44".
	KindTime = "time"
	// KindDuration is a span, sent as seconds (or a time.Duration, or
	// Go's text of one: "1m0s") and written in words: "1 min", "1 分钟".
	KindDuration = "duration"
)

// Catalogue maps codes to their templates. It is read-only once built.
type Catalogue map[string]Template

// Languages the catalogue renders.
const (
	En = "en"
	Zh = "zh-CN"
)

// Merge returns one catalogue of all of cs; a code in two of them is an
// error (a programming one: the catalogues are built in code).
func Merge(cs ...Catalogue) (Catalogue, error) {
	out := Catalogue{}
	for _, c := range cs {
		for k, v := range c {
			if _, ok := out[k]; ok {
				return nil, fmt.Errorf("message code %s defined twice", k)
			}
			out[k] = v
		}
	}
	return out, nil
}

var placeholder = regexp.MustCompile(`\{(\w+)\}`)

// Render writes the messages ms, one after the other, in lang (En or
// Zh). A code missing from the catalogue renders as the code itself, an
// argument missing as its placeholder.
func (c Catalogue) Render(lang string, ms ...Msg) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString(c.render(lang, m))
	}
	return b.String()
}

// English writes the messages in English.
func (c Catalogue) English(ms ...Msg) string { return c.Render(En, ms...) }

func (c Catalogue) render(lang string, m Msg) string {
	tp, ok := c[m.Code]
	if !ok {
		return m.Code
	}
	s := tp.En
	if lang == Zh {
		s = tp.Zh
	}
	return placeholder.ReplaceAllStringFunc(s, func(ph string) string {
		name := ph[1 : len(ph)-1]
		v, ok := m.Args[name]
		if !ok {
			return ph
		}
		switch tp.Kinds[name] {
		case KindTime:
			if t, ok := instant(v); ok {
				return beijing(t, lang)
			}
		case KindDuration:
			if d, ok := span(v); ok {
				return words(d, lang)
			}
		}
		switch v := v.(type) {
		case Msg:
			return c.render(lang, v)
		case []Msg:
			return c.Render(lang, v...)
		case map[string]any, []any:
			if ms, ok := decoded(v); ok {
				return c.Render(lang, ms...)
			}
		}
		return fmt.Sprint(v)
	})
}

// decoded returns v, an argument as encoding/json reads a message ({code,
// args}) or a list of them into an any, as Msgs.
func decoded(v any) ([]Msg, bool) {
	switch v := v.(type) {
	case map[string]any:
		code, ok := v["code"].(string)
		if !ok {
			return nil, false
		}
		args, _ := v["args"].(map[string]any)
		return []Msg{{Code: code, Args: args}}, true
	case []any:
		var out []Msg
		for _, x := range v {
			ms, ok := decoded(x)
			if !ok {
				return nil, false
			}
			out = append(out, ms...)
		}
		return out, true
	}
	return nil, false
}

// Placeholders returns the argument names a template uses, sorted.
func Placeholders(s string) []string {
	set := map[string]bool{}
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		set[m[1]] = true
	}
	return slices.Sorted(maps.Keys(set))
}
