package bolt

// SetSealBatch makes the migration seal n values a transaction until the
// returned func puts it back.
func SetSealBatch(n int) func() {
	old := sealBatch
	sealBatch = n
	return func() { sealBatch = old }
}
