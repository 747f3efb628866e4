package report

import (
	_ "embed"

	"github.com/go-pdf/fpdf"
)

// cjkFont is WenQuanYi Micro Hei (Apache-2.0; font/README.md says where it
// comes from): TrueType outlines, which the PDF library can subset and
// embed, with the Chinese that no core PDF font has and Latin letters
// beside it, so that one font prints a whole report.
//
//go:embed font/wqy-microhei.ttf
var cjkFont []byte

// fontFamily is the name the PDF gives the embedded font (its BaseFont is
// "utf8" and this name, lower-cased).
const fontFamily = "WenQuanYiMicroHei"

// AddCJKFont adds the embedded CJK font to a PDF of another package (the
// warehouses' labels) and returns its family.
func AddCJKFont(f *fpdf.Fpdf) string {
	f.AddUTF8FontFromBytes(fontFamily, "", cjkFont)
	return fontFamily
}

// PDFText is s as the PDF can show it, as the report's own texts are.
func PDFText(s string) string { return pdfText(s) }
