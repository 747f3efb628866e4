package report

import "fmt"

// rgb is a colour that the HTML page and the PDF share.
type rgb struct{ r, g, b int }

func (c rgb) hex() string { return fmt.Sprintf("#%02x%02x%02x", c.r, c.g, c.b) }

// routeColours tell one vehicle's route from another's; they repeat past
// six vehicles.
var routeColours = []rgb{
	{31, 119, 180}, {44, 160, 44}, {148, 103, 189}, {255, 127, 14}, {23, 190, 207}, {140, 86, 75},
}

// The colours of an expectation's result, light enough to print text on.
var (
	metColour     = rgb{212, 237, 218}
	missedColour  = rgb{248, 215, 218}
	pendingColour = rgb{255, 243, 205}
	incidentRed   = rgb{200, 30, 30}
)

// statusColour returns the background of a result, and false for a status
// this package does not know (printed without colour).
func statusColour(status string) (rgb, bool) {
	switch status {
	case Met:
		return metColour, true
	case Missed:
		return missedColour, true
	case Pending:
		return pendingColour, true
	}
	return rgb{}, false
}
