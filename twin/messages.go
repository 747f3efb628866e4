package twin

import "parktwin/twin/msg"

// Messages is the catalogue of the twin's own texts the console renders
// by code: the error codes' headings, which the console shows before an
// error's message.
var Messages = msg.Catalogue{
	"error." + EMALFORMED:       {En: "the request could not be read", Zh: "请求无法解析"},
	"error." + EINVALID:         {En: "a value breaks a rule", Zh: "数值不符合规则"},
	"error." + ENOTFOUND:        {En: "not found", Zh: "未找到"},
	"error." + ECONFLICT:        {En: "the state of the park forbids it", Zh: "园区当前状态不允许此操作"},
	"error." + EINSUFFICIENT:    {En: "the warehouse has less than asked", Zh: "仓库库存不足"},
	"error." + EFORBIDDEN:       {En: "not allowed", Zh: "无权执行"},
	"error." + EUNAUTHORIZED:    {En: "not signed in", Zh: "未登录"},
	"error." + ETOOLARGE:        {En: "the request is too large", Zh: "请求过大"},
	"error." + EUNAVAILABLE:     {En: "the park cannot take commands now", Zh: "园区暂时无法接受指令"},
	"error." + EPRECONDITION:    {En: "changed by someone else since it was read", Zh: "读取后已被他人修改"},
	"error." + EPRECONDREQUIRED: {En: "say which version it replaces", Zh: "须指明所替换的版本"},
	"error." + EINTERNAL:        {En: "internal error", Zh: "内部错误"},

	"error.field": {En: "{heading}: {field}", Zh: "{heading}（字段 {field}）"},

	// Coded errors (error.go).
	"error.noEntity": {En: "no {kind} {id}", Zh: "不存在{kind} {id}", Enums: map[string]string{"kind": "enum.kind."}},
	"error.moved": {
		En:    "{kind} {id} has changed since version {version} (it is at version {at}): read it again",
		Zh:    "{kind} {id} 自版本 {version} 以来已被修改（现为版本 {at}）：请重新读取",
		Enums: map[string]string{"kind": "enum.kind."},
	},

	// The equipment catalogue's units that are words (equipment.yaml).
	"unit.套": {En: "sets", Zh: "套"},
	"unit.台": {En: "pcs", Zh: "台"},
	"unit.具": {En: "pcs", Zh: "具"},
	"unit.只": {En: "pcs", Zh: "只"},
}
