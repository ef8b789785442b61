package textimport_test

// The committed texts of edition 1.
const (
	edition1Text   = "../policies/privacy/releases/1/kk.md"
	edition1RuText = "../policies/privacy/releases/1/ru.md"
)
