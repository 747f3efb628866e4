package web

// Mutual-aid requests shaped after OASIS EDXL-RM 1.0 (Emergency Data
// Exchange Language Resource Messaging, namespace
// urn:oasis:names:tc:emergency:EDXL:RM:1.0): a loan exported as the
// message its state stands for, and a RequestResource imported as a loan
// request. The elements are the spec's names; only those a loan fills
// are written, and the roles and schedule types used are this park's
// reading of the spec (docs/warehouses.md), not checked against its
// schemas.

import (
	"encoding/json"
	"encoding/xml"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"parktwin/twin"
)

const edxlRMNamespace = "urn:oasis:names:tc:emergency:EDXL:RM:1.0"

// The message types a loan is exported as.
const (
	rmRequestResource = "RequestResource"
	rmCommitResource  = "CommitResource"
	rmReleaseResource = "ReleaseResource"
	rmRequestReturn   = "RequestReturn"
)

// rmMessage is the part of an EDXL-RM message a loan fills.
type rmMessage struct {
	XMLName              xml.Name         `xml:"" json:"-"`
	NS                   string           `xml:"xmlns,attr,omitempty" json:"-"`
	MessageID            string           `xml:"MessageID" json:"MessageID"`
	SentDateTime         time.Time        `xml:"SentDateTime" json:"SentDateTime"`
	MessageContentType   string           `xml:"MessageContentType" json:"MessageContentType"`
	MessageDescription   string           `xml:"MessageDescription,omitempty" json:"MessageDescription,omitempty"`
	OriginatingMessageID string           `xml:"OriginatingMessageID,omitempty" json:"OriginatingMessageID,omitempty"`
	ContactInformation   []rmContact      `xml:"ContactInformation" json:"ContactInformation"`
	ResourceInformation  []rmResourceInfo `xml:"ResourceInformation" json:"ResourceInformation"`
}

// rmContact names a party by its role: the Requester (the borrower) and
// the Supplier (the lending warehouse).
type rmContact struct {
	ContactDescription string `xml:"ContactDescription" json:"ContactDescription"`
	ContactRole        string `xml:"ContactRole" json:"ContactRole"`
}

type rmResourceInfo struct {
	ResourceInfoElementID string       `xml:"ResourceInfoElementID" json:"ResourceInfoElementID"`
	Resource              rmResource   `xml:"Resource" json:"Resource"`
	AssignmentInformation rmAssignment `xml:"AssignmentInformation" json:"AssignmentInformation"`
	ScheduleInformation   []rmSchedule `xml:"ScheduleInformation,omitempty" json:"ScheduleInformation,omitempty"`
}

type rmResource struct {
	ResourceID    string      `xml:"ResourceID,omitempty" json:"ResourceID,omitempty"`
	Name          string      `xml:"Name,omitempty" json:"Name,omitempty"`
	TypeStructure rmValueList `xml:"TypeStructure" json:"TypeStructure"`
}

// rmValueList is a value from a named list: here the park's equipment
// catalogue.
type rmValueList struct {
	ValueListURN string `xml:"ValueListURN" json:"ValueListURN"`
	Value        string `xml:"Value" json:"Value"`
}

type rmAssignment struct {
	Quantity rmQuantity `xml:"Quantity" json:"Quantity"`
}

type rmQuantity struct {
	MeasuredQuantity rmMeasured `xml:"MeasuredQuantity" json:"MeasuredQuantity"`
}

type rmMeasured struct {
	Amount        float64 `xml:"Amount" json:"Amount"`
	UnitOfMeasure string  `xml:"UnitOfMeasure,omitempty" json:"UnitOfMeasure,omitempty"`
}

type rmSchedule struct {
	ScheduleType string    `xml:"ScheduleType" json:"ScheduleType"`
	DateTime     time.Time `xml:"DateTime" json:"DateTime"`
}

// catalogueURN names the park's equipment catalogue as a value list.
const catalogueURN = "urn:parktwin:equipment"

// The roles and schedule type a loan uses.
const (
	rmRequester       = "Requester"
	rmSupplier        = "Supplier"
	rmRequestedReturn = "RequestedReturnArrival" // the loan's due day
)

// loanMessageType is the message a loan's state stands for.
func loanMessageType(l *twin.Loan, now time.Time) string {
	switch {
	case l.State == twin.LoanReturned:
		return rmReleaseResource
	case l.Overdue(now):
		return rmRequestReturn
	case l.State == twin.LoanRequested:
		return rmRequestResource
	default:
		return rmCommitResource
	}
}

// loanMessage is a loan as an EDXL-RM message.
func (s *Server) loanMessage(l *twin.Loan, now time.Time) rmMessage {
	typ := loanMessageType(l, now)
	m := rmMessage{
		XMLName: xml.Name{Local: typ}, NS: edxlRMNamespace,
		MessageID: "parktwin:" + l.ID + ":" + typ, SentDateTime: now.UTC().Truncate(time.Second), MessageContentType: typ,
		MessageDescription: l.Reason,
		ContactInformation: []rmContact{{ContactDescription: l.Borrower, ContactRole: rmRequester}, {ContactDescription: l.Warehouse, ContactRole: rmSupplier}},
		ResourceInformation: []rmResourceInfo{{
			ResourceInfoElementID: l.ID,
			Resource:              rmResource{TypeStructure: rmValueList{ValueListURN: catalogueURN, Value: l.Type}},
			AssignmentInformation: rmAssignment{Quantity: rmQuantity{MeasuredQuantity: rmMeasured{Amount: l.Quantity}}},
			ScheduleInformation:   []rmSchedule{{ScheduleType: rmRequestedReturn, DateTime: l.Due.Time().UTC()}},
		}},
	}
	if typ != rmRequestResource {
		m.OriginatingMessageID = "parktwin:" + l.ID + ":" + rmRequestResource
	}
	if et, ok := s.twin.Equipment().Type(l.Type); ok {
		m.ResourceInformation[0].Resource.Name = et.Name
		m.ResourceInformation[0].AssignmentInformation.Quantity.MeasuredQuantity.UnitOfMeasure = et.Unit
	}
	return m
}

// getLoanEDXL answers GET /loans/{id}/edxl-rm?format=xml|json.
func (s *Server) getLoanEDXL(c *fiber.Ctx) error {
	l, ok := twin.Lookup[*twin.Loan](s.twin.Snapshot(), c.Params("id"))
	if !ok {
		return twin.Errorf(twin.ENOTFOUND, "id", "no loan %s", c.Params("id"))
	}
	m := s.loanMessage(l, s.twin.Clock().Now())
	switch c.Query("format", "xml") {
	case "xml":
		b, err := xml.MarshalIndent(m, "", "  ")
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, "application/xml; charset=utf-8")
		return c.Send(append([]byte(xml.Header), b...))
	case "json":
		// One member named after the message, as the XML's root element.
		return c.JSON(map[string]rmMessage{m.MessageContentType: m})
	default:
		return twin.Invalid("format", "xml or json, not %q", c.Query("format"))
	}
}

// postEDXL answers POST /edxl-rm: a RequestResource, XML or JSON, becomes
// a loan request of the Supplier warehouse to the Requester.
func (s *Server) postEDXL(c *fiber.Ctx) error {
	body := c.Body()
	var m rmMessage
	root := ""
	if strings.HasPrefix(strings.TrimSpace(string(body)), "<") {
		if err := xml.Unmarshal(body, &m); err != nil {
			return twin.Errorf(twin.EMALFORMED, "", "malformed XML: %v", err)
		}
		root = m.XMLName.Local
		if m.XMLName.Space != edxlRMNamespace {
			return twin.Invalid(root, "the message's namespace is %q, not %s", m.XMLName.Space, edxlRMNamespace)
		}
	} else {
		var w map[string]json.RawMessage
		if err := json.Unmarshal(body, &w); err != nil {
			return twin.Errorf(twin.EMALFORMED, "", "malformed JSON: %v", err)
		}
		if len(w) != 1 {
			return twin.Invalid("", "one member, the message (RequestResource)")
		}
		for k, v := range w {
			root = k
			if err := decodeStrict(v, &m, "an EDXL-RM "+k); err != nil {
				return err
			}
		}
	}
	if root != rmRequestResource {
		return twin.Invalid(root, "only a RequestResource is taken, not %s", root)
	}
	l, err := loanOfRequest(m)
	if err != nil {
		return err
	}
	evs, err := s.twin.Apply(c.UserContext(), twin.RequestLoan{Loan: l})
	if err != nil {
		return err
	}
	ev := evs[0]
	setSeq(c, ev.Seq)
	c.Location(s.base + "/loans/" + ev.ID)
	return sendFeature(c, fiber.StatusCreated, ev.Entity)
}

// loanOfRequest checks a RequestResource element by element and reads
// the loan it asks for.
func loanOfRequest(m rmMessage) (*twin.Loan, error) {
	switch {
	case m.MessageID == "":
		return nil, twin.Required("MessageID")
	case m.SentDateTime.IsZero():
		return nil, twin.Required("SentDateTime")
	case m.MessageContentType != rmRequestResource:
		return nil, twin.Invalid("MessageContentType", "%q, not RequestResource", m.MessageContentType)
	case len(m.ResourceInformation) != 1:
		return nil, twin.Invalid("ResourceInformation", "one resource per request, not %d", len(m.ResourceInformation))
	}
	l := &twin.Loan{Reason: m.MessageDescription}
	for _, ci := range m.ContactInformation {
		switch ci.ContactRole {
		case rmRequester:
			l.Borrower = ci.ContactDescription
		case rmSupplier:
			l.Warehouse = ci.ContactDescription
		}
	}
	if l.Borrower == "" {
		return nil, twin.Invalid("ContactInformation", "a ContactRole Requester naming the borrower in its ContactDescription")
	}
	if l.Warehouse == "" {
		return nil, twin.Invalid("ContactInformation", "a ContactRole Supplier naming the warehouse asked in its ContactDescription")
	}
	ri := m.ResourceInformation[0]
	if ri.Resource.TypeStructure.ValueListURN != catalogueURN || ri.Resource.TypeStructure.Value == "" {
		return nil, twin.Invalid("ResourceInformation/Resource/TypeStructure", "a Value of the list %s", catalogueURN)
	}
	l.Type = ri.Resource.TypeStructure.Value
	if l.Quantity = ri.AssignmentInformation.Quantity.MeasuredQuantity.Amount; l.Quantity <= 0 {
		return nil, twin.Invalid("ResourceInformation/AssignmentInformation/Quantity/MeasuredQuantity/Amount", "more than 0")
	}
	for _, si := range ri.ScheduleInformation {
		if si.ScheduleType == rmRequestedReturn {
			l.Due = twin.NewDate(si.DateTime.Year(), si.DateTime.Month(), si.DateTime.Day())
		}
	}
	if l.Due.IsZero() {
		return nil, twin.Invalid("ResourceInformation/ScheduleInformation", "a ScheduleType %s with its DateTime: the loan's due day", rmRequestedReturn)
	}
	if l.Reason == "" {
		l.Reason = "EDXL-RM " + m.MessageID
	}
	return l, nil
}
