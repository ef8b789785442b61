package textimport_test

// The committed texts of edition 1.
const (
	edition1Text   = "../policies/privacy/kk.md"
	edition1RuText = "../policies/privacy/ru.md"
)
