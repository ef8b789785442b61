package site

import "github.com/saiasat/saiasat/fonts"

// addAssets adds what every page links: the style sheet, opening with the
// @font-face rules of the site's own fonts, the fonts themselves (named by
// their content's hash, so a server may let browsers keep them for good)
// with their licence, and the icon.
func (b *builder) addAssets() error {
	faces, err := fonts.Faces()
	if err != nil {
		return err
	}
	for _, f := range faces {
		b.add("assets/fonts/"+f.File, f.WOFF)
	}
	b.add("assets/fonts/OFL.txt", fonts.License)
	b.add("assets/site.css", append([]byte(fonts.CSS(faces, "fonts/")), siteCSS...))
	b.add("assets/favicon.svg", favicon)
	return nil
}
