package dispatch

import (
	"fmt"
	"strings"
	"time"

	"parktwin/twin"

	"parktwin/twin/msg"
)

// Messages is the catalogue of the texts a plan carries (reasons, notes,
// shortfalls): each code's English, which the plan's text fields keep,
// and its Chinese. The console is served the same catalogue (web) and
// renders the plan's *Msg fields in its language.
var Messages = msg.Catalogue{
	// The parts of an assignment's reason, in the order they are written.
	"plan.reason.card": {
		En:    "run card {type} {level}: {what} {n} of {count} — {vehicle} of {team}, ETA {eta} s = turnout {turnout} s + {travel} s by road",
		Zh:    "{type} {level} 级出动卡：{what} 第 {n} 辆，共 {count} 辆 — {team}的{vehicle}，预计 {eta} 秒到达 = 出动准备 {turnout} 秒 + 行驶 {travel} 秒",
		Enums: map[string]string{"type": "enum.incidentType."},
	},
	"plan.reason.approachStaging": {
		En: "; the units that go on from staging take the approach on {road}, {hose} m of hose from the source",
		Zh: "；从集结点前出的力量经 {road} 上的接近点前往，距泄漏源需铺设水带 {hose} m",
	},
	"plan.reason.approach": {
		En: " to the approach on {road}, {hose} m of hose from the source",
		Zh: "，前往 {road} 上的接近点，距泄漏源需铺设水带 {hose} m",
	},
	"plan.reason.unsuited": {
		En: "; it carries no alcohol-resistant foam, useless on {chem}: it goes for its water, no suited unit being free",
		Zh: "；该车未载抗溶性泡沫，对{chem}无效：因无合适力量空闲，调其供水",
	},
	"plan.reason.taken": {
		En:    "; no free unit fits, so it is taken from {from} (level {fromLevel} {fromType}), which ranks below this level {level} {type} (ETA from its base)",
		Zh:    "；无空闲力量可用，故从 {from}（{fromLevel} 级{fromType}）抽调，该事故优先级低于本次 {level} 级{type}（到达时间自其驻地起算）",
		Enums: map[string]string{"type": "enum.incidentType.", "fromType": "enum.incidentType."},
	},
	"plan.reason.leads": {
		En: "; leads the plan: the entry into a toxic or flammable release is made on detection readings, with gas-tight protection",
		Zh: "；先行：进入有毒或可燃泄漏区须依据侦检读数，并着气密防护",
	},
	"plan.reason.staged": {
		En: "; routed to staging on {road}, outside the hot zones (the ETA is to staging)",
		Zh: "；调往危险区外 {road} 上的集结点（到达时间指到达集结点）",
	},
	"plan.reason.hotBase": {
		En: "; its base lies inside a hot zone: it leaves by {roads}, the fewest hot roads there are",
		Zh: "；其驻地位于危险区内：经 {roads} 驶出，穿越危险区道路最少",
	},
	"plan.reason.warmExit": {
		En: "; goes on from staging to the warm zone's exit on {road}, {m} m from the source, and works there: the entry team comes out there",
		Zh: "；从集结点前往 {road} 上的温区出口（距泄漏源 {m} m）并在此作业：进入小组由此撤出",
	},
	"plan.reason.warmExitOnceWind": {
		En: "; waits at staging: the wind is not confirmed; goes on to the warm-zone exit once the wind is confirmed (on {road}, {m} m from the source, if the wind is the prevailing one)",
		Zh: "；在集结点待命：风向尚未确认；风向确认后前往温区出口（若为盛行风，位于 {road}，距泄漏源 {m} m）",
	},
	"plan.reason.waits": {En: "; waits at staging", Zh: "；在集结点待命"},
	"plan.reason.notOnwardLFG": {
		En: " (not onward at a vessel of liquefied flammable gas that may BLEVE: {rule})",
		Zh: "（液化可燃气体容器可能发生沸腾液体扩展蒸气爆炸，不前出：{rule}）",
	},
	"plan.reason.attack": {
		En: "; goes on from staging to its attack or cooling position at the fire: its line's work is done there",
		Zh: "；从集结点前往火场的进攻或冷却阵地：其任务在此完成",
	},
	"plan.reason.lfgMonitors": {
		En: "; at a vessel of liquefied flammable gas its crew sets unmanned monitors from the farthest reach and withdraws beyond the hot zones (ERG 115/116)",
		Zh: "；液化可燃气体容器处，车组在最远射程处架设无人值守水炮后撤至危险区外（ERG 115/116）",
	},
	"plan.reason.edge": {
		En: "; goes on from staging as {as} to the hot zone's edge on {road}, {m} m from the opening, outside the {r} m zone on the wind's side, and stops there: the vehicle is an ignition source; the tripod, the fan and the air are carried in and the charged line is laid from there",
		Zh: "；作为{as}从集结点前往 {road} 上的热区边缘（距开口 {m} m，位于 {r} m 热区外上风侧）并停车：车辆是点火源；三脚架、风机和空气呼吸器人工携入，充水水带由此铺设",
	},
	"plan.reason.edgeStaging": {
		En: "; as {as}, stays at staging: no junction nearer the opening outside the {r} m hot zone on the wind's side is reached from it; the vehicle is an ignition source and does not drive in; the tripod, the fan and the air are carried in and the charged line is laid from the nearest point outside the zone once the wind is confirmed",
		Zh: "；作为{as}留在集结点：从集结点无法到达 {r} m 热区外上风侧更靠近开口的路口；车辆是点火源，不得驶入；三脚架、风机和空气呼吸器人工携入，风向确认后由热区外最近处铺设充水水带",
	},
	"plan.reason.edgeOnceWind": {
		En: "; as {as}, waits at staging: the wind is not confirmed; goes on to the zone's edge once the wind is confirmed, outside the {r} m hot zone on the wind's side; the vehicle is an ignition source and does not drive in",
		Zh: "；作为{as}在集结点待命：风向尚未确认；风向确认后前往 {r} m 热区外上风侧的热区边缘；车辆是点火源，不得驶入",
	},
	"plan.reason.onward": {
		En: "; goes on from staging toward the source, upwind, as {as}: detection and the gas-tight entry team work inside the hot zone",
		Zh: "；作为{as}从上风方向由集结点向泄漏源前出：侦检与气密进入小组在危险区内作业",
	},

	// What a run card's line asks for.
	"plan.unit.vehicle":    {En: "vehicle {v}", Zh: "{v}", Enums: map[string]string{"v": "enum.vehicleType."}},
	"plan.unit.capability": {En: "capability {c}", Zh: "{c}力量", Enums: map[string]string{"c": "enum.capability."}},
	"plan.role.vehicle":    {En: "{v}", Zh: "{v}", Enums: map[string]string{"v": "enum.vehicleType."}},
	"plan.role.capability": {En: "{c}", Zh: "{c}力量", Enums: map[string]string{"c": "enum.capability."}},
	// An equipment type by its id, named from the equipment catalogue.
	"plan.equipment": {En: "{id}", Zh: "{id}", Enums: map[string]string{"id": "equipment."}},
	// Cooling water, which no warehouse holds (the equipment catalogue
	// names the rest).
	"equipment." + CoolingWater: {En: "cooling water", Zh: "冷却水"},

	// Notes.
	"plan.note.coverage": {
		En:    "coverage: {vehicle} ({vtype}{foam}) stays at {team} — the rules keep {keep} of its {of} available ({htype}), and of them this plan misses it least",
		Zh:    "辖区留守：{vehicle}（{vtype}{foam}）留在{team} — 规则要求其 {of} 辆可用{htype}中保留 {keep} 辆，本方案缺它影响最小",
		Enums: map[string]string{"vtype": "enum.vehicleType.", "htype": "enum.vehicleType."},
	},
	"plan.foam": {
		En:    ", {type} {litres} L",
		Zh:    "，{type} {litres} L",
		Enums: map[string]string{"type": "equipment.foam-"},
	},
	"plan.note.late": {
		En: "the first unit arrives {first} s after the order, beyond the {target} s target",
		Zh: "首车在下令后 {first} 秒到达，超出 {target} 秒的目标",
	},
	"plan.note.coolFirst": {
		En:    "cool first: neighbour {tank} ({chem}, {how}, {d} m) boils off when heated — give it the first cooling streams",
		Zh:    "优先冷却：邻罐 {tank}（{chem}，{how}，{d} m）受热即大量汽化 — 首批冷却水枪（炮）先供此罐",
		Enums: map[string]string{"how": "plan.storage."},
	},
	"plan.storage.chilled":     {En: "chilled", Zh: "低温储存"},
	"plan.storage.pressurised": {En: "pressurised", Zh: "压力储存"},
	"plan.note.tactics": {
		En: "tactics for {name}: {note} ({source})",
		Zh: "{name}处置要点：{note}（{source}）",
	},
	"plan.note.carried": {
		En:    "{what}: {total} L of the {need} L needed comes on the assigned vehicles",
		Zh:    "{what}：所需 {need} L 中 {total} L 由调派车辆自带",
		Enums: map[string]string{"what": "equipment."},
	},
	"plan.note.carriedAR": {
		En: " ({ar} L of it alcohol-resistant, which serves on hydrocarbons too)",
		Zh: "（其中 {ar} L 为抗溶性泡沫，对烃类同样适用）",
	},
	"plan.note.carriedRest": {En: "; the warehouses supply the rest", Zh: "；其余由仓库供应"},
	"plan.note.escalate": {
		En: "escalate: the hot zones reach {reach} m ({zone}), beyond the {limit} m a level {level} card is meant for ({rule}): consider {next} and its run card",
		Zh: "建议升级：危险区延伸至 {reach} m（{zone}），超出 {level} 级出动卡适用的 {limit} m（{rule}）：请考虑{next}及其出动卡",
	},
	"plan.escalate.graver":  {En: "a graver level", Zh: "更高响应级别"},
	"plan.escalate.level":   {En: "level {level}", Zh: "{level} 级响应"},
	"plan.note.hotZones":    {En: "hot zones: {zones}; their {n} road segments are closed for this plan's routes", Zh: "危险区：{zones}；其中 {n} 段道路对本方案路线封闭"},
	"plan.note.cutOff":      {En: "{team} is cut off by the hot zones: its only way to staging crosses {roads}, so it is not sent", Zh: "{team}被危险区隔断：其前往集结点的唯一道路穿越 {roads}，故不调派"},
	"plan.note.stagingNear": {En: "no junction outside the hot zones and the protective-action area is reached from the teams' bases without crossing a hot road: the units stop at the nearest junction outside the hot zones, not at the source", Zh: "各队驻地均无法不穿越危险区道路到达危险区和防护行动区以外的路口：力量停在危险区外最近的路口，而非泄漏源"},
	"plan.note.windUnknownConfined": {
		En: "wind unknown: the first officer confirms the wind (windsock, flag, smoke) before anyone commits; the units stage outside the {m} m hot zone round the opening on month {month}'s prevailing upwind side (from {deg}°: {source}), with an alternate about 90° round",
		Zh: "风向不明：首车指挥员先确认风向（风向袋、旗帜、烟雾），任何人投入行动前须确认；力量在开口周围 {m} m 热区外、{month} 月盛行风上风方向（来自 {deg}°：{source}）集结，另设约 90° 方向的备用集结点",
	},
	"plan.note.windUnknown": {
		En: "wind unknown: the first officer confirms the wind (windsock, flag, smoke) before anyone commits; the units stage just outside the {iso} m isolation distance on month {month}'s prevailing upwind side (from {deg}°: {source}), with an alternate about 90° round",
		Zh: "风向不明：首车指挥员先确认风向（风向袋、旗帜、烟雾），任何人投入行动前须确认；力量在 {iso} m 隔离距离外侧、{month} 月盛行风上风方向（来自 {deg}°：{source}）集结，另设约 90° 方向的备用集结点",
	},
	"plan.note.windProvisional": {
		En: "wind provisional: the weather station's last reading, {min} min old, from {deg}°; the first officer confirms the wind (windsock, flag, smoke) before anyone commits",
		Zh: "风向为暂定：气象站最后读数（{min} 分钟前），风来自 {deg}°；首车指挥员先确认风向（风向袋、旗帜、烟雾），任何人投入行动前须确认",
	},
	"plan.note.tihApproach": {
		En: "; approach with {zh} {en} detectors reading, pull back at the first reading; decontamination at the upwind hot/warm boundary once the wind is confirmed, no entry before decontamination is ready",
		Zh: "；接近时{zh}（{en}）检测仪保持读数，一有读数立即后撤；风向确认后在上风方向热区/温区交界处设置洗消，洗消就绪前不得进入",
	},
	"plan.note.confined": {
		En: "confined space: a provisional hot zone of {m} m round the opening ({source}), reset by the detectors' readings; the units stage upwind; lead the ventilation's exhaust downwind, away from staging and the entry",
		Zh: "受限空间：在开口周围设 {m} m 临时热区（{source}），按检测仪读数调整；力量在上风方向集结；通风排气引向下风方向，避开集结点和进入口",
	},
	"plan.note.confinedFire": {
		En: "; the gas burns: the vehicles stop at the hot zone's edge, a charged hose line laid from there covers the opening, ignition sources out",
		Zh: "；该气体易燃：车辆停在热区边缘，由此铺设充水水带掩护开口，消除点火源",
	},
	"plan.curtain": {
		En: "the water curtain on {road} ({roadName}): {m} m from the source at {deg}°, the isolation zone's edge downwind of the source, nearest the source, reached from staging without crossing the isolation zone",
		Zh: "水幕设置点位于 {road}（{roadName}）：距泄漏源 {m} m，方位 {deg}°，为泄漏源下风方向隔离区边缘距泄漏源最近处，可从集结点不穿越隔离区到达",
	},
	"plan.reason.curtain": {
		En: "; goes on from staging to the isolation zone's edge downwind on {road}, {m} m from the source, and sets a water curtain there to knock down or divert the cloud, kept off the liquid",
		Zh: "；从集结点前往下风方向隔离区边缘 {road}（距泄漏源 {m} m），设置水幕稀释或引导气云，水不得接触液体",
	},
	"plan.note.padPublic": {
		En: "public: shelter in place or evacuate within {m} m all round until the wind is confirmed ({source}); a measure for the public, not where the units stage",
		Zh: "公众防护：风向确认前，全方位 {m} m 范围内就地避险或疏散（{source}）；此为公众防护措施，非力量集结范围",
	},
	"plan.staging.prevailing": {En: "; the wind being unknown, the side is reckoned from the month's prevailing wind (from {deg}°), to be confirmed", Zh: "；因风向不明，方位按当月盛行风（来自 {deg}°）判定，待确认"},
	"plan.staging.alternate": {
		En: "alternate staging on {road} ({roadName}): {m} m from the source at {deg}°, {round}° round from the first, should the confirmed wind put the first downwind",
		Zh: "备用集结点位于 {road}（{roadName}）：距泄漏源 {m} m，方位 {deg}°，与首选集结点相差 {round}°，供确认风向后首选点处于下风时使用",
	},
	"plan.note.text": {En: "{en}", Zh: "{zh}"},
	"plan.approach": {
		En: "approach: the road nearest the source ({nearest}, {off} m off) is cut off from the teams ({closed}); units go to the nearest reachable point, on {road}, {hose} m from the source — a hose lay of at least {hose} m",
		Zh: "接近路线：距泄漏源最近的道路（{nearest}，相距 {off} m）与各队不通（{closed}）；力量前往 {road} 上最近的可达点，距泄漏源 {hose} m — 至少需铺设水带 {hose} m",
	},
	"plan.approachInside": {
		En: "approach: the road nearest the source ({nearest}, {off} m off) is cut off from the other teams ({closed}); {teams}, based inside that part, drive straight to the source; the others go to the nearest reachable point, on {road}, {hose} m from the source — a hose lay of at least {hose} m",
		Zh: "接近路线：距泄漏源最近的道路（{nearest}，相距 {off} m）与其他各队不通（{closed}）；驻地在该区域内的{teams}直接前往泄漏源；其他力量前往 {road} 上最近的可达点，距泄漏源 {hose} m — 至少需铺设水带 {hose} m",
	},
	"plan.reason.direct": {
		En: "; based inside the part of the road network cut off from the other teams: straight to the source",
		Zh: "；驻地位于与其他各队不通的道路区域内：直接前往泄漏源",
	},
	"plan.approach.relay": {
		En: "; a lay beyond {max} m: relay pumping (a pumper at the hydrant or draft, others in line) or large-diameter supply hose, and set the hose lay before the attack ({source})",
		Zh: "；水带铺设超过 {max} m：需串联供水（水源处一车，沿线接力）或大口径供水水带，进攻前先完成铺设（{source}）",
	},
	"plan.roads.none":   {En: "no open road joins it to the rest", Zh: "无开放道路与路网相连"},
	"plan.roads.closed": {En: "closed: {roads}", Zh: "已封闭：{roads}"},
	"plan.roads.noOpen": {En: "no open road", Zh: "无开放道路"},
	"zone.hot":          {En: "{kind} {level} ({m} m)", Zh: "{kind} {level}（{m} m）", Enums: map[string]string{"kind": "zones.kind."}},
	"zone.named":        {En: "{kind} {level}", Zh: "{kind} {level}", Enums: map[string]string{"kind": "zones.kind."}},
	"list.sep":          {En: ", ", Zh: "、"},
	"list.and":          {En: " and ", Zh: "和"},
	"list.semi":         {En: "; ", Zh: "；"},

	// What changed since the incident's last plan (desk.go).
	"plan.changed":          {En: "since the last plan: {what}", Zh: "与上一方案相比：{what}"},
	"plan.changed.wind":     {En: "the wind is now from {deg}° at {ms} m/s (was {deg0}° at {ms0} m/s)", Zh: "现风自 {deg}° 方向吹来，风速 {ms} m/s（原为 {deg0}°，{ms0} m/s）"},
	"plan.changed.staged":   {En: "the units now stage on {road}", Zh: "力量现于 {road} 集结"},
	"plan.changed.unstaged": {En: "the units no longer stage: no hot zone", Zh: "力量不再集结：无危险区"},
	"plan.changed.moved": {
		En:    "staging moved from {road0} ({deg0}°, {side0}) to {road} ({deg}°, {side})",
		Zh:    "集结点由 {road0}（{deg0}°，{side0}）移至 {road}（{deg}°，{side}）",
		Enums: map[string]string{"side0": "plan.side.", "side": "plan.side."},
	},
	"plan.changed.closed": {En: "{n} road segments closed for the plan (were {n0})", Zh: "本方案封闭道路 {n} 段（原为 {n0} 段）"},

	// Staging and the warm zone's exit.
	"plan.staging.where": {
		En: "{m} m from the source at {deg}°, outside {zones} by at least {margin} m",
		Zh: "距泄漏源 {m} m，方位 {deg}°，在{zones}以外至少 {margin} m",
	},
	"plan.staging.wind": {
		En:    "staging {side} on {road} ({roadName}): {where}, {side} ({off}° off the wind's bearing); the nearest such junction of an open public road that the teams reach without entering a hot zone",
		Zh:    "{side}集结点，位于 {road}（{roadName}）：{where}，{side}（偏离来风方位 {off}°）；为各队不进入危险区即可到达的、开放公共道路上最近的此类路口",
		Enums: map[string]string{"side": "plan.side."},
	},
	"plan.staging.farOff": {
		En: "; nowhere within {max}° of the wind's bearing is reachable: farther off the wind, outside the zones",
		Zh: "；来风方位 {max}° 以内均不可达：改在更偏离风向的危险区外",
	},
	"plan.staging.noWind": {
		En: "staging on {road} ({roadName}): {where}; the park has no weather, so the wind's side is unknown: the nearest junction of an open public road outside the hot zones",
		Zh: "集结点位于 {road}（{roadName}）：{where}；园区无气象数据，风向未知：取危险区外开放公共道路上最近的路口",
	},
	"plan.staging.near": {
		En: "; no junction outside the hot zones and the protective-action area is reached from the teams' bases without crossing a hot road: the units stop at the nearest junction outside the hot zones, not at the source",
		Zh: "；各队驻地均无法不穿越危险区道路到达危险区和防护行动区以外的路口：力量停在危险区外最近的路口，而非泄漏源",
	},
	"plan.edge": {
		En: "the vehicles' stop at the confined space on {road} ({roadName}): {m} m from the opening at {deg}°, the junction just outside the {r} m hot zone nearest the opening on the wind's side that staging reaches without a hot road; no vehicle enters the zone",
		Zh: "受限空间车辆停车点位于 {road}（{roadName}）：距开口 {m} m，方位 {deg}°，为 {r} m 热区外上风侧距开口最近、从集结点不经危险区道路即可到达的路口；车辆不得进入热区",
	},
	"plan.warmExit": {
		En: "the warm zone's exit on {road} ({roadName}): {m} m from the source at {deg}°, the junction outside the hot zones nearest the source on the wind's side that staging reaches without a hot road; the decontamination line works here, where the entry team comes out",
		Zh: "温区出口位于 {road}（{roadName}）：距泄漏源 {m} m，方位 {deg}°，为上风侧距泄漏源最近、从集结点不经危险区道路即可到达的危险区外路口；洗消线设于此处，进入小组由此撤出",
	},

	"plan.error.noStaging": {
		En: "no road point outside the hot zones ({zones}) is reachable: the units are not sent toward the source; hold them at their bases",
		Zh: "危险区（{zones}）以外没有可到达的道路点：不向泄漏源派出力量，请令其在驻地待命",
	},

	// Requirements' reasons (requirements.go).
	"req.kind.foam":   {En: "foam concentrate", Zh: "泡沫液"},
	"req.kind.arFoam": {En: "alcohol-resistant foam concentrate", Zh: "抗溶性泡沫液"},
	"req.foam": {
		En:    "{kind} for {tank} ({chem}, {ttype}, D {d} m), {scope}, {application}: {areaName} {area} m² × {rate} L/(min·m²) × {min} min = {sol} L solution, × {pct} % = {conc} L ({source})",
		Zh:    "{tank}（{chem}，{ttype}，D {d} m）所需{kind}，{scope}，{application}：{areaName} {area} m² × {rate} L/(min·m²) × {min} min = 混合液 {sol} L，× {pct} % = {conc} L（{source}）",
		Enums: map[string]string{"ttype": "enum.tankType.", "scope": "req.scope."},
	},
	"req.scope.seal":         {En: "seal", Zh: "密封圈火灾"},
	"req.scope.full-surface": {En: "full-surface", Zh: "全液面火灾"},
	"req.scope.dike":         {En: "dike", Zh: "防火堤火灾"},
	"req.app.seal":           {En: "seal", Zh: "密封圈施加"},
	"req.app.arSurface":      {En: "alcohol-resistant, surface application", Zh: "抗溶性，液上施加"},
	"req.app.arMobile":       {En: "alcohol-resistant, mobile (fire engines' monitors)", Zh: "抗溶性，移动式（消防车水炮）"},
	"req.app.mobile":         {En: "mobile (fire engines' monitors)", Zh: "移动式（消防车水炮）"},
	"req.app.system":         {En: "{system} system", Zh: "{system}系统", Enums: map[string]string{"system": "req.system."}},
	"req.system.fixed":       {En: "fixed", Zh: "固定式"},
	"req.system.semi-fixed":  {En: "semi-fixed", Zh: "半固定式"},
	"req.area.seal":          {En: "seal ring π·D·{w} m", Zh: "密封圈环面 π·D·{w} m"},
	"req.area.cross":         {En: "cross-section π·D²/4", Zh: "横截面 π·D²/4"},
	"req.area.plan":          {En: "plan area D × L = {d} m × {l} m", Zh: "水平投影面积 D × L = {d} m × {l} m"},
	"req.src":                {En: "{s}", Zh: "{s}"},
	"req.src.notListed":      {En: "not listed", Zh: "未列出"},
	"req.src.row":            {En: ", row {name}", Zh: "，{name}行"},
	"req.src.monitors":       {En: " × {f} for monitors ({s})", Zh: " × {f}（水炮施加，{s}）"},
	"req.src.class1":         {En: ", class I (flash point below {fp} °C or unknown)", Zh: "，Ⅰ类液体（闪点低于 {fp} °C 或未知）"},
	"req.src.class2":         {En: ", class II (flash point {fp} °C)", Zh: "，Ⅱ类液体（闪点 {fp} °C）"},
	"req.note.sealNotFloating": {
		En: "a rim-seal fire is an external floating roof's: this {ttype} tank is sized over its full surface", Zh: "密封圈火灾只发生在外浮顶罐：此{ttype}按全液面计算",
		Enums: map[string]string{"ttype": "enum.tankType."},
	},
	"req.note.sealWaterSoluble": {
		En: "the seal rate is for non-water-soluble liquids only (GB 50151-2021 §4.3): a water-soluble liquid is sized over the full surface",
		Zh: "密封圈供给强度只适用于非水溶性液体（GB 50151-2021 §4.3）：水溶性液体按全液面计算",
	},
	"req.note.plunge": {
		En: "monitors plunge foam into a water-soluble liquid, which breaks it down: apply it gently (off the shell or a backboard), and take the concentrate maker's listed rate for monitors where it is higher",
		Zh: "水炮将泡沫冲入水溶性液体会使其破坏：应缓施加（经罐壁或挡板），泡沫液厂家给出的水炮供给强度更高时取其值",
	},
	"req.note.monitorLimit": {
		En: "NFPA 11-2016 §5.2.4.2.1 does not accept monitors as the primary protection of a fixed-roof tank over {max} m across",
		Zh: "NFPA 11-2016 §5.2.4.2.1 不接受以水炮作为直径超过 {max} m 的固定顶罐的主要保护",
	},
	"req.note.monitorFixed": {
		En: ": this {d} m tank (taken as a fixed roof) needs large-capacity monitors sized for its whole surface or a fixed system",
		Zh: "：此 {d} m 储罐（按固定顶计）需按全液面配置大流量水炮或固定系统",
	},
	"req.note.monitorOther": {
		En:    "; the limit is set for fixed roofs, but a {d} m {ttype} burning over its surface is beyond ordinary monitors' reach too: large-capacity monitors sized for its whole surface",
		Zh:    "；该限值针对固定顶罐，但 {d} m 的{ttype}全液面燃烧同样超出普通水炮能力：需按全液面配置大流量水炮",
		Enums: map[string]string{"ttype": "enum.tankType."},
	},
	"req.hoseStreams": {
		En: "supplementary hose streams for a tank {d} m across: {n} × {lpm} L/min × {min} min = {sol} L solution, × {pct} % = {conc} L ({source}; the larger of GB 50151 and NFPA 11)",
		Zh: "直径 {d} m 储罐的辅助泡沫枪：{n} × {lpm} L/min × {min} min = 混合液 {sol} L，× {pct} % = {conc} L（{source}；取 GB 50151 与 NFPA 11 中较大者）",
	},
	"req.cooling": {
		En: "cooling water for {h} h: {burning}, and {why} ({source})",
		Zh: "冷却水 {h} h：{burning}，以及{why}（{source}）",
	},
	"req.cooling.burning": {
		En: "the burning tank{asFixed} π·{d} m × {rate} L/(s·m) = {l} L",
		Zh: "着火罐{asFixed} π·{d} m × {rate} L/(s·m) = {l} L",
	},
	"req.cooling.burningHorizontal": {
		En: "the burning horizontal tank's surface ({d} m × {len} m: π·D·L + π·D²/2 = {surface} m²) × {rate} L/(s·m²) = {l} L ({source})",
		Zh: "着火卧式罐表面积（{d} m × {len} m：π·D·L + π·D²/2 = {surface} m²）× {rate} L/(s·m²) = {l} L（{source}）",
	},
	"req.cooling.neighboursHorizontal": {
		En: "; {n} horizontal neighbours, each {share} of its surface × {rate} L/(s·m²) = {l} L ({source})",
		Zh: "；{n} 个卧式邻近罐，各按表面积的 {share} × {rate} L/(s·m²) = {l} L（{source}）",
	},
	"req.cooling.asFixed": {
		En: " (a full-surface fire on an {ttype} tank, cooled as a fixed roof)", Zh: "（{ttype}全液面火灾，按固定顶罐冷却）",
		Enums: map[string]string{"ttype": "enum.tankType."},
	},
	"req.dikeCooling": {
		En: "cooling water for the {n} tanks standing in the burning dike: {atm} atmospheric, each over its whole circumference at its type's burning-tank rate (a horizontal tank over its surface) for {h} h = {l} L ({source})",
		Zh: "着火防火堤内 {n} 个储罐的冷却水：常压罐 {atm} 个，各按其类型的着火罐供给强度冷却整个周长（卧式罐按表面积）{h} h = {l} L（{source}）",
	},
	"req.dikeCooling.gas": {
		En: "; {n} of liquefied gas under pressure, over their whole surface {m2} m² × {rate} L/(min·m²) for {h} h = {l} L ({source})",
		Zh: "；压力液化气体储罐 {n} 个，按整个表面积 {m2} m² × {rate} L/(min·m²) 冷却 {h} h = {l} L（{source}）",
	},
	"req.dikeCooling.outside": {
		En: ", and {n} neighbours outside the dike over {how} = {l} L",
		Zh: "，以及堤外 {n} 个邻近罐按{how} = {l} L",
	},
	"req.dikeCooling.half":    {En: "half their circumference at {rate} L/(s·m)", Zh: "半周长、{rate} L/(s·m)"},
	"req.dikeCooling.surface": {En: "{share} of their surface at {rate} L/(min·m²)", Zh: "{share} 表面积、{rate} L/(min·m²)"},
	"req.src.then":            {En: "; {s}", Zh: "；{s}"},
	"req.src.forMinutes":      {En: "; for {min} min ({s})", Zh: "；持续 {min} min（{s}）"},
	"req.src.monitorMinutes": {
		En: ", for monitors' {min} min ({s}, {class})", Zh: "，水炮施加持续 {min} min（{s}，{class}）",
	},
	"req.cooling.neighbours": {
		En: "{n} neighbours within {reach} m of its shell, each π·D × {share} × {rate} L/(s·m) = {l} L",
		Zh: "罐壁 {reach} m 内的 {n} 个邻近罐，各 π·D × {share} × {rate} L/(s·m) = {l} L",
	},
	"req.cooling.sealNoNeighbours": {
		En: "the neighbours of a rim-seal fire on an {ttype} tank need no cooling", Zh: "{ttype}密封圈火灾的邻近罐无需冷却",
		Enums: map[string]string{"ttype": "enum.tankType."},
	},
	"req.gasHoseStreams": {
		En: "; and the hose streams' supplementary water for a liquefied-gas tank of {v} m³, {lps} L/s for {h} h = {l} L: {total} L/s in all ({source})",
		Zh: "；另加液化气体储罐（{v} m³）移动式水枪补充用水 {lps} L/s，持续 {h} h = {l} L：合计 {total} L/s（{source}）",
	},
	"req.dikeHoseStreams": {
		En: "; and the burning liquefied-gas tank's hose streams, {lps} L/s = {l} L",
		Zh: "；另加着火液化气体储罐的移动式水枪用水 {lps} L/s = {l} L",
	},
	"req.gasCooling": {
		En: "no foam on a pressurised liquefied gas ({chem} in {tank}): cooling water for {h} h over surfaces — the burning tank {surface} m² × {rate} L/(min·m²) = {l} L, and {n} neighbours within {reach} m of its shell (the {max} largest at most), {share} × their surface = {nm2} m² × {rate} L/(min·m²) = {nl} L ({source})",
		Zh: "压力液化气体不用泡沫（{tank} 中的{chem}）：按表面积冷却 {h} h — 着火罐 {surface} m² × {rate} L/(min·m²) = {l} L，以及罐壁 {reach} m 内的 {n} 个邻近罐（至多取最大的 {max} 个），{share} × 其表面积 = {nm2} m² × {rate} L/(min·m²) = {nl} L（{source}）",
	},
	"req.dike.footprint": {En: "the footprint of {unit}", Zh: "{unit} 的占地范围"},
	"req.dike.rectangle": {En: "the rectangle the farm's tank shells span (the dike is at least this)", Zh: "罐区各罐外壁所围矩形（防火堤至少这么大）"},
	"req.class1":         {En: "class I", Zh: "Ⅰ类液体"},
	"req.class2":         {En: "class II", Zh: "Ⅱ类液体"},
	"req.nonDiked":       {En: "non-diked spill", Zh: "无围堤泄漏"},
	"req.pool":           {En: "a pool of {v} m³ spread {mm} mm deep", Zh: "{v} m³ 液池，铺展厚度 {mm} mm"},
	"req.poolFire": {
		En: "{kind} for the pool fire ({chem}): {how}, {area} m² × {rate} L/(min·m²) × {min} min ({class}) = {sol} L solution, × {pct} % = {conc} L ({source})",
		Zh: "池火所需{kind}（{chem}）：{how}，{area} m² × {rate} L/(min·m²) × {min} min（{class}）= 混合液 {sol} L，× {pct} % = {conc} L（{source}）",
	},
	"req.spread":     {En: "{v} m³ spread {mm} mm deep", Zh: "{v} m³，铺展厚度 {mm} mm"},
	"req.heldByDike": {En: "{v} m³ held by the dike ({how})", Zh: "{v} m³，由防火堤围住（{how}）"},
	"req.blanket": {
		En: "{kind} blanket against the vapour of the spill ({chem}): {how}, {area} m² × {rate} L/(min·m²) × {min} min = {sol} L solution, × {pct} % = {conc} L ({source})",
		Zh: "覆盖泄漏液面抑制蒸气所需{kind}（{chem}）：{how}，{area} m² × {rate} L/(min·m²) × {min} min = 混合液 {sol} L，× {pct} % = {conc} L（{source}）",
	},
	"req.absorbent": {En: "absorbent: {v} m³ × {k} kg/m³ = {kg} kg (spill rule [unverified])", Zh: "吸附材料：{v} m³ × {k} kg/m³ = {kg} kg（泄漏规则，未核实）"},
	"req.boom":      {En: "boom around the pool: perimeter 2·√(π·{a} m²) × {share} = {m} m (spill rule [unverified])", Zh: "液池围油栏：周长 2·√(π·{a} m²) × {share} = {m} m（泄漏规则，未核实）"},
	"req.entry.team": {
		En: "the entry team {team} ({how}: {source}) and {rot} for rotation, stock at staging (of the {n} in the crews that go in, at most {cap})",
		Zh: "进入编组 {team} 人（{how}：{source}），另 {rot} 套为轮换储备，放在集结点（进入车组共 {n} 人，至多 {cap} 套）",
	},
	"req.kit": {
		En:    "{eq} {n}: the kit for a {container} ({how}), in place of the generic {generic} ({source})",
		Zh:    "{eq} {n} 套：适用于{container}的堵漏工具（{how}），代替通用{generic}（{source}）",
		Enums: map[string]string{"eq": "equipment.", "generic": "equipment."},
	},
	"req.kit.container.cylinder": {En: "cylinder", Zh: "钢瓶"},
	"req.kit.container.ton":      {En: "ton container", Zh: "吨瓶"},
	"req.kit.container.bulk":     {En: "tank car, tank truck or bulk tank", Zh: "铁路槽车、道路槽罐车或储罐"},
	"req.kit.tank":               {En: "the tank {tank} holds up to {t} t", Zh: "储罐 {tank} 最多储存 {t} 吨"},
	"req.kit.tanker":             {En: "a vehicle accident: a road tanker", Zh: "车辆事故：道路槽罐车"},
	"req.entry.pairs":            {En: "a recon pair of {recon}, a sealing pair of {sealing}, {backup} backups", Zh: "侦察 {recon} 人、堵漏 {sealing} 人、后备 {backup} 人"},
	"req.entry.entrants":         {En: "{sealing} entrants, {backup} backups", Zh: "进入 {sealing} 人、后备 {backup} 人"},
	"req.perEntrant": {
		En:    "{eq}: {why} × {per} each = {q}; the crews' own SCBA come on their vehicles ({source})",
		Zh:    "{eq}：{why} × 每人 {per} = {q}；车组自带的空气呼吸器随车到达（{source}）",
		Enums: map[string]string{"eq": "equipment."},
	},
	"req.perIncident":   {En: "{eq}: {n} per {what}", Zh: "{eq}：每起{what} {n}", Enums: map[string]string{"eq": "equipment."}},
	"req.per.gas":       {En: "release of {chem} (a gas: no pool to blanket, absorb or pump)", Zh: "{chem}泄漏（气体：无液池可覆盖、吸附或抽吸）"},
	"req.per.spill":     {En: "spill", Zh: "泄漏"},
	"req.per.toxic":     {En: "toxic release", Zh: "有毒气体泄漏"},
	"req.per.confined":  {En: "confined-space rescue", Zh: "有限空间救援"},
	"req.per.explosion": {En: "explosion", Zh: "爆炸"},
	"req.unverified":    {En: " [unverified]", Zh: "（未核实）"},
	"req.det.fromUnit":  {En: "the incident names no chemical: {unit}'s tanks' most toxic gas (the largest GB 18218 β)", Zh: "事故未指明化学品：取 {unit} 储罐中毒性最强的气体（GB 18218 β 最大）"},
	"req.det.unknown": {
		En:    "{eq}: {n} — the chemical is not named: a four-gas screen until it is identified, then the detector that reads it",
		Zh:    "{eq}：{n} — 化学品未指明：先用四合一检测仪筛查，查明后改用可检测该物质的检测仪",
		Enums: map[string]string{"eq": "equipment."},
	},
	"req.det.none": {
		En: "no detector type in the rules ({rule}) reads {zh} {en} ({cas}){from}",
		Zh: "规则（{rule}）中没有可检测{zh}（{en}，{cas}）的检测仪型号{from}",
	},
	"req.det": {
		En:    "{eq}: {n} to read {chem} ({cas}){status} — {source}{from}",
		Zh:    "{eq}：{n} 台，检测{chem}（{cas}）{status} — {source}{from}",
		Enums: map[string]string{"eq": "equipment."},
	},

	// The incident's timeline.
	"timeline.reported":          {En: "reported: {type}, level {level}", Zh: "接报：{type}，{level} 级", Enums: map[string]string{"type": "enum.incidentType."}},
	"timeline.chemicalFromAlarm": {En: "chemical taken from the alarm: {chemical} ({from})", Zh: "化学品取自报警：{chemical}（{from}）"},
	"timeline.fromSensor":        {En: "the gas {gas} that {sensor} reads", Zh: "{sensor} 检测的气体 {gas}"},
	"timeline.fromTanks": {
		En: "the worst of {unit}'s tanks: {chemical} in {tank}, ERG reach {m} m for a large spill",
		Zh: "{unit} 储罐中后果最严重者：{tank} 中的{chemical}，大量泄漏时 ERG 作用距离 {m} m",
	},
	"timeline.merged":  {En: "a further report merged", Zh: "已合并后续报告"},
	"timeline.raised":  {En: "level raised from {from} to {to}", Zh: "响应级别由 {from} 级升至 {to} 级"},
	"timeline.lowered": {En: "level lowered from {from} to {to}", Zh: "响应级别由 {from} 级降至 {to} 级"},
	"timeline.released": {
		En:    "{vehicle} of {team} released (was {was}): available again; {n} equipment lines it carried returned",
		Zh:    "{team}的 {vehicle} 已解除（原为{was}）：恢复可用；其所载 {n} 项装备已归还",
		Enums: map[string]string{"was": "enum.assignState."},
	},
	"timeline.chemicalNamed": {En: "chemical named by the further report: {chemical}", Zh: "后续报告指明化学品：{chemical}"},
	"timeline.confirmed":     {En: "plan confirmed: {vehicles} vehicles dispatched, {lines} equipment lines reserved", Zh: "方案已确认：调派车辆 {vehicles} 辆，预留装备 {lines} 项"},
	"timeline.reinforced": {
		En: "reinforcement (level {level}) confirmed: {vehicles} more vehicles dispatched, {lines} more equipment lines reserved",
		Zh: "增援（{level} 级）已确认：增派车辆 {vehicles} 辆，增加预留装备 {lines} 项",
	},
	"timeline.taken": {
		En:    "{vehicle} taken for {incident} (level {level} {type}), which ranks higher",
		Zh:    "{vehicle} 被抽调至优先级更高的 {incident}（{level} 级{type}）",
		Enums: map[string]string{"type": "enum.incidentType."},
	},
	"timeline.state":     {En: "{state}", Zh: "{state}", Enums: map[string]string{"state": "enum.incidentState."}},
	"timeline.cancelled": {En: "cancelled: everything released", Zh: "已取消：全部力量和装备已释放"},
	"timeline.protect": {
		En:    "{action} {target} ({name})",
		Zh:    "{action}：{target}（{name}）",
		Enums: map[string]string{"action": "zones.order."},
	},
	"timeline.release": {
		En:    "release entered: {what} for {s} s, {kg} kg, a {spill} spill",
		Zh:    "已录入泄漏：{what}，持续 {s} 秒，共 {kg} kg，{spill}",
		Enums: map[string]string{"spill": "zones.spill."},
	},
	"timeline.release.rate":    {En: "{rate} kg/s", Zh: "{rate} kg/s"},
	"timeline.release.hole":    {En: "a {mm} mm hole ({phase}) → {rate} kg/s", Zh: "{mm} mm 孔（{phase}）→ {rate} kg/s", Enums: map[string]string{"phase": "enum.phase."}},
	"timeline.release.default": {En: "the default hole → {rate} kg/s", Zh: "默认孔径 → {rate} kg/s"},

	// The desk's refusals.
	"error.incidentClosed": {En: "incident {id} is closed", Zh: "事故 {id} 已结案"},
	"error.incidentState": {
		En:    "incident {id} is {from}: it cannot become {to}",
		Zh:    "事故 {id} 处于{from}状态：不能变为{to}",
		Enums: map[string]string{"from": "enum.incidentState.", "to": "enum.incidentState."},
	},
	"error.alreadyOrdered": {
		En:    "{target} ({name}) was already ordered to {action} at {at}",
		Zh:    "{target}（{name}）已于 {at} 下令{action}",
		Enums: map[string]string{"action": "zones.order."},
	},
	// A confirm or a release refused for what changed since the plan
	// was drawn (409): each says what happened and what to do.
	"error.reinforcement.none": {
		En:    "incident {id} is {state}: a further plan is a reinforcement planned on it (plan again)",
		Zh:    "事故 {id} 处于{state}状态：后续调派须按增援方案进行，请重新生成增援方案",
		Enums: map[string]string{"state": "enum.incidentState."},
	},
	"error.reinforcement.stale": {
		En: "incident {id} has changed since this reinforcement was planned (its level, or the units and equipment it holds): plan again",
		Zh: "计划依据已变化，请重新生成增援方案（此方案生成后，事故 {id} 的响应级别或已调派的力量、装备有变）",
	},
	"error.vehicleBusy": {
		En:    "vehicle {vehicle} is {status}: plan again",
		Zh:    "车辆 {vehicle} 当前为{status}状态，不能再调派：请重新生成方案",
		Enums: map[string]string{"status": "enum.status."},
	},
	"error.vehicleAssigned": {
		En: "vehicle {vehicle} is already assigned to {id}: plan again",
		Zh: "车辆 {vehicle} 已调派至事故 {id}：请重新生成方案",
	},
	"error.vehicleReleased": {
		En: "vehicle {vehicle} of {team} is released from {id} already",
		Zh: "{team}的 {vehicle} 已从事故 {id} 释放，无需再次释放",
	},
	"error.vehicleNotOnWay": {
		En: "vehicle {vehicle} is not on its way to {from}: plan again",
		Zh: "车辆 {vehicle} 已不在前往事故 {from} 的途中：请重新生成方案",
	},
	"error.notRankBelow": {
		En: "{from} does not rank below {id}: its units stay",
		Zh: "事故 {from} 的优先级不低于 {id}：其力量不能抽调",
	},
	"error.noRoadToIncident":    {En: "the park has no open road to the incident", Zh: "园区内没有通往事故现场的可通行道路"},
	"error.noRoadFrom":          {En: "no road from {team} to the incident", Zh: "{team}没有通往事故现场的可通行道路"},
	"error.noRoadToPlan":        {En: "the park has no open road to plan on", Zh: "园区内没有可通行的道路，无法生成方案"},
	"error.noAlarm":             {En: "no alarm {id}", Zh: "不存在报警 {id}"},
	"error.noEntityID":          {En: "no entity {id}", Zh: "不存在对象 {id}"},
	"error.noChemical":          {En: "no chemical {cas} in the catalogue", Zh: "化学品目录中没有 {cas}"},
	"error.noReporter":          {En: "required: who reports", Zh: "必填：报告人"},
	"error.noPlace":             {En: "the place is required: an entity's ID or a point [lon, lat]", Zh: "必须给出地点：对象编号或坐标点 [经度, 纬度]"},
	"error.twoPlaces":           {En: "give the place as an entity or a point, not both", Zh: "地点请给出对象或坐标点之一，不要同时给出"},
	"error.closedNoZones":       {En: "incident {id} is closed: it has no zones", Zh: "事故 {id} 已结案：没有后果区域"},
	"error.noChemicalNoZones":   {En: "incident {id} names no chemical: it has no zones", Zh: "事故 {id} 未指明化学品：没有后果区域"},
	"error.noChemicalNoRelease": {En: "incident {id} names no chemical: report it with one to model its release", Zh: "事故 {id} 未指明化学品：请补报化学品后再计算泄漏"},

	// The consequence zones' notes (zones.go).
	// A zone's own notes (Zone.NoteMsgs).
	"zone.note.erg11km": {En: "ERG gives more than 11 km: drawn at 11 km", Zh: "ERG 给出的距离超过 11 km：按 11 km 绘制"},
	"zone.note.windUnknown": {
		En: "the wind is unknown: the distance is drawn all round for the public (shelter in place or evacuate); the units stage just outside the isolation distance on the prevailing upwind side until the wind is confirmed",
		Zh: "风向未知：该距离按四周绘制，供公众就地避难或疏散；风向确认前，救援力量在盛行风上风侧、紧靠隔离距离之外集结",
	},
	"zone.note.calm":   {En: "calm: the wind's way is unknown, so the distance is drawn all round", Zh: "静风：风的去向未知，故该距离按四周绘制"},
	"zone.note.square": {En: "the guide's square: downwind of the spill, as wide as it is long", Zh: "按指南的正方形绘制：位于泄漏处下风向，宽与长相等"},
	"zone.note.beyondBLEVE": {
		En: "the tank ({capacity} L) is beyond the BLEVE table's largest row ({last} L): {m} m is the table's last figure, at least that far",
		Zh: "储罐（{capacity} L）超出 BLEVE 表的最大一行（{last} L）：{m} m 为表中最后的数值，实际至少这么远",
	},
	"zone.note.past10km":         {En: "goes on past 10 km, the model's range: cut there", Zh: "超出模型适用范围 10 km：在此截断"},
	"zone.note.fromSource":       {En: "exceeded at 100 m: closed back to the source (the first 100 m are outside the model's range)", Zh: "100 m 处已超过该阈值：闭合至泄漏源（前 100 m 不在模型适用范围内）"},
	"zone.note.passive":          {En: "a passive plume: a dense gas near its source spreads wider and lower than this", Zh: "被动烟羽：重气在泄漏源附近扩散得比此更宽、更低"},
	"zone.note.poolBeyond":       {En: "the pool ({d} m) is beyond the correlations' 100 m: drawn for 100 m", Zh: "油池（{d} m）超出关联式适用的 100 m：按 100 m 绘制"},
	"zones.note.releaseMisfit":   {En: "the entered release no longer fits its source ({err}): the defaults are used", Zh: "录入的泄漏参数与泄漏源不再相符（{err}）：采用默认值"},
	"zones.note.noWeather":       {En: "the park has no weather (no station reading, no override): no wind, so no downwind zones; ERG circles and fire and blast rings only", Zh: "园区无气象数据（无气象站读数，无人工设定）：无风向，故无下风向区域；仅有 ERG 圆形区域及火灾、爆炸圈"},
	"zones.note.noUN":            {En: "the chemical has no UN number: no ERG distances", Zh: "该化学品无 UN 编号：无 ERG 距离"},
	"zones.note.table3Low":       {En: "ERG Table 3 read for a low wind, the longest distances: the park has no weather", Zh: "ERG 表 3 按低风速（距离最长）查取：园区无气象数据"},
	"zones.note.provisional":     {En: "the weather is the station's last reading, {min} min old, from {deg}°: provisional until the wind is confirmed", Zh: "气象数据为气象站最后读数（{min} 分钟前），风来自 {deg}°：风向确认前为暂定"},
	"zones.note.table3NoRow":     {En: "ERG Table 3 has no row for the container", Zh: "ERG 表 3 中没有该容器的行"},
	"zones.note.noGuide":         {En: "{un} is neither in the {erg} tables nor given a guide in {rule}: no ERG distances", Zh: "{un} 既不在 {erg} 表中，{rule} 中也未指定指南：无 ERG 距离"},
	"zones.note.noEndpoints":     {En: "no toxic endpoints are known for {chem}: no toxic footprints", Zh: "{chem} 无已知毒性终点：不绘制毒害区"},
	"zones.note.calm":            {En: "calm ({ms} m/s): the Gaussian plume is not valid below {min} m/s, so no toxic footprints are drawn", Zh: "静风（{ms} m/s）：高斯烟羽模型在 {min} m/s 以下不适用，故不绘制毒害区"},
	"zones.note.notAirborne":     {En: "nothing airborne ({from}): no toxic footprints", Zh: "无物质进入空气（{from}）：不绘制毒害区"},
	"zones.note.toxicFailed":     {En: "toxic footprints not drawn: {err}", Zh: "未绘制毒害区：{err}"},
	"zones.note.endpointNear":    {En: "{endpoint} ({ppm} ppm) is not reached beyond 100 m", Zh: "{endpoint}（{ppm} ppm）在 100 m 以外未达到"},
	"zones.note.flammableFailed": {En: "the flammable cloud not drawn: {err}", Zh: "未绘制可燃云区：{err}"},
	"zones.note.lflNear":         {En: "half the LFL of {chem} ({ppm} ppm) is not reached beyond 100 m", Zh: "{chem} 爆炸下限的一半（{ppm} ppm）在 100 m 以外未达到"},
	"zones.note.notAFuel":        {En: "{chem} is not a fuel of the pool-fire table: no thermal rings", Zh: "{chem} 不在池火燃料表中：不绘制热辐射圈"},
	"zones.note.poolFailed":      {En: "pool fire not drawn: {err}", Zh: "未绘制池火：{err}"},
	"zones.note.fireballFailed":  {En: "fireball not drawn: {err}", Zh: "未绘制火球：{err}"},
	"zones.note.noHeat":          {En: "no heat of combustion of {chem} is known: no overpressure rings", Zh: "{chem} 燃烧热未知：不绘制超压圈"},
	"zones.note.blastFailed":     {En: "overpressure not drawn: {err}", Zh: "未绘制超压圈：{err}"},
	"zones.note.solid":           {En: "a solid: no release rate, no plume; ERG distances only", Zh: "固体：无释放速率，无烟羽；仅有 ERG 距离"},
	"zones.note.spillReported":   {En: "the spill as reported: {v} m³ of {chem}", Zh: "按报告的泄漏量：{chem} {v} m³"},

	// Equipment lines and shortfalls.
	"plan.line": {
		En:    "{take} {unit} of {warehouse} ({tier} tier, lends {lend} %, {avail} lendable), {eta} s away by road",
		Zh:    "{warehouse}的 {take} {unit}（{tier}，可借出比例 {lend} %，可借 {avail}），行驶 {eta} 秒",
		Enums: map[string]string{"tier": "enum.tier.", "unit": "unit."},
	},
	"unit.units":             {En: "units", Zh: "辆"},
	"unit.set":               {En: "sets", Zh: "套"},
	"plan.flow.foam":         {En: "flow: foam solution", Zh: "流量：泡沫混合液"},
	"plan.flow.all":          {En: "flow: foam and cooling", Zh: "流量：泡沫与冷却水"},
	"plan.short.detectorFor": {En: "detector for {chemical}", Zh: "{chemical}检测仪"},
	"plan.short.unreachable": {
		En: "unreachable: {n} that fit ({cut}) cannot reach the incident by open roads ({why})",
		Zh: "无法到达：{n} 辆符合条件的车辆（{cut}）无法经开放道路到达事故点（{why}）",
	},
	"plan.short.cutUnit": {En: "{vehicle} of {team}", Zh: "{team}的{vehicle}"},
	"plan.short.flowFoam": {
		En: "the assigned foam tenders and monitors deliver {have} L/s of foam solution, the fire needs {need} L/s ({source})",
		Zh: "调派的泡沫车和炮供给泡沫混合液 {have} L/s，火灾需要 {need} L/s（{source}）",
	},
	"plan.short.flowAll": {
		En: "the assigned vehicles deliver {have} L/s, the fire needs {foam} L/s of foam solution and {water} L/s of cooling water at once ({source})",
		Zh: "调派车辆供给 {have} L/s，火灾同时需要泡沫混合液 {foam} L/s 和冷却水 {water} L/s（{source}）",
	},
	"plan.short.detector": {
		En: "the detector that reads {zh} {en} ({cas}): the warehouses can lend {available} of the {needed} needed, and no other type reads it",
		Zh: "可检测{zh}（{en}，{cas}）的检测仪：仓库可借出 {available} 台，需要 {needed} 台，且无其他型号可测",
	},
}

// join returns the messages ms as one list, separated by list.sep.
func join(ms []msg.Msg) []msg.Msg {
	out := make([]msg.Msg, 0, 2*len(ms))
	for i, m := range ms {
		if i > 0 {
			out = append(out, msg.New("list.sep"))
		}
		out = append(out, m)
	}
	return out
}

// english renders messages in English, for the plan's text fields.
func english(ms ...msg.Msg) string { return Messages.English(ms...) }

// num0 writes a number as the plan's English always has: no decimals.
func num0(v float64) string { return fmt.Sprintf("%.0f", v) }

// whatMsg is the message for a run card's line (what(u)).
func whatMsg(u Unit) msg.Msg {
	if u.Vehicle != "" {
		return msg.New("plan.unit.vehicle", "v", u.Vehicle)
	}
	return msg.New("plan.unit.capability", "c", u.Capability)
}

// roleMsg names a run card line's role (cmpOr(u.Vehicle, u.Capability)).
func roleMsg(u Unit) msg.Msg {
	if u.Vehicle != "" {
		return msg.New("plan.role.vehicle", "v", u.Vehicle)
	}
	return msg.New("plan.role.capability", "c", u.Capability)
}

// idList is a list of ids (roads) as plain text: ids read the same in
// every language.
func idList(ids []string) string { return strings.Join(ids, ", ") }

// noteMsg is the tactics' note i in both languages.
func (tc Tactics) noteMsg(i int) msg.Msg {
	zh := tc.Notes[i]
	if i < len(tc.NotesZh) {
		zh = tc.NotesZh[i]
	}
	return msg.New("plan.note.text", "en", tc.Notes[i], "zh", zh)
}

// lfgTacticMsg is zones.yaml's warning i for a liquefied flammable gas
// fire in both languages.
func (c *ZoneConfig) lfgTacticMsg(i int, en string) msg.Msg {
	zh := en
	if i < len(c.TacticsLiquefiedFlammableGasZh) {
		zh = c.TacticsLiquefiedFlammableGasZh[i]
	}
	return msg.New("plan.note.text", "en", en, "zh", zh)
}

// hotMsgs lists the hot zones as HotSummary does, as messages.
func (z *IncidentZones) hotMsgs() []msg.Msg {
	var ms []msg.Msg
	for _, h := range z.Hot() {
		ms = append(ms, msg.New("zone.hot", "kind", h.Kind, "level", levelArg(h.Level), "m", num0(h.ExtentM)))
	}
	return join(ms)
}

// say adds a part to the staging point's reason, in English and as a
// message.
func (st *Staging) say(m msg.Msg) {
	st.ReasonMsg = append(st.ReasonMsg, m)
	st.Reason += english(m)
}

// step is a timeline entry of message m, its What in English.
func step(at time.Time, by string, m msg.Msg) twin.TimelineEntry {
	return twin.TimelineEntry{At: at, What: english(m), By: by, WhatMsg: &m}
}

// num1 writes a number with one decimal, as the requirements' English
// always has.
func num1(v float64) string { return fmt.Sprintf("%.1f", v) }

// said returns the requirement with its reason: ms in English, and as
// messages.
func (q Requirement) said(ms ...msg.Msg) Requirement {
	q.ReasonMsg = ms
	q.Reason = english(ms...)
	return q
}

// note adds a note on the foam's application, in English and as
// messages.
func (ap *application) note(ms ...msg.Msg) {
	ap.notes = append(ap.notes, english(ms...))
	ap.noteMsgs = append(ap.noteMsgs, ms)
}

// refuse returns the error of code about field whose message is m.
func refuse(code, field string, m msg.Msg) *twin.Error {
	return &twin.Error{Code: code, Field: field, Message: english(m), Msg: &m}
}

// note adds a note to the zones, in English and as a message.
func (z *IncidentZones) note(m msg.Msg) {
	z.Notes = append(z.Notes, english(m))
	z.NoteMsgs = append(z.NoteMsgs, []msg.Msg{m})
}

// note adds a note to the zone, in English and as a message.
func (zn *Zone) note(m msg.Msg) {
	zn.Notes = append(zn.Notes, english(m))
	zn.NoteMsgs = append(zn.NoteMsgs, []msg.Msg{m})
}

// note adds a note to the source, in English and as a message.
func (src *Source) note(m msg.Msg) {
	src.Notes = append(src.Notes, english(m))
	src.noteMsgs = append(src.noteMsgs, m)
}

// errArg is an error as a message's argument: its message when coded,
// else its English text.
func errArg(err error) any {
	if m := twin.ErrorMsg(err); m != nil {
		return *m
	}
	return twin.ErrorMessage(err)
}
