package telemetry

import (
	"strconv"
	"time"

	"parktwin/twin"
	"parktwin/twin/msg"
)

// Messages is the catalogue of the texts the monitoring writes for
// people: the reasons of the tasks it raises, the reasons of the
// gradings it records, the note of an alarm it closes. Each is kept as
// English text (reason, note) and as messages (reasonMsg, noteMsg) the
// console renders in its language. Identifiers, times and numbers are
// arguments.
var Messages = msg.Catalogue{
	"task.escalation.ack": {
		En: "order {order} (alarm {alarm}): not acknowledged by {deadline}",
		Zh: "核查单 {order}（报警 {alarm}）：未在 {deadline} 前签收",
	},
	"task.escalation.feedback": {
		En: "order {order} (alarm {alarm}): no feedback by {deadline}",
		Zh: "核查单 {order}（报警 {alarm}）：未在 {deadline} 前反馈",
	},
	"task.overdueDanger": {
		En: "hidden danger {danger} «{title}» was due {due}, owner {owner}",
		Zh: "隐患 {danger}「{title}」已于 {due} 到期，责任人 {owner}",
	},
	"task.lowStock": {
		En:    "{warehouse} {type}: {ready} {unit} ready, below the {tier} tier's minimum of {minimum} (short {short})",
		Zh:    "{warehouse} {type}：完好可用 {ready} {unit}，低于{tier}储备下限 {minimum}（缺 {short}）",
		Enums: map[string]string{"type": "equipment.", "unit": "unit.", "tier": "enum.tier."},
	},
	"task.overdueLoan": {
		En:    "loan {loan}: {quantity} {type} from {warehouse} to {borrower} was due back {due}",
		Zh:    "借用 {loan}：{warehouse} 借给 {borrower} 的 {quantity} {type} 应于 {due} 归还",
		Enums: map[string]string{"type": "equipment."},
	},
	"task.regrade.changed": {
		En: "inputs changed since {grading}: the unit's quantities or surroundings changed",
		Zh: "自评级 {grading} 以来输入已变：单元的存量或周边已改变",
	},
	"task.regrade.old": {
		En: "grading {grading} of {date} is older than {days} days",
		Zh: "评级 {grading}（{date}）已超过 {days} 天",
	},
	"grading.reason.first": {En: "first grading", Zh: "首次评级"},
	"grading.reason.changed": {
		En: "inputs changed since {grading}",
		Zh: "自评级 {grading} 以来输入已变",
	},
	"alarm.note.autoClosed": {
		En:    "closed by itself: communication restored at {restored} and not acknowledged within {after} (rule {rule})",
		Zh:    "自动关闭：通信已于 {restored} 恢复，{after}内无人确认（规则 {rule}）",
		Kinds: map[string]string{"restored": msg.KindTime, "after": msg.KindDuration},
	},
}

// task returns a task the monitoring raises, its reason given as a
// message and written in English beside it.
func task(id string, typ twin.TaskType, subject, enterprise string, now time.Time, why msg.Msg) *twin.Task {
	return &twin.Task{ID: id, Type: typ, Subject: subject, Enterprise: enterprise,
		Reason: Messages.English(why), ReasonMsg: []msg.Msg{why}, RaisedAt: now}
}

// num formats a quantity as %g does.
func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
