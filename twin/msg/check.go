package msg

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"unicode"
)

// Latin words a Chinese template may hold: units, the names of
// standards and guides, and symbols of formulas. Everything else in
// Latin letters is English left untranslated.
var latinAllowed = []string{
	"m", "mm", "km", "s", "min", "h", "L", "kg", "t", "kW", "kPa", "D", "π", "β",
	"GB", "RFC", "ISO", "NFPA", "ERG", "API", "AFFF", "AR", "SCBA", "ETA", "PID", "BLEVE", "UN", "ppm", "LFL", "AEGL",
}

var latinWord = regexp.MustCompile(`[A-Za-z]+`)

// Check returns what is wrong with the catalogue's templates: a language
// missing, the two languages asking for different arguments, Chinese in
// the English text, or Latin words other than units and standards'
// names in the Chinese text (arguments aside: they are proper names or
// rendered on their own).
func (c Catalogue) Check() []error {
	var errs []error
	for _, code := range slices.Sorted(maps.Keys(c)) {
		tp := c[code]
		if tp.En == "" || tp.Zh == "" {
			errs = append(errs, fmt.Errorf("%s: a language has no template (en %q, zh %q)", code, tp.En, tp.Zh))
			continue
		}
		// A text that comes with its own translation (a data file's
		// note in both languages) is {en} in English and {zh} in Chinese.
		own := tp.En == "{en}" && tp.Zh == "{zh}"
		if en, zh := Placeholders(tp.En), Placeholders(tp.Zh); !own && !slices.Equal(en, zh) {
			errs = append(errs, fmt.Errorf("%s: English asks for %v, Chinese for %v", code, en, zh))
		}
		for a := range tp.Enums {
			if !slices.Contains(Placeholders(tp.En), a) {
				errs = append(errs, fmt.Errorf("%s: enumeration argument %s is not in the template", code, a))
			}
		}
		for a, k := range tp.Kinds {
			if !slices.Contains(Placeholders(tp.En), a) {
				errs = append(errs, fmt.Errorf("%s: %s argument %s is not in the template", code, k, a))
			}
			if k != KindTime && k != KindDuration {
				errs = append(errs, fmt.Errorf("%s: argument %s of kind %q, not %s or %s", code, a, k, KindTime, KindDuration))
			}
		}
		en := placeholder.ReplaceAllString(tp.En, "")
		for _, r := range en {
			if unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef) {
				errs = append(errs, fmt.Errorf("%s: Chinese in the English template %q", code, tp.En))
				break
			}
		}
		zh := placeholder.ReplaceAllString(tp.Zh, "")
		for _, w := range latinWord.FindAllString(zh, -1) {
			// A single capital is a grade or a kit's letter (A 级).
			if !slices.Contains(latinAllowed, w) && !(len(w) == 1 && w[0] >= 'A' && w[0] <= 'Z') {
				errs = append(errs, fmt.Errorf("%s: Latin word %q in the Chinese template %q", code, w, tp.Zh))
				break
			}
		}
	}
	return errs
}
