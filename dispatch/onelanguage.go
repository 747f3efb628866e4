package dispatch

import (
	_ "embed"
	"regexp"

	"gopkg.in/yaml.v3"

	"parktwin/twin/msg"
)

// The texts of the rules files and of the zones that reach the
// console inside its sentences: the rules' citations (source) and the
// zones' level labels. Each goes as a message when it has a Chinese
// form, and as it is written otherwise.

//go:embed citations.yaml
var citationsYAML []byte

// citationsZh maps a citation of the shipped rules files, as written
// there, to its Chinese.
var citationsZh = func() map[string]string {
	var list []struct{ En, Zh string }
	if err := yaml.Unmarshal(citationsYAML, &list); err != nil {
		panic(err) // the embedded file is tested
	}
	m := make(map[string]string, len(list))
	for _, c := range list {
		m[c.En] = c.Zh
	}
	return m
}()

// cite returns a citation of the rules as a message argument: the
// message "plan.note.text" with its English and Chinese when
// citations.yaml gives its Chinese, the citation as it is otherwise (a
// rules file of one's own).
func cite(s string) any {
	if zh, ok := citationsZh[s]; ok {
		return msg.New("plan.note.text", "en", s, "zh", zh)
	}
	return s
}

// The zones' level labels that are words (ERG's spills and time of
// day, a tank in a fire, a BLEVE table exceeded); the others (AEGL-2,
// ½ LFL, 12.5 kW/m², 21 kPa) are names and figures, shown as they are.
var levelMessages = msg.Catalogue{
	"zone.level.large":      {En: "large spill", Zh: "大量泄漏"},
	"zone.level.small":      {En: "small spill", Zh: "小量泄漏"},
	"zone.level.largeDay":   {En: "large spill, day", Zh: "大量泄漏，白天"},
	"zone.level.largeNight": {En: "large spill, night", Zh: "大量泄漏，夜间"},
	"zone.level.smallDay":   {En: "small spill, day", Zh: "小量泄漏，白天"},
	"zone.level.smallNight": {En: "small spill, night", Zh: "小量泄漏，夜间"},
	"zone.level.fire":       {En: "tank in a fire", Zh: "储罐着火"},
	"zone.level.beyond":     {En: "beyond the table ({cap} L > {last} L)", Zh: "超出表列范围（{cap} L > {last} L）"},
}

var levelCodes = map[string]string{
	"large spill": "zone.level.large", "small spill": "zone.level.small",
	"large spill, day": "zone.level.largeDay", "large spill, night": "zone.level.largeNight",
	"small spill, day": "zone.level.smallDay", "small spill, night": "zone.level.smallNight",
	"tank in a fire": "zone.level.fire",
}

var beyondTable = regexp.MustCompile(`^beyond the table \((\d+) L > (\d+) L\)$`)

// levelArg returns a zone's level as a message argument: a message for
// the labels that are words, the label as it is for names and figures.
func levelArg(level string) any {
	if code, ok := levelCodes[level]; ok {
		return msg.New(code)
	}
	if m := beyondTable.FindStringSubmatch(level); m != nil {
		return msg.New("zone.level.beyond", "cap", m[1], "last", m[2])
	}
	return level
}

func init() {
	for k, v := range levelMessages {
		if _, ok := Messages[k]; ok {
			panic("message code " + k + " defined twice")
		}
		Messages[k] = v
	}
}
