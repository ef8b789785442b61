package saiasat

import "testing"

func TestKinds(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range Kinds() {
		name := k.String()
		if seen[name] {
			t.Errorf("kind %d: name %q used twice", k, name)
		}
		seen[name] = true
		if got, ok := ParseKind(name); !ok || got != k {
			t.Errorf("ParseKind(%q) = %v, %v; want %v", name, got, ok, k)
		}
	}
	if len(seen) != int(kindEnd-1) {
		t.Errorf("Kinds() has %d kinds, want %d", len(seen), kindEnd-1)
	}
}

func TestChildID(t *testing.T) {
	tests := []struct {
		parent string
		k      Kind
		n      int
		want   string
	}{
		{"", KindParagraph, 1, "p1"},
		{"3", KindParagraph, 2, "3/p2"},
		{"3.2", KindTable, 1, "3.2/t1"},
		{"", KindFootnote, 3, "fn3"},
		{"3.5", KindBullet, 2, "3.5/b2"},
		{"", KindSection, 1, "h1"},
	}
	for _, tt := range tests {
		if got := ChildID(tt.parent, tt.k, tt.n); got != tt.want {
			t.Errorf("ChildID(%q, %v, %d) = %q, want %q", tt.parent, tt.k, tt.n, got, tt.want)
		}
	}
}
