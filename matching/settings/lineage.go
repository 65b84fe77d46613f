package settings

// derivedInputs maps a derived input field (such as vn.family, made by the
// Vietnamese record adapter) to the input fields it is computed from.
// Packages that derive fields register them with DeriveInputs.
var derivedInputs = map[string][]string{}

// DeriveInputs records that the derived field (a From that an adapter's
// getter computes, such as vn.family) is computed from the input fields
// inputs, for Lineage. Adapters call it from an init function: it is not
// safe to call while frames are being trained or linked.
func DeriveInputs(field string, inputs ...string) {
	derivedInputs[field] = inputs
}

// Lineage returns the input fields column c is derived from: its Inputs
// when given, else the fields its From is computed from (a derived field's
// sources, or From itself). Two columns sharing an input are not
// independent evidence: a soundex of the surname agrees whenever the
// surname does.
func Lineage(c ColumnSpec) []string {
	if len(c.Inputs) > 0 {
		return c.Inputs
	}
	if len(c.Join) > 0 || c.DateParts != nil {
		var out []string
		for _, f := range c.Fields() {
			if in, ok := derivedInputs[f]; ok {
				out = append(out, in...)
			} else {
				out = append(out, f)
			}
		}
		return out
	}
	from := c.From
	if from == "" {
		from = c.Name
	}
	if in, ok := derivedInputs[from]; ok {
		return in
	}
	return []string{from}
}
