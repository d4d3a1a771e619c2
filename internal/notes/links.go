package notes

import "strings"

// This file tells links from content: bare URLs, markdown links, paths
// and host names, and what a reader sees of a text that holds them.

// urlEnd returns the end of a URL starting at i in s, or i when none
// starts there: http://, https://, ftp://, www., or a <…> autolink.
func urlEnd(s string, i int) int {
	rest := s[i:]
	switch {
	case strings.HasPrefix(rest, "http://"), strings.HasPrefix(rest, "https://"),
		strings.HasPrefix(rest, "ftp://"), strings.HasPrefix(rest, "www."):
	case strings.HasPrefix(rest, "<http"):
		if j := strings.IndexByte(rest, '>'); j > 0 {
			return i + j + 1
		}
		return i
	default:
		return i
	}
	j := i
	for j < len(s) && !isSpace(s[j]) && s[j] != ')' && s[j] != '>' {
		j++
	}
	for j > i && strings.IndexByte(".,;:!?'\"", s[j-1]) >= 0 {
		j--
	}
	return j
}

// pathLike reports whether a word is a link without a scheme:
// github.com/x/y, example.org/path.
func pathLike(w string) bool {
	slash := strings.IndexByte(w, '/')
	if slash <= 0 || strings.Contains(w, "//") {
		return false
	}
	host := w[:slash]
	dot := strings.LastIndexByte(host, '.')
	return dot > 0 && dot < len(host)-2 && !strings.ContainsAny(host, "()[]`")
}

// bareDomain reports whether a word is a host name alone:
// akawebdesign.com, go-proverbs.github.io.
func bareDomain(w string) bool {
	dot := strings.LastIndexByte(w, '.')
	if dot <= 0 || len(w)-dot-1 < 2 || len(w)-dot-1 > 6 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if c := w[i]; !isLetter(c) && !isDigit(c) && c != '-' && c != '.' {
			return false
		}
	}
	for i := dot + 1; i < len(w); i++ {
		if !isLetter(w[i]) {
			return false
		}
	}
	return true
}

// visibleText is s as a reader sees it: a markdown link [text](url) as its
// text, images and bare URLs dropped.
func visibleText(s string) string {
	if !strings.ContainsAny(s, "[:<w") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '!' && i+1 < len(s) && s[i+1] == '[':
			if _, end, ok := linkAt(s, i+1); ok {
				i = end
				continue
			}
		case c == '[':
			if text, end, ok := linkAt(s, i); ok {
				b.WriteString(text)
				i = end
				continue
			}
		case c == 'h' || c == 'f' || c == 'w' || c == '<':
			if i == 0 || !isAlnum(s[i-1]) {
				if j := urlEnd(s, i); j > i {
					i = j
					continue
				}
			}
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

// linkAt reads a markdown link [text](url) starting at the '[' at i: its
// text and its end.
func linkAt(s string, i int) (string, int, bool) {
	close := strings.IndexByte(s[i:], ']')
	if close < 0 || i+close+1 >= len(s) || s[i+close+1] != '(' {
		return "", 0, false
	}
	end := strings.IndexByte(s[i+close+1:], ')')
	if end < 0 {
		return "", 0, false
	}
	return s[i+1 : i+close], i + close + 1 + end + 1, true
}

// linkOnly reports whether s is only a link (or links): bare URLs, a
// markdown link whose text names nothing ("here", "link to agenda item",
// the URL again), an image, with at most a few words such as "also" or
// "see". A link whose text says something ("[the paper](…)") is content.
func linkOnly(s string) bool {
	dot := strings.IndexByte(s, '.')
	if dot < 0 && strings.IndexByte(s, '(') < 0 {
		return false // no URL, path or domain
	}
	hasLink := strings.Contains(s, "http") || strings.Contains(s, "www.") || strings.Contains(s, "](")
	if !hasLink {
		if dot < 0 {
			return false
		}
		only := true
		n := 0
		eachWord(s, func(w string) bool {
			n++
			only = only && (pathLike(w) || bareDomain(w))
			return only
		})
		return only && n > 0
	}
	ok := true
	eachWord(visibleText(s), func(w string) bool {
		if !linkWords.has(w) && !pathLike(w) && urlEnd(w, 0) == 0 {
			ok = false
		}
		return ok
	})
	return ok
}

// hideWords counts the words of s a reader would have to recall: link
// destinations do not count.
func hideWords(s string) int {
	n := words(s)
	if n > maxHideWords && (strings.Contains(s, "](") || strings.Contains(s, "http")) {
		return words(visibleText(s))
	}
	return n
}

// domainLike reports whether a term is a host name, "staging.example.com":
// one word, two dots or more, no slash.
func domainLike(t string) bool {
	return !strings.ContainsAny(t, " /") && strings.Count(t, ".") >= 2 && !strings.HasSuffix(t, ".")
}
