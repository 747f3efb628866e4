package web

import (
	"bytes"
	"fmt"
	"net/url"

	"github.com/go-pdf/fpdf"
	"github.com/gofiber/fiber/v2"
	"github.com/skip2/go-qrcode"

	"parktwin/scenarios/report"
	"parktwin/twin"
)

// A warehouse's labels: an A4 sheet of QR codes, one per serial of its
// serialized stock, each with its type and serial in text beside it. A
// code holds the URL of the item's page on the console, so that scanning
// it opens the item's history (docs/warehouses.md).

// The sheet: three columns of seven labels, in millimetres.
const (
	labelCols   = 3
	labelRows   = 7
	labelMargin = 10.0
	labelW      = (210.0 - 2*labelMargin) / labelCols
	labelH      = (297.0 - 2*labelMargin) / labelRows
	labelQR     = 30.0
)

// itemURL is the console's page of an item, from the request's own origin.
func itemURL(c *fiber.Ctx, warehouse, serial string) string {
	return c.BaseURL() + "/ui/warehouse.html?id=" + url.QueryEscape(warehouse) + "&serial=" + url.QueryEscape(serial)
}

// getLabels answers GET /warehouses/{id}/labels.pdf.
func (s *Server) getLabels(c *fiber.Ctx) (err error) {
	snap := s.twin.Snapshot()
	id := c.Params("id")
	w, ok := twin.Lookup[*twin.Warehouse](snap, id)
	if !ok {
		return twin.Errorf(twin.ENOTFOUND, "id", "no warehouse %s", id)
	}
	// fpdf panics on some inputs rather than failing: not the server.
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("labels pdf: %v", v)
		}
	}()
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCompression(true)
	f.SetMargins(labelMargin, labelMargin, labelMargin)
	f.SetAutoPageBreak(false, 0)
	font := report.AddCJKFont(f)
	f.SetTitle(report.PDFText(w.Name+" "+id), true)
	f.SetCreator("parktwin", false)
	n := 0
	for _, ts := range snap.Summary(id, s.twin.Clock().Now(), s.twin.Equipment()) {
		for _, it := range ts.Items {
			if it.State == twin.AssetRetired {
				continue // out of the account: no label to print
			}
			u := itemURL(c, id, it.Serial)
			png, err := qrcode.Encode(u, qrcode.Medium, 256)
			if err != nil {
				return err
			}
			if n%(labelCols*labelRows) == 0 {
				f.AddPage()
			}
			col, row := n%labelCols, n/labelCols%labelRows
			x, y := labelMargin+float64(col)*labelW, labelMargin+float64(row)*labelH
			name := "qr-" + it.Serial
			f.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(png))
			f.ImageOptions(name, x+2, y+(labelH-labelQR)/2, labelQR, labelQR, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
			f.SetFont(font, "", 8)
			f.SetXY(x+labelQR+3, y+labelH/2-6)
			f.MultiCell(labelW-labelQR-5, 4, report.PDFText(ts.Name), "", "L", false)
			f.SetXY(x+labelQR+3, y+labelH/2+2)
			f.SetFont(font, "", 7.5)
			// A long serial wraps rather than runs into the next label.
			f.MultiCell(labelW-labelQR-5, 3.5, report.PDFText(it.Serial), "", "L", false)
			f.LinkString(x, y, labelW, labelH, u) // on a screen, the label opens the page too
			n++
		}
	}
	if n == 0 {
		f.AddPage()
		f.SetFont(font, "", 10)
		f.CellFormat(0, 8, report.PDFText(id+": no serialized items"), "", 0, "L", false, 0, "")
	}
	var b bytes.Buffer
	if err := f.Output(&b); err != nil {
		return fmt.Errorf("labels pdf: %w", err)
	}
	setSeq(c, snap.Seq())
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`inline; filename="%s-labels.pdf"`, id))
	return c.Send(b.Bytes())
}
