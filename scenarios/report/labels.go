package report

import "strings"

// labels are the words a rendered report prints around its data, in one
// language. The data itself (names, what happened) is printed as the
// recorder wrote it.
type labels struct {
	HTMLLang string // the page's lang attribute

	Kinds map[string]string // report kind → the report's name

	ID, Scenario, Objective, Level, Start, Elapsed, State string
	LevelFmt                                              string // "III" → "III 级"

	Expectations, Timeline, Units, Equipment, Shortfalls, Map string

	Expectation, Of, Target, Took, At, Status string
	Time, Kind, What, By                      string
	Incident, Team, Vehicle, Ordered, Rolling string
	OnScene, Turnout, Travel, Response        string
	Warehouse, Type, Quantity, Items          string
	P90Fmt                                    string // takes the number of units

	None, NoShortfalls, NoMap, Route, ClockNote string

	States   map[string]string // drill state → label
	Statuses map[string]string // expectation status → label
	Events   map[string]string // event kind → label
	Whats    map[string]string // expectation what → label
	Moments  map[string]string // expectation of → label
}

// labelsFor returns the labels for lang: English for "en" (or "en-…"),
// Chinese otherwise.
func labelsFor(lang string) *labels {
	if strings.HasPrefix(strings.ToLower(lang), "en") {
		return &enLabels
	}
	return &zhLabels
}

// word returns m's label for key, or key itself when m has none: a value
// this package does not know yet still prints.
func word(m map[string]string, key string) string {
	if w, ok := m[key]; ok {
		return w
	}
	return key
}

// zhLabels and enLabels are read only.
var zhLabels = labels{
	HTMLLang: "zh-CN",
	Kinds:    map[string]string{"drill": "演练评估报告", "replay": "复盘报告"},

	ID: "编号", Scenario: "情景", Objective: "演练目标", Level: "响应级别", Start: "开始时间",
	Elapsed: "已进行 / 计划时长", State: "状态", LevelFmt: "%s 级",

	Expectations: "考核要点", Timeline: "时间线", Units: "出动车辆与响应时间",
	Equipment: "调用物资", Shortfalls: "不足与缺口", Map: "事件与路线图",

	Expectation: "要点", Of: "起算", Target: "目标", Took: "用时", At: "演练时刻", Status: "结果",
	Time: "演练时刻", Kind: "类别", What: "内容", By: "操作人",
	Incident: "事件", Team: "队伍", Vehicle: "车辆", Ordered: "下令", Rolling: "出车",
	OnScene: "到场", Turnout: "出车用时", Travel: "行驶用时", Response: "响应用时",
	Warehouse: "仓库", Type: "类型", Quantity: "数量", Items: "编号",
	P90Fmt: "P90（%d 辆）",

	None: "无", NoShortfalls: "未发现不足。", NoMap: "无地图数据。", Route: "路线",
	ClockNote: "时间均为演练时间（开始后经过的时间）。",

	States: map[string]string{
		"paused": "暂停", "playing": "进行中", "ended": "已结束", "stopped": "已终止",
	},
	Statuses: map[string]string{Met: "达成", Missed: "未达成", Pending: "待定"},
	Events: map[string]string{
		EventInject: "注入", EventMessage: "消息", EventAlarm: "报警", EventOrder: "核查",
		EventIncident: "事件", EventPlan: "方案", EventUnit: "车辆", EventAction: "操作",
	},
	Whats: map[string]string{
		"alarm-acknowledged":  "报警确认",
		"order-issued":        "下达核查指令",
		"incident-created":    "创建事件",
		"plan-confirmed":      "确认处置方案",
		"unit-on-scene":       "首车到场",
		"foam-met":            "泡沫需求满足",
		"capability-assigned": "指派专业力量",
		"evacuation-ordered":  "下令疏散",
		"under-control":       "事态得到控制",
	},
	Moments: map[string]string{
		"start": "演练开始", "first-alarm": "首次报警", "report": "首次报告", "order": "首次出动",
	},
}

var enLabels = labels{
	HTMLLang: "en",
	Kinds:    map[string]string{"drill": "Drill after-action report", "replay": "Incident review"},

	ID: "ID", Scenario: "Scenario", Objective: "Objective", Level: "Level", Start: "Start",
	Elapsed: "Elapsed / planned", State: "State", LevelFmt: "level %s",

	Expectations: "Expectations", Timeline: "Timeline", Units: "Units and response times",
	Equipment: "Equipment", Shortfalls: "Shortfalls", Map: "Map of incidents and routes",

	Expectation: "Expectation", Of: "From", Target: "Target", Took: "Took", At: "At", Status: "Result",
	Time: "Time", Kind: "Kind", What: "What", By: "By",
	Incident: "Incident", Team: "Team", Vehicle: "Vehicle", Ordered: "Ordered", Rolling: "Rolling",
	OnScene: "On scene", Turnout: "Turnout", Travel: "Travel", Response: "Response",
	Warehouse: "Warehouse", Type: "Type", Quantity: "Quantity", Items: "Items",
	P90Fmt: "P90 (%d units)",

	None: "none", NoShortfalls: "No shortfalls found.", NoMap: "No map data.", Route: "route",
	ClockNote: "Times are drill times: time after the start.",

	States: map[string]string{
		"paused": "paused", "playing": "playing", "ended": "ended", "stopped": "stopped",
	},
	Statuses: map[string]string{Met: "met", Missed: "missed", Pending: "pending"},
	Events: map[string]string{
		EventInject: "inject", EventMessage: "message", EventAlarm: "alarm", EventOrder: "order",
		EventIncident: "incident", EventPlan: "plan", EventUnit: "unit", EventAction: "action",
	},
	Whats: map[string]string{
		"alarm-acknowledged":  "alarm acknowledged",
		"order-issued":        "verification order issued",
		"incident-created":    "incident created",
		"plan-confirmed":      "plan confirmed",
		"unit-on-scene":       "first unit on scene",
		"foam-met":            "foam requirement met",
		"capability-assigned": "capability assigned",
		"evacuation-ordered":  "evacuation ordered",
		"under-control":       "under control",
	},
	Moments: map[string]string{
		"start": "start", "first-alarm": "first alarm", "report": "first report", "order": "first order",
	},
}
