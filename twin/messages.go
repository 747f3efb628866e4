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

	"error.field": {En: "{heading}: {field}", Zh: "{heading}（字段 {field}）", Enums: field},

	// Coded errors (error.go).
	"error.noEntity": {En: "no {kind} {id}", Zh: "不存在{kind} {id}", Enums: map[string]string{"kind": "enum.kind."}},
	"error.moved": {
		En:    "{kind} {id} has changed since version {version} (it is at version {at}): read it again",
		Zh:    "{kind} {id} 自版本 {version} 以来已被修改（现为版本 {at}）：请重新读取",
		Enums: map[string]string{"kind": "enum.kind."},
	},

	// Coded validation errors: the field (a property's label, prop.<name>,
	// or its path as it is) and why.
	"error.required":    {En: "{field}: required", Zh: "{field}：必填", Enums: field},
	"error.positive":    {En: "{field}: must be a positive number, got {got}", Zh: "{field}：须为正数，现为 {got}", Enums: field},
	"error.nonNegative": {En: "{field}: must be zero or more, got {got}", Zh: "{field}：须为零或正数，现为 {got}", Enums: field},
	"error.badID": {
		En: "{field}: {got} is not an ID (letters, digits, - and _, at most 64)", Zh: "{field}：{got} 不是有效编号（字母、数字、- 与 _，至多 64 个）",
		Enums: field,
	},
	"error.enum": {
		En: "{field}: unknown value {got} (want one of {choices})", Zh: "{field}：未知取值 {got}（可选：{choices}）",
		Enums: field,
	},
	"error.tooLong": {En: "{field}: {n} characters, at most {max}", Zh: "{field}：{n} 个字符，至多 {max} 个", Enums: field},
	"error.tooMany": {En: "{field}: {n} items, at most {max}", Zh: "{field}：{n} 项，至多 {max} 项", Enums: field},
	"error.date": {
		En: "{field}: {got} is not a date (want YYYY-MM-DD)", Zh: "{field}：{got} 不是日期（应为 年-月-日，如 2026-03-01）",
		Enums: field,
	},
	"error.stockShort": {
		En:    "{warehouse} has {have} {unit} of {type}, {asked} asked",
		Zh:    "{warehouse} 的{type}仅有 {have} {unit}，申请 {asked} {unit}",
		Enums: map[string]string{"type": "equipment.", "unit": "unit."},
	},
	"error.noRef": {
		En: "{field}: no {kind} {id}", Zh: "{field}：不存在{kind} {id}",
		Enums: map[string]string{"field": "prop.", "kind": "enum.kind."},
	},
	"error.otherEnterprise": {
		En: "{field}: {id} belongs to {owner}, not to the unit's enterprise {enterprise}", Zh: "{field}：{id} 属于 {owner}，不属于本单元所在企业 {enterprise}",
		Enums: field,
	},
	"error.geometry": {
		En: "{field}: want a {want}, got {got}", Zh: "{field}：几何类型应为 {want}，实为 {got}",
		Enums: field,
	},
	"error.lotShort": {
		En:    "lot {lot} of {type} holds {have} {unit}, not {asked}",
		Zh:    "{type}批次 {lot} 仅有 {have} {unit}，不足 {asked}",
		Enums: map[string]string{"type": "equipment.", "unit": "unit."},
	},
	"error.holderShort": {
		En:    "{holder} holds {have} {unit} of lot {lot}, not {asked}",
		Zh:    "{holder} 持有批次 {lot} 仅 {have} {unit}，不足 {asked}",
		Enums: map[string]string{"unit": "unit."},
	},
	// Times and query parameters (errortime.go).
	"error.time": {
		En: "{field}: {got} is not an RFC 3339 time", Zh: "{field}：{got} 不是 RFC 3339 格式的时间",
		Enums: field,
	},
	"error.timeOrDate": {
		En: "{field}: {got} is not a time (RFC 3339) or a date (YYYY-MM-DD)", Zh: "{field}：{got} 既不是 RFC 3339 格式的时间，也不是日期（年-月-日）",
		Enums: field,
	},
	"error.timeOrDuration": {
		En: "{field}: {got} is neither an RFC 3339 time nor an ISO 8601 duration", Zh: "{field}：{got} 既不是 RFC 3339 格式的时间，也不是 ISO 8601 格式的时长",
		Enums: field,
	},
	"error.notAfter":  {En: "{field}: {got} is not after {from}", Zh: "{field}：{got} 不晚于起始时间 {from}", Enums: field},
	"error.notBefore": {En: "{field}: {got} is not before {to}", Zh: "{field}：{got} 不早于结束时间 {to}", Enums: field},
	"error.drillTime": {
		En: "{field}: {got} is not a drill time (an ISO 8601 duration, like PT25M)", Zh: "{field}：{got} 不是演练时刻（ISO 8601 格式的时长）",
		Enums: field,
	},
	"error.sequence":    {En: "{field}: want a sequence number, got {got}", Zh: "{field}：应为序号，现为 {got}", Enums: field},
	"error.notYet":      {En: "{field}: {got} has not come yet (the park's clock stands at {now})", Zh: "{field}：{got} 尚未到来（园区时钟现为 {now}）", Enums: field},
	"error.spanTooLong": {En: "{field}: a span of {got}, at most {max}", Zh: "{field}：时间跨度 {got}，至多 {max}", Enums: field},
	"error.wholeNumber": {En: "{field}: want a whole number from {min} to {max}, got {got}", Zh: "{field}：应为 {min} 至 {max} 的整数，现为 {got}", Enums: field},
	// The ledger's refusals (errorledger.go, derive.go, document.go).
	"error.serialElsewhere": {
		En:    "{type} {serial} is already in {warehouse}'s ledger: a serial is in one place",
		Zh:    "{type} {serial} 已在 {warehouse} 的台账中：一个编号只能在一处",
		Enums: equipmentType,
	},
	"error.serialNotHere": {En: "{serial} is in {in}, not in {warehouse}'s {type}", Zh: "{serial} 在 {in}，不在 {warehouse} 的{type}中", Enums: equipmentType},
	"error.noSerial":      {En: "{warehouse} has no {type} {serial}", Zh: "{warehouse} 没有编号为 {serial} 的{type}", Enums: equipmentType},
	"error.serialHolder":  {En: "{type} {serial} is with {holder}, not {asked}", Zh: "{type} {serial} 在 {holder} 处，不在 {asked} 处", Enums: equipmentType},
	"error.noLot":         {En: "{warehouse} has no lot {lot} of {type}", Zh: "{warehouse} 没有{type}批次 {lot}", Enums: equipmentType},
	"error.bySerial":      {En: "{type} is counted by serial", Zh: "{type}按编号逐件计数", Enums: equipmentType},
	"error.nameSerials":   {En: "{type} is counted item by item: name the serials", Zh: "{type}按编号逐件计数：请列出编号", Enums: equipmentType},
	"error.byQuantity": {
		En: "{type} is counted by quantity, in {unit}", Zh: "{type}按数量计，单位为{unit}",
		Enums: map[string]string{"type": "equipment.", "unit": "unit."},
	},
	"error.afterToday": {En: "{field}: {got} is after today", Zh: "{field}：{got} 晚于今天", Enums: field},
	"error.madeRequired": {
		En:    "{type} keeps {life} from its manufacture date: give the manufacture date, or the maker's expiry",
		Zh:    "{type}自出厂日期起有效期 {life}：请填写出厂日期，或厂家标注的有效期",
		Enums: equipmentType,
	},
	"error.issueWhere": {En: "an issue says where it goes: an incident, a loan, or to whom", Zh: "出库须指明去向：事故、借用或领用人"},
	"error.noSchedule": {En: "{type} has no inspection schedule {schedule}", Zh: "{type}没有检验计划 {schedule}", Enums: equipmentType},
	"error.adjustState": {
		En: "an adjustment sets available, returned, repair or quarantined; retire, lose and issue have their own entries",
		Zh: "调整只能设为可用、已归还、待修或隔离；报废、遗失与出库各有其记录",
	},
	"error.noneOut":       {En: "{warehouse} has no {type} out with {holder}", Zh: "{warehouse} 没有借给 {holder} 的{type}", Enums: equipmentType},
	"error.noneOnHand":    {En: "{warehouse} has no {type} on hand to inspect", Zh: "{warehouse} 没有在库可检验的{type}", Enums: equipmentType},
	"error.bySerialThere": {En: "{to} counts {type} by serial", Zh: "{to} 按编号逐件计数{type}", Enums: equipmentType},
	"error.passed":        {En: "{field}: {got} has passed", Zh: "{field}：{got} 已过", Enums: field},
	"error.bulkNotRepaired": {
		En: "bulk stock is not repaired: inspect it, adjust it or retire it", Zh: "按数量计的库存不送修：请检验、调整或报废",
	},
	"error.notEquipment":  {En: "{field}: {got} is not in the equipment catalogue", Zh: "{field}：{got} 不在装备目录中", Enums: field},
	"error.documentEmpty": {En: "a document has at least one line", Zh: "单据至少须有一行"},
	"error.documentLines": {En: "a document has at most {max} lines, not {n}", Zh: "单据至多 {max} 行，现为 {n} 行"},
	"error.serialState": {
		En:    "{type} {serial} is {state}: {why}",
		Zh:    "{type} {serial} 当前为「{state}」：{why}",
		Enums: map[string]string{"type": "equipment.", "state": "enum.assetState."},
	},
	"error.move.issue":    {En: "only an available item is issued", Zh: "只有可用的装备才能出库"},
	"error.move.return":   {En: "only an issued item comes back", Zh: "只有已出库的装备才能归还"},
	"error.move.transfer": {En: "only what is in the warehouse is transferred", Zh: "只有在库的装备才能调拨"},
	"error.move.adjust":   {En: "an adjustment corrects what is in the warehouse", Zh: "调整只针对在库的装备"},
	"error.move.inspect":  {En: "only what is in the warehouse is inspected", Zh: "只有在库的装备才能检验"},
	"error.move.repair":   {En: "only what is in the warehouse goes for repair", Zh: "只有在库的装备才能送修"},
	"error.move.retire":   {En: "only what is in the warehouse is retired", Zh: "只有在库的装备才能报废"},
	"error.move.lost":     {En: "it is gone already", Zh: "该装备已不在册"},
	"error.notReady": {
		En:    "{type} {serial} is not ready to issue: {state}",
		Zh:    "{type} {serial} 不能出库：当前为「{state}」",
		Enums: map[string]string{"type": "equipment.", "state": "enum.assetState."},
	},
	"error.notReadyDue": {
		En: "{type} {serial} is not ready to issue: due for inspection or past its life", Zh: "{type} {serial} 不能出库：已到检验期或已过使用期限",
		Enums: equipmentType,
	},
	"error.lotState": {
		En:    "lot {lot} of {type} is {state}: only an available lot is issued",
		Zh:    "{type}批次 {lot} 当前为「{state}」：只有可用的批次才能出库",
		Enums: map[string]string{"type": "equipment.", "state": "enum.assetState."},
	},
	"error.quantitySerials": {En: "{field}: {got}, but {n} serials", Zh: "{field}：{got}，但列出了 {n} 个编号", Enums: field},
	"error.noGeometry":      {En: "a {kind} has no geometry", Zh: "{kind}没有几何图形", Enums: map[string]string{"kind": "enum.kind."}},
	"error.returned": {
		En: "{field}: {got}, want 0 to the quantity lent ({max})", Zh: "{field}：{got}，应在 0 至借出数量 {max} 之间",
		Enums: field,
	},
	"error.loanAction": {
		En: "{field}: {got}: want approve, refuse, issue or return", Zh: "{field}：{got} 不是借用的操作（可为批准、拒绝、借出或归还）",
		Enums: field,
	},
	"enum.kind.loan":         {En: "loan", Zh: "借用"},
	"enum.kind.ledger-entry": {En: "ledger entry", Zh: "台账记录"},
	// Users and tokens (web/auth).
	"error.userName": {
		En: "{field}: want 1 to 64 letters, digits, '.', '_' or '-', got {got}", Zh: "{field}：{got} 不符合要求（1 至 64 个字母、数字、「.」「_」或「-」）",
		Enums: field,
	},
	"error.passwordLength":   {En: "{field}: want {min} to {max} characters", Zh: "{field}：应为 {min} 至 {max} 个字符", Enums: field},
	"error.roleUnknown":      {En: "{field}: unknown role {got} (want one of {roles})", Zh: "{field}：未知角色 {got}（可选：{roles}）", Enums: field},
	"error.listSep":          {En: ", ", Zh: "、"},
	"error.gatewayUser":      {En: "gateway is a token's role, not a user's", Zh: "网关是令牌的角色，不是用户的角色"},
	"error.enterpriseNamed":  {En: "an enterprise user names its enterprise", Zh: "企业用户须指明所属企业"},
	"error.enterpriseOnly":   {En: "only an enterprise user has an enterprise", Zh: "只有企业用户才有所属企业"},
	"error.keeperWarehouses": {En: "a keeper names the warehouses it keeps", Zh: "库管员须指明所管仓库"},
	"error.warehousesOnly":   {En: "only a keeper has warehouses", Zh: "只有库管员才有所管仓库"},
	"error.gatewayScope": {
		En: "a gateway names enterprises or sensors, not an enterprise or warehouses", Zh: "网关令牌指明所接企业或传感器，而非所属企业或仓库",
	},
	"error.gatewayOnly": {En: "only a gateway's token names enterprises or sensors", Zh: "只有网关令牌才指明所接企业或传感器"},
	"error.userExists":  {En: "user {name} exists", Zh: "用户 {name} 已存在"},
	"error.tokenNamed":  {En: "a token is named {name}: the audit trail could not tell the two apart", Zh: "已有令牌名为 {name}：审计记录将无法区分二者"},
	"error.userNamed": {
		En: "user {name} exists: name the token otherwise, so that the audit trail tells the two apart", Zh: "已有用户名为 {name}：请为令牌另取名称，以便审计记录区分二者",
	},
	"error.noUser":    {En: "no user {name}", Zh: "不存在用户 {name}"},
	"error.noToken":   {En: "no token {id}", Zh: "不存在令牌 {id}"},
	"error.lastAdmin": {En: "{name} is the last administrator: make another first", Zh: "{name} 是最后一名管理员：请先设立另一名"},
	"error.signIn":    {En: "wrong user name or password, or the user is disabled", Zh: "用户名或密码错误，或该用户已停用"},
	// Gateways and pages from elsewhere (web/edge.go, monitoring.go).
	"error.origin":        {En: "a page at {origin} may not change this server", Zh: "来自 {origin} 的页面无权修改本服务器"},
	"error.originStream":  {En: "origin {origin} may not open the stream", Zh: "来源 {origin} 无权打开数据流"},
	"error.gatewaySensor": {En: "gateway {gateway} may not send readings of {sensor}", Zh: "网关 {gateway} 无权发送传感器 {sensor} 的读数"},
	"error.batchReadings": {En: "{n} readings in one batch, at most {max}: send them in smaller batches", Zh: "一批 {n} 条读数，至多 {max} 条：请分批发送"},
	// A reading a gateway's batch rejects (telemetry: Rejection.Msg).
	"error.reading.notOne": {
		En: "not a reading: want an object of sensor, t and value", Zh: "不是一条读数：应为含传感器、采集时间与数值的对象",
	},
	"error.reading.notNumber": {En: "{field}: want a number, got {got}", Zh: "{field}：应为数字，现为 {got}", Enums: field},
	"error.reading.notFinite": {En: "{field}: {got} is not a finite number", Zh: "{field}：{got} 不是有限数值", Enums: field},
	"error.reading.ahead": {
		En:    "{field}: {got} is more than {slack} s ahead of the park's clock ({now}): is the gateway's clock right?",
		Zh:    "{field}：{got} 比园区时钟（{now}）超前逾 {slack} s：请检查网关时钟",
		Enums: field,
	},
	"error.reading.old": {
		En: "{field}: {got} is older than the history kept (from {oldest})", Zh: "{field}：{got} 早于所保存历史的起点（{oldest}）",
		Enums: field,
	},
	"error.reading.notAfterLast": {
		En: "{field}: {got} is not after the sensor's last reading at {last}", Zh: "{field}：{got} 不晚于该传感器上一条读数的时间 {last}",
		Enums: field,
	},
	// The stream's refusals (web/stream.go): before the upgrade in the
	// answer's body; inside the stream its close frame's reason is the
	// English text alone.
	"error.layer":          {En: "{field}: unknown layer {got}", Zh: "{field}：未知图层 {got}", Enums: field},
	"error.graveRaise":     {En: "raising incident {incident} to level {level} is a commander's", Zh: "将事故 {incident} 升为 {level} 级须由指挥长决定"},
	"error.graveIncident":  {En: "incident {incident} is level {level}: its actions are a commander's", Zh: "事故 {incident} 为 {level} 级：须由指挥长处置"},
	"error.layerForbidden": {En: "an enterprise user does not read the layer {layer}", Zh: "企业用户无权读取图层 {layer}"},
	"error.streamType": {
		En: "{field}: want subscribe or unsubscribe, got {got}", Zh: "{field}：应为订阅或退订，现为 {got}",
		Enums: field,
	},
	"error.malformedJSON": {En: "the request's body could not be read", Zh: "请求内容格式有误，无法解析"},
	"error.unknownField":  {En: "unknown field {field}", Zh: "未知字段 {field}"},

	// A state that forbids what was asked.
	"error.state.alarm":         stateRefused("alarm", "报警", "enum.alarmState."),
	"error.state.order":         stateRefused("order", "核查单", "enum.orderState."),
	"error.state.hidden-danger": stateRefused("hidden danger", "隐患", "enum.dangerState."),
	"error.state.loan":          stateRefused("loan", "借用", "enum.loanState."),
	"error.state.incident":      stateRefused("incident", "事故", "enum.incidentState."),
	"error.alarmShelved":        {En: "alarm {id} is shelved until {until}", Zh: "报警 {id} 已搁置至 {until}"},
	"error.taskDone":            {En: "task {id} is done already", Zh: "任务 {id} 已完成"},
	"error.role": {
		En: "a {role} may not {action}", Zh: "{role}无权执行 {action}",
		Enums: map[string]string{"role": "enum.role."},
	},
	"error.ownEnterprise": {En: "an enterprise user reads its own enterprise alone", Zh: "企业用户只能查看本企业"},

	"enum.loanState.requested": {En: "requested", Zh: "已申请"},
	"enum.loanState.approved":  {En: "approved", Zh: "已批准"},
	"enum.loanState.issued":    {En: "issued", Zh: "已借出"},
	"enum.loanState.returned":  {En: "returned", Zh: "已归还"},
	"enum.loanState.refused":   {En: "refused", Zh: "已拒绝"},

	"enum.role.viewer":       {En: "viewer", Zh: "只读用户"},
	"enum.role.duty-officer": {En: "duty officer", Zh: "值班员"},
	"enum.role.dispatcher":   {En: "dispatcher", Zh: "调度员"},
	"enum.role.commander":    {En: "commander", Zh: "指挥员"},
	"enum.role.keeper":       {En: "warehouse keeper", Zh: "库管员"},
	"enum.role.enterprise":   {En: "enterprise user", Zh: "企业用户"},
	"enum.role.planner":      {En: "planner", Zh: "预案编制员"},
	"enum.role.admin":        {En: "administrator", Zh: "管理员"},
	"enum.role.gateway":      {En: "gateway", Zh: "网关"},

	// The equipment catalogue's units that are words (equipment.yaml).
	"unit.套": {En: "sets", Zh: "套"},
	"unit.台": {En: "pcs", Zh: "台"},
	"unit.具": {En: "pcs", Zh: "具"},
	"unit.只": {En: "pcs", Zh: "只"},
}

// equipmentType names an error's type argument as an equipment type.
var equipmentType = map[string]string{"type": "equipment."}

// field names an error's field argument as a property (prop.<name>).
var field = map[string]string{"field": "prop."}

// stateRefused is the template of an entity's state forbidding what was
// asked, its state an enumeration under enums.
func stateRefused(en, zh, enums string) msg.Template {
	return msg.Template{
		En:    en + " {id} is {state}: not possible in that state",
		Zh:    zh + " {id} 当前为「{state}」，此状态下不能执行此操作",
		Enums: map[string]string{"state": enums},
	}
}
