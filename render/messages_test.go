package render_test

import (
	"io/fs"
	"os"
	"path"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// Every message id of every message file is used by the code (a quoted
// "ID", or the quoted prefix of ids made at run time: "Char_" + kind,
// Month%d), and kk and ru have the same ids: a string nobody shows is
// never translated or reviewed again.
func TestNoUnusedMessages(t *testing.T) {
	root := os.DirFS("..")
	var src strings.Builder
	err := fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && p != "." {
			return fs.SkipDir
		}
		if (strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go")) || (strings.HasPrefix(p, "templates/") && strings.HasSuffix(p, ".html")) {
			b, err := fs.ReadFile(root, p)
			if err != nil {
				return err
			}
			src.Write(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	code := src.String()
	used := func(id string) bool {
		if strings.Contains(code, `"`+id+`"`) {
			return true
		}
		if i := strings.IndexByte(id, '_'); i > 0 && strings.Contains(code, `"`+id[:i+1]+`"`) {
			return true
		}
		return strings.HasPrefix(id, "Month") && strings.Contains(code, `"Month%d"`)
	}
	ids := map[string]map[string]bool{}
	for _, l := range []string{"kk", "ru", "en"} {
		b, err := fs.ReadFile(os.DirFS("../templates/locales"), "active."+l+".yaml")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := yaml.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		ids[l] = map[string]bool{}
		for id := range m {
			ids[l][id] = true
			if !used(id) {
				t.Errorf("%s: message %s is used nowhere", path.Join("templates/locales", "active."+l+".yaml"), id)
			}
		}
	}
	for id := range ids["kk"] {
		if !ids["ru"][id] {
			t.Errorf("message %s is in kk, not in ru", id)
		}
	}
	for id := range ids["ru"] {
		if !ids["kk"][id] {
			t.Errorf("message %s is in ru, not in kk", id)
		}
	}
}
