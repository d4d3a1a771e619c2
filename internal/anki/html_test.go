package anki

import (
	"bytes"
	"html"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/recall-cli/recall/internal/card"
)

func TestRenderEscapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, md string
		want     string   // exact output, when set
		contains []string // substrings the output must have
		absent   []string // substrings it must not have
	}{
		{name: "plain", md: "What port does etcd use?", want: "What port does etcd use?"},
		{name: "quote", md: `He said "go"`, want: "He said &quot;go&quot;"},
		{name: "emphasis", md: "a **bold** move", want: "a <strong>bold</strong> move"},
		{name: "code", md: "run `kubectl get <pods>`", want: "run <code>kubectl get &lt;pods&gt;</code>"},
		{name: "list", md: "- one\n- two", want: "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"},
		{name: "two paragraphs", md: "one\n\ntwo", want: "<p>one</p>\n<p>two</p>"},
		{name: "inline script", md: "x <script>alert(1)</script> y",
			want: "x &lt;script&gt;alert(1)&lt;/script&gt; y"},
		{name: "script block", md: "<script>\nalert(1)\n</script>",
			contains: []string{"&lt;script&gt;", "alert(1)", "&lt;/script&gt;"}, absent: []string{"<script"}},
		{name: "img onerror", md: `<img src=x onerror="alert(1)">`,
			contains: []string{"&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"}, absent: []string{"<img"}},
		{name: "javascript link", md: "[click](javascript:alert(1))",
			contains: []string{`<a href="">click</a>`}, absent: []string{"javascript:"}},
		{name: "javascript link upper", md: "[click](JaVaScRiPt:alert(1))", absent: []string{"alert"}},
		{name: "javascript autolink", md: "<javascript:alert(1)>", absent: []string{`href="javascript`}},
		{name: "data html link", md: "[x](data:text/html;base64,PHNjcmlwdD4=)", absent: []string{`href="data`}},
		{name: "image data url", md: "![x](data:image/png;base64,AAAA)", contains: []string{`src="data:image/png;base64,AAAA"`}},
		{name: "html comment", md: "a <!-- hidden --> b", contains: []string{"&lt;!-- hidden --&gt;"}},
		{name: "iframe block", md: "<iframe src=\"https://evil\"></iframe>", absent: []string{"<iframe"}},
		{name: "style", md: "<style>body{display:none}</style>", absent: []string{"<style"}},
		{name: "entity kept", md: "AT&amp;T and &lt;b&gt;", want: "AT&amp;T and &lt;b&gt;"},
		{name: "unit separator", md: "a\x1fb\x00c", want: "abc"},
		{name: "invalid utf8", md: "a\xffb", want: "a\uFFFDb"},
		{name: "crlf", md: "- a\r\n- b", want: "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"},
	}
	h := newHTMLConv()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := h.render(tt.md, nil)
			if tt.want != "" && got != tt.want {
				t.Errorf("render(%q) = %q, want %q", tt.md, got, tt.want)
			}
			for _, s := range tt.contains {
				if !strings.Contains(got, s) {
					t.Errorf("render(%q) = %q, want it to contain %q", tt.md, got, s)
				}
			}
			for _, s := range tt.absent {
				if strings.Contains(got, s) {
					t.Errorf("render(%q) = %q, must not contain %q", tt.md, got, s)
				}
			}
			if strings.ContainsAny(got, "\x1f\x00") {
				t.Errorf("render(%q) = %q keeps a control character", tt.md, got)
			}
		})
	}
}

// TestPlainMatchesGoldmark checks the fast path: wherever plain() claims a
// text needs no markdown, goldmark must render exactly what render returns
// (but for cloze syntax, which render always neutralises).
func TestPlainMatchesGoldmark(t *testing.T) {
	t.Parallel()
	md := goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList))
	h := newHTMLConv()
	alphabet := []rune("ab Z09:;,.?'\"(){}=+-#/@$%^é€ \u00a0")
	rng := rand.New(rand.NewPCG(1, 2))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	checked := 0
	for range n {
		r := make([]rune, 1+rng.IntN(30))
		for i := range r {
			r[i] = alphabet[rng.IntN(len(alphabet))]
		}
		s := string(r)
		if !plain(s) {
			continue
		}
		checked++
		var buf bytes.Buffer
		if err := md.Convert([]byte(s), &buf); err != nil {
			t.Fatal(err)
		}
		want := strings.TrimSuffix(strings.TrimPrefix(strings.TrimRight(buf.String(), "\n"), "<p>"), "</p>")
		if got := h.render(s, nil); got != noCloze(want) {
			t.Fatalf("render(%q) = %q, goldmark gives %q", s, got, want)
		}
	}
	if checked < n/10 {
		t.Fatalf("only %d of %d random texts took the fast path", checked, n)
	}
}

func TestPlain(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want bool
	}{
		{"What is etcd?", true},
		{"Cloud v. DC", true},
		{"", false},
		{"1. first", false},
		{"- item", false},
		{"# heading", false},
		{"a *b*", false},
		{"a\nb", false},
		{" lead", false},
		{"trail ", false},
		{"x < y", false},
		{"a & b", false},
	}
	for _, tt := range tests {
		if got := plain(tt.in); got != tt.want {
			t.Errorf("plain(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestCloze(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		c    card.Card
		want string // "" means no cloze can be made
	}{
		{"text", card.Card{Text: "etcd serves clients on {{c1::2379}}", Back: "2379"},
			"etcd serves clients on {{c1::2379}}"},
		{"hint", card.Card{Text: "port {{c1::2379::a number}}", Back: "2379"},
			"port {{c1::2379::a number}}"},
		{"markdown around", card.Card{Text: "**etcd** port: {{c1::`2379`}}", Back: "2379"},
			"<strong>etcd</strong> port: {{c1::<code>2379</code>}}"},
		{"own of several", card.Card{Text: "{{c1::Elasticity}} and {{c2::Abstraction}}", Back: "Abstraction"},
			"Elasticity and {{c1::Abstraction}}"},
		{"renumbered", card.Card{Text: "a {{c3::b}} c", Back: "b"}, "a {{c1::b}} c"},
		{"from front", card.Card{Front: "Go cloud for elasticity and " + card.Gap, Back: "abstraction"},
			"Go cloud for elasticity and {{c1::abstraction}}"},
		{"back with colons", card.Card{Front: "use " + card.Gap, Back: "std::vector}}"},
			"use {{c1::std:&#58;vector}&#125;}}"},
		{"script in deletion", card.Card{Front: "x " + card.Gap, Back: "<script>alert(1)</script>"},
			"x {{c1::&lt;script&gt;alert(1)&lt;/script&gt;}}"},
		{"back ending in a colon", card.Card{Front: "in YAML, " + card.Gap, Back: "key:"}, "in YAML, {{c1::key&#58;}}"},
		{"numbers Anki refuses", card.Card{Text: "{{c0::a}} {{c65536::b}}", Back: "a"}, ""},
		{"braces around", card.Card{Text: "{{ {{c1::x}} }}", Back: "x"}, "{&#123; {{c1::x}} }&#125;"},
		{"hint with colons", card.Card{Text: "port {{c1::2379::b:&#58;c}}", Back: "2379"}, "port {{c1::2379::b:&#58;c}}"},
		{"hint with markup", card.Card{Text: "{{c1::x::*a* <b> &amp; 1. b}}", Back: "x"},
			"{{c1::x::<em>a</em> &lt;b&gt; &amp; 1. b}}"},
		{"code span in hint", card.Card{Text: "{{c1::x::`h:&#58;i`}}", Back: "x"}, "{{c1::x::<code>h:&#58;i</code>}}"},
		{"code span in deletion", card.Card{Text: "use {{c1::`a:&#58;b`}}", Back: "`a::b`"}, "use {{c1::<code>a:&#58;b</code>}}"},
		{"code span around", card.Card{Text: "`{&#123;c3::x}}` and {{c1::y}}", Back: "y"},
			"<code>{&#123;c3::x}&#125;</code> and {{c1::y}}"},
		{"no gap", card.Card{Front: "no gap here", Back: "x"}, ""},
		{"no deletion", card.Card{Text: "no deletion", Back: "x"}, ""},
		{"placeholder chars", card.Card{Text: "a\uE0000\uE001 {{c1::b}}", Back: "b"}, "a0 {{c1::b}}"},
	}
	h := newHTMLConv()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := h.cloze(tt.c, nil)
			if tt.want == "" {
				if ok {
					t.Errorf("cloze(%+v) = %q, want no cloze", tt.c, got)
				}
				return
			}
			if !ok || got != tt.want {
				t.Errorf("cloze(%+v) = %q, %v, want %q", tt.c, got, ok, tt.want)
			}
		})
	}
}

func TestContextField(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ctx  []string
		want string
	}{
		{[]string{"Talks", "Containers"}, "Talks › Containers"},
		{[]string{"AT&amp;T", "`a::b` and *em*"}, "AT&amp;T › <code>a::b</code> and <em>em</em>"},
		{[]string{"<script>x</script> & \"q\"", "1. Intro", "# not a heading"},
			"&lt;script&gt;x&lt;/script&gt; &amp; &quot;q&quot; › 1. Intro › # not a heading"},
		{[]string{"[ref]: x", "  two  spaces\tand\nlines "}, "[ref]: x › two spaces and lines"},
		{[]string{"{{c1::x}}", ""}, "{&#123;c1::x}&#125;"},
	}
	for _, tt := range tests {
		if got := contextField(tt.ctx); got != tt.want {
			t.Errorf("contextField(%q) = %q, want %q", tt.ctx, got, tt.want)
		}
	}
}

func TestStripHTML(t *testing.T) {
	t.Parallel()
	// Anki's own cases for strip_html_preserving_media_filenames, plus ours.
	tests := []struct{ in, want string }{
		{"test", "test"},
		{"t<b>e</b>st", "test"},
		{"so<SCRIPT>t<b>e</b>st</script>me", "some"},
		{"<img src=foo.jpg>", " foo.jpg "},
		{"<img src='foo.jpg'><html>", " foo.jpg "},
		{`<img src="a b.png" alt="x">`, " a b.png "},
		{"<html>", ""},
		{"a&amp;b&nbsp;c", "a&b c"},
		{"<!-- x -->y", "y"},
	}
	for _, tt := range tests {
		if got := stripHTML(tt.in); got != tt.want {
			t.Errorf("stripHTML(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestChecksum(t *testing.T) {
	t.Parallel()
	// sha1("Hello") = f7ff9e8b…; the checksum ignores markup.
	tests := []struct {
		in   string
		want int64
	}{
		{"Hello", 0xf7ff9e8b},
		{"<b>Hello</b>", 0xf7ff9e8b},
		{"", 0xda39a3ee},
	}
	for _, tt := range tests {
		if got := checksum(stripHTML(tt.in)); got != tt.want {
			t.Errorf("checksum(%q) = %x, want %x", tt.in, got, tt.want)
		}
	}
}

func TestCleanTag(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"qcon", "qcon"},
		{"qcon::containers", "qcon::containers"},
		{"two words", "two_words"},
		{"  padded  ", "padded"},
		{"a::::b", "a::b"},
		{"::lead::", "lead"},
		{`say "hi"`, "say_hi"},
		{"tab\there", "tab_here"},
		{"ctl\x01\x1fx", "ctlx"},
		{"ideographic\u3000space", "ideographic_space"},
		{"日本語", "日本語"},
		{"   ", ""},
		{"a:::b", "a::b"},
		{"<script>x</script>", "script_x_/script"},
		{"R&D", "R_D"},
		{"a::<b>::c", "a::b::c"},
	}
	for _, tt := range tests {
		if got := cleanTag(tt.in); got != tt.want {
			t.Errorf("cleanTag(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got, want := tagsField([]string{"b", "A", "a", " ", "x y"}), " b A x_y "; got != want {
		t.Errorf("tagsField = %q, want %q", got, want)
	}
	if got := tagsField(nil); got != "" {
		t.Errorf("tagsField(nil) = %q, want \"\"", got)
	}
}

func TestDeckName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		c    card.Card
		flat bool
		want string
	}{
		{"heading", card.Card{Deck: "QCon SF 2018", Context: []string{"QCon SF 2018", "Containers", "K8s"}, Section: "Containers"}, false, "QCon SF 2018::Containers"},
		{"flat", card.Card{Deck: "QCon SF 2018", Context: []string{"QCon SF 2018", "Containers"}, Section: "Containers"}, true, "QCon SF 2018"},
		{"no heading", card.Card{Deck: "QCon", Context: []string{"QCon"}}, false, "QCon"},
		// The title is in the breadcrumb when it does not name the deck,
		// but it is never a subdeck: the section below it is.
		{"titled", card.Card{Deck: "KubeCon NA 2019", Context: []string{"KubeCon NA 2019", "KubeCon NA 2019 takeaways", "Security"}, Section: "Security"}, false, "KubeCon NA 2019::Security"},
		{"titled, no section", card.Card{Deck: "Conferences::KubeCon NA 2019", Context: []string{"Conferences::KubeCon NA 2019", "KubeCon NA 2019"}}, false, "Conferences::KubeCon NA 2019"},
		{"nested deck", card.Card{Deck: "Conf::QCon", Context: []string{"QCon", "Talks"}, Section: "Talks"}, false, "Conf::QCon::Talks"},
		{"colons in heading", card.Card{Deck: "Go", Context: []string{"Go", "C++::STL"}, Section: "C++::STL"}, false, "Go::C++:STL"},
		{"empty deck", card.Card{Context: []string{"From context"}}, false, "From context"},
		{"nothing", card.Card{}, false, "recall"},
		{"odd chars", card.Card{Deck: " \"Quoted\"\x01 deck ", Context: []string{"x", "  "}, Section: "  "}, false, "Quoted deck"},
		{"markup", card.Card{Deck: "<b>Q&A</b>", Context: []string{"x", "**Go** &amp; `<T>`"}, Section: "**Go** &amp; `<T>`"}, false, "b Q&A /b::Go & T"},
		{"heading of markup only", card.Card{Deck: "Go", Context: []string{"Go", "<br>"}, Section: "<br>"}, false, "Go::br"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := deckName(tt.c, tt.flat); got != tt.want {
				t.Errorf("deckName(%+v, %v) = %q, want %q", tt.c, tt.flat, got, tt.want)
			}
		})
	}
}

// randomText returns a short random string over alphabet.
func randomText(rng *rand.Rand, alphabet []rune, n int) string {
	r := make([]rune, rng.IntN(n+1))
	for i := range r {
		r[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return string(r)
}

func iterations() int {
	if testing.Short() {
		return 2000
	}
	return 20000
}

// stripHTMLRE is Anki's strip_html_preserving_media_filenames written with
// its regular expressions: the reference stripHTML is held to.
var (
	imgRE = regexp.MustCompile(`(?is)<img[^>]+src=(?:"([^"]+?)"[^>]*>|'([^']+?)'[^>]*>|([^ >]+?)(?: [^>]*>|>))`)
	tagRE = regexp.MustCompile(`(?is)(<!--.*?-->)|(<style.*?>.*?</style>)|(<script.*?>.*?</script>)|(<.*?>)`)
)

func stripHTMLRE(s string) string {
	s = imgRE.ReplaceAllString(s, " ${1}${2}${3} ")
	s = tagRE.ReplaceAllString(s, "")
	return strings.ReplaceAll(html.UnescapeString(s), "\u00a0", " ")
}

func TestStripHTMLMatchesAnki(t *testing.T) {
	t.Parallel()
	h := newHTMLConv()
	corpus := []string{
		`<img src="a.png" alt="x">`, `<IMG SRC='b.png'>`, `<img src=c.png>`, `a <b>b</b> c`,
		`<!-- c --> d`, `<style>x{}</style>e`, `<script src="x">y</script>z`, `a < b > c`, `&amp;&lt;&nbsp;`,
		`<p>one</p>`, `unclosed <b`, `<!-- unclosed`, `<style>never closed`, "<scrIPT>\nx\n</SCRIPT>y",
	}
	for _, md := range []string{"**bold** and `code`", "- a\n- b", "![x](y.png \"t\")", "a & b < c",
		"<script>x</script>", "[l](http://x?a=1&b=2)", "| a | b |\n|---|---|\n| 1 | 2 |", "~~s~~"} {
		corpus = append(corpus, h.render(md, nil))
	}
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []rune(`<>/!-="' abimgsrcptyle&;.`)
	for range iterations() {
		corpus = append(corpus, randomText(rng, alphabet, 30))
	}
	for _, in := range corpus {
		if got, want := stripHTML(in), stripHTMLRE(in); got != want {
			t.Errorf("stripHTML(%q) = %q, Anki's patterns give %q", in, got, want)
		}
	}
}

func TestClozeMarksMatchesRegexp(t *testing.T) {
	t.Parallel()
	re := regexp.MustCompile(`(?s)\{\{c(\d+)::(.*?)\}\}`)
	rng := rand.New(rand.NewPCG(5, 6))
	alphabet := []rune("{}c12:x \n")
	for range iterations() {
		s := randomText(rng, alphabet, 40)
		got, want := clozeMarks(s), re.FindAllStringSubmatchIndex(s, -1)
		if len(got) != len(want) || !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("clozeMarks(%q) = %v, the pattern gives %v", s, got, want)
		}
	}
}

func TestFastFieldsAgree(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 8))
	ctxAlphabet := []rune("ab Z<&\"'\t\x01é\u00a0\u3000{}*`_[]!~\\#1.:")
	tagAlphabet := []rune("abA1-_.: \"<>&")
	for range iterations() {
		ctx := []string{randomText(rng, ctxAlphabet, 8), randomText(rng, ctxAlphabet, 8)}
		if got, want := contextField(ctx), contextFieldSlow(ctx); got != want {
			t.Fatalf("contextField(%q) = %q, want %q", ctx, got, want)
		}
		tags := []string{randomText(rng, tagAlphabet, 6), randomText(rng, tagAlphabet, 6), randomText(rng, tagAlphabet, 6)}
		if got, want := tagsField(tags), tagsFieldSlow(tags); got != want {
			t.Fatalf("tagsField(%q) = %q, want %q", tags, got, want)
		}
	}
}
