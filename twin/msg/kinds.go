package msg

import (
	"fmt"
	"math"
	"time"
)

// beijingZone is the time people in the park read: UTC+8 all year
// (China keeps no daylight saving time), as the console's beijing().
var beijingZone = time.FixedZone("CST", 8*3600)

// instant reads an argument of KindTime: a time.Time or RFC 3339 text.
func instant(v any) (time.Time, bool) {
	switch v := v.(type) {
	case time.Time:
		return v, true
	case string:
		t, err := time.Parse(time.RFC3339Nano, v)
		return t, err == nil
	}
	return time.Time{}, false
}

// beijing writes t in Beijing time as the console does; the English
// text, read outside the console too, says which time it is.
func beijing(t time.Time, lang string) string {
	s := t.In(beijingZone).Format(time.DateTime)
	if lang != Zh {
		s += " (UTC+8)"
	}
	return s
}

// span reads an argument of KindDuration: seconds (a number, as JSON
// reads one), a time.Duration, or Go's text of one ("1m0s", as notes
// written before durations were typed hold).
func span(v any) (time.Duration, bool) {
	switch v := v.(type) {
	case time.Duration:
		return v, true
	case float64:
		return time.Duration(v * float64(time.Second)), true
	case int:
		return time.Duration(v) * time.Second, true
	case int64:
		return time.Duration(v) * time.Second, true
	case string:
		d, err := time.ParseDuration(v)
		return d, err == nil
	}
	return 0, false
}

// words writes d as people say it, to the second, as the console's
// span(): "45 s", "5 min", "1 h 30 min"; "45 秒", "5 分钟", "1 小时 30 分".
func words(d time.Duration, lang string) string {
	s := int64(math.Round(math.Abs(d.Seconds())))
	h, m, r := s/3600, s%3600/60, s%60
	zh := lang == Zh
	switch {
	case h > 0 && m > 0:
		return pick(zh, fmt.Sprintf("%d h %d min", h, m), fmt.Sprintf("%d 小时 %d 分", h, m))
	case h > 0:
		return pick(zh, fmt.Sprintf("%d h", h), fmt.Sprintf("%d 小时", h))
	case m > 0 && r > 0:
		return pick(zh, fmt.Sprintf("%d min %d s", m, r), fmt.Sprintf("%d 分 %d 秒", m, r))
	case m > 0:
		return pick(zh, fmt.Sprintf("%d min", m), fmt.Sprintf("%d 分钟", m))
	}
	return pick(zh, fmt.Sprintf("%d s", r), fmt.Sprintf("%d 秒", r))
}

func pick(zh bool, en, chinese string) string {
	if zh {
		return chinese
	}
	return en
}
