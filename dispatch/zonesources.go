package dispatch

import (
	"fmt"

	"parktwin/twin/msg"
)

// The sources of the zones ERG draws, as messages: the guide, the table
// and its row, what the figure asks. A zone's Source is their English.
// The material and a Table 3 container are ERG's English names, shown
// as they are.

var zoneSourceMessages = msg.Catalogue{
	"zone.source.erg":      {En: "{erg}, guide {guide}, {un} {material}: {table}", Zh: "{erg} 指南 {guide}，{un} {material}：{table}"},
	"zone.source.table1":   {En: "Table 1, {level}", Zh: "表 1，{level}"},
	"zone.source.table3":   {En: "Table 3, {container} ({why}), {wind} wind, {tod}", Zh: "表 3，{container}（{why}），{wind}，{tod}"},
	"zone.source.nearest":  {En: "the container nearest {t} t", Zh: "最接近 {t} t 的容器"},
	"zone.source.tanker":   {En: "a vehicle accident: a road tanker", Zh: "车辆事故：按公路罐车"},
	"zone.source.largest":  {En: "the inventory unknown: the largest container", Zh: "存量未知：按最大的容器"},
	"zone.wind.low":        {En: "low", Zh: "低风速"},
	"zone.wind.moderate":   {En: "moderate", Zh: "中等风速"},
	"zone.wind.high":       {En: "high", Zh: "高风速"},
	"zone.tod.day":         {En: "day", Zh: "白天"},
	"zone.tod.night":       {En: "night", Zh: "夜间"},
	"zone.source.isolate":  {En: "{cite}; isolate {m} m in all directions", Zh: "{cite}；四周隔离 {m} m"},
	"zone.source.protect":  {En: "{cite}; protect persons downwind {m} m", Zh: "{cite}；下风向 {m} m 内人员防护"},
	"zone.source.ergFire":  {En: "{erg}, guide {guide}, {un}: if a tank is involved in a fire, isolate {m} m in all directions", Zh: "{erg} 指南 {guide}，{un}：储罐卷入火灾时，四周隔离 {m} m"},
	"zone.source.guideRow": {En: "{erg}, guide {guide} (the CSV's row for {un})", Zh: "{erg} 指南 {guide}（数据表中 {un} 的行）"},
	"zone.source.guideFor": {En: "{erg}, guide {guide} for {un} ({source})", Zh: "{erg} 指南 {guide}，用于 {un}（{source}）"},
	"zone.source.guideFire": {
		En: "{cite}: if a tank is involved in a fire, isolate {m} m in all directions", Zh: "{cite}：储罐卷入火灾时，四周隔离 {m} m",
	},
	"zone.source.guideIsolate": {
		En: "{cite}: isolate the spill or leak area at least {m} m in all directions", Zh: "{cite}：泄漏区域四周至少隔离 {m} m",
	},
	"zone.source.guideEvacuate": {
		En: "{cite}: large spill: consider initial downwind evacuation for at least {m} m, drawn all round [choice]",
		Zh: "{cite}：大量泄漏：考虑下风向初始疏散至少 {m} m，按四周绘制［本园的选择］",
	},
	"zone.source.bleve": {
		En: "{erg}, BLEVE table, {un}{as}, a {capacity} L tank (row {row} L): evacuate {m} m",
		Zh: "{erg} BLEVE 表，{un}{as}，{capacity} L 储罐（取 {row} L 一行）：疏散 {m} m",
	},
	"zone.source.bleveAs": {
		En: " (the table's {row} row, taken for {un} [choice, unverified])", Zh: "（取表中 {row} 一行用于 {un}［本园的选择，未核实］）",
	},
}

func init() {
	for k, v := range zoneSourceMessages {
		if _, ok := Messages[k]; ok {
			panic("message code " + k + " defined twice")
		}
		Messages[k] = v
	}
}

// source sets the zone's source: ms, and their English.
func (zn *Zone) source(ms ...msg.Msg) {
	zn.Source, zn.SourceMsg = english(ms...), ms
}

// unName writes a UN number as ERG does: UN1017.
func unName(un int) string { return fmt.Sprintf("UN%04d", un) }
