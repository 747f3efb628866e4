package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"

	"parktwin/twin"
)

// A warehouse's ledger and stock as the office exchanges them: CSV or an
// Excel workbook (?format=csv, ?format=xlsx), one row per entry or per
// type, headed in Chinese and English.

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

var ledgerHeader = []string{"编号 id", "时间 at", "操作 op", "类型 type", "数量 quantity", "单位 unit", "序列号 serials",
	"批次 lots", "来自 from", "去向 to", "事件 incident", "借用 loan", "原因 reason", "结果 result", "发现 findings",
	"状态 state", "下次检验 due", "有效期 expires", "录入人 actor", "检验项目 schedule", "上次检验 tested", "出厂日期 made"}

func ledgerRows(entries []entryJSON) [][]string {
	rows := [][]string{ledgerHeader}
	for _, e := range entries {
		var lots []string
		for _, l := range e.Lots {
			lots = append(lots, l.Lot+":"+strconv.FormatFloat(l.Quantity, 'f', -1, 64))
		}
		state := ""
		if e.State != 0 {
			state = e.State.String()
		}
		rows = append(rows, []string{e.ID, e.At.UTC().Format(time.RFC3339), e.Op.String(), e.Type,
			strconv.FormatFloat(e.Quantity, 'f', -1, 64), e.Unit, strings.Join(e.Serials, " "), strings.Join(lots, " "),
			e.From, e.To, e.Incident, e.Loan, e.Reason, e.Result.String(), e.Findings, state, e.Due.String(), e.Expires.String(), e.Actor,
			e.Schedule, testedCell(e.Tested), e.Made.String()})
	}
	return rows
}

// testedCell writes a receipt's last tests as the import reads them:
// "monthly:2026-11-20 service:2026-06-01", by schedule ID.
func testedCell(tested map[string]twin.Date) string {
	var out []string
	for _, id := range slices.Sorted(maps.Keys(tested)) {
		out = append(out, id+":"+tested[id].String())
	}
	return strings.Join(out, " ")
}

var stockHeader = []string{"类型 type", "名称 name", "单位 unit", "类别 class", "可用 ready", "借出 out", "过期 expired",
	"逾期未检 overdue", "停用 out of service", "在库 on hand"}

func stockRows(types []twin.TypeSummary) [][]string {
	rows := [][]string{stockHeader}
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	for _, ts := range types {
		rows = append(rows, []string{ts.Type, ts.Name, ts.Unit, ts.Class.String(), f(ts.Ready), f(ts.Out), f(ts.Expired),
			f(ts.Overdue), f(ts.OutOfService), f(ts.OnHand)})
	}
	return rows
}

// sendTable answers with rows as the format asks: csv or xlsx. ok is
// false for no format (JSON is the caller's).
func sendTable(c *fiber.Ctx, name string, rows [][]string, numeric ...int) (bool, error) {
	switch c.Query("format") {
	case "":
		return false, nil
	case "csv":
		var b bytes.Buffer
		b.WriteString("\ufeff") // so that a spreadsheet reads the Chinese as UTF-8
		w := csv.NewWriter(&b)
		if err := w.WriteAll(rows); err != nil {
			return true, err
		}
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s.csv"`, name))
		return true, c.Send(b.Bytes())
	case "xlsx":
		f := excelize.NewFile()
		defer f.Close()
		sheet := f.GetSheetName(0)
		for i, row := range rows {
			cell, err := excelize.CoordinatesToCellName(1, i+1)
			if err != nil {
				return true, err
			}
			vals := make([]any, len(row))
			for j, v := range row {
				vals[j] = v
				if n, err := strconv.ParseFloat(v, 64); err == nil && i > 0 && slices.Contains(numeric, j) {
					vals[j] = n // a number stays a number
				}
			}
			if err := f.SetSheetRow(sheet, cell, &vals); err != nil {
				return true, err
			}
		}
		var b bytes.Buffer
		if err := f.Write(&b); err != nil {
			return true, err
		}
		c.Set(fiber.HeaderContentType, xlsxType)
		c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s.xlsx"`, name))
		return true, c.Send(b.Bytes())
	}
	return true, twin.Invalid("format", "%q: want csv or xlsx (or none, for JSON)", c.Query("format"))
}
