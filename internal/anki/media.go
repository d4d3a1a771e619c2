package anki

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/recall-cli/recall/internal/card"
)

// This file packs the images notes point at as the package's media.

// packImage returns the image hook of a card: local images are packed as
// media and their src rewritten; missing ones are warned about.
func (w *Writer) packImage(c card.Card) imageFunc {
	return func(dest string) (string, bool) {
		p, ok := localImage(dest)
		if !ok {
			return "", false
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(c.Source.File), filepath.FromSlash(p))
		}
		p = filepath.Clean(p)
		if name, ok := w.media[p]; ok {
			return name, true
		}
		if !imageExt[strings.ToLower(path.Ext(p))] {
			w.warn(c, "not an image, not packed: %s", dest)
			return "", false
		}
		name, err := w.addMedia(p)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				w.warn(c, "image not found: %s", dest)
			} else {
				w.warn(c, "image %s: %v", dest, err)
			}
			return "", false
		}
		w.media[p] = name
		return name, true
	}
}

// imageExt are the file types packed as media. Anything else a notes file
// points at (say ../../.ssh/id_rsa) stays out of the package.
var imageExt = map[string]bool{
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".webp": true, ".svg": true,
	".bmp": true, ".avif": true, ".apng": true, ".ico": true, ".tif": true, ".tiff": true,
}

// addMedia copies a file into the package as the next media member and
// returns its media name.
func (w *Writer) addMedia(p string) (string, error) {
	rc, err := w.opts.Open(p)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	if st, ok := rc.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if fi, err := st.Stat(); err == nil && !fi.Mode().IsRegular() {
			return "", errors.New("not a regular file")
		}
	}
	name := w.mediaName(filepath.Base(p))
	member := strconv.Itoa(len(w.mediaMap))
	method := zip.Store // images are compressed already
	if ext := strings.ToLower(path.Ext(name)); ext == ".svg" || ext == ".bmp" || ext == ".tif" || ext == ".tiff" {
		method = zip.Deflate
	}
	zf, err := w.zw.CreateHeader(&zip.FileHeader{Name: member, Method: method, Modified: w.opts.Now})
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(zf, rc); err != nil {
		// The member is half written: the package cannot be finished.
		err = fmt.Errorf("copying image %s: %w", p, err)
		w.fail(err)
		return "", err
	}
	w.mediaMap[member] = name
	w.used[strings.ToLower(name)] = true
	return name, nil
}

// mediaName makes a media file name from a file's base name: one path
// component of letters, digits, '.', '-' and '_' (so src needs no
// escaping), not used yet in this package (ignoring case).
func (w *Writer) mediaName(base string) string {
	ext := path.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	clean := func(s string) string {
		return strings.Map(func(r rune) rune {
			switch {
			case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
				return r
			}
			return '_'
		}, s)
	}
	stem, ext = strings.Trim(clean(stem), "_"), strings.ToLower(clean(strings.TrimPrefix(ext, ".")))
	if stem == "" {
		stem = "image"
	}
	if len(stem) > 80 {
		stem = stem[:80]
	}
	if ext != "" {
		ext = "." + ext
	}
	name := stem + ext
	for i := 2; w.used[strings.ToLower(name)]; i++ {
		name = stem + "-" + strconv.Itoa(i) + ext
	}
	return name
}
