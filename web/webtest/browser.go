package webtest

import (
	"context"
	"fmt"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// BrowserTimeout bounds a whole browser test (the context Browser
// returns).
const BrowserTimeout = 3 * time.Minute

// StepTimeout bounds one step of a browser test (Do). Default: 1 minute
// (the slowest whole browser test of web took 29 s, at a load of 30 on
// two cores: ui1); the package's own test shortens it.
var StepTimeout = time.Minute

// Browser starts a headless Chromium (Debian's chromium, installed by
// scripts/setup.sh) for the test and returns its chromedp context, good
// for BrowserTimeout. There is no skip: a missing browser fails the test.
// The browser is started here, so that a step run with a shorter context
// (Do) does not bind the browser's life to that step's.
func Browser(t testing.TB) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		t.Fatal("no Chromium found: run scripts/setup.sh (apt-get install chromium)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.WindowSize(1280, 900))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, BrowserTimeout)
	t.Cleanup(cancel3)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("webtest: start Chromium (%s): %v", path, err)
	}
	return ctx
}

// Do runs the actions of one step of a browser test, named by step, in
// order, within StepTimeout. Its error names the step and the page the
// tab is on (its URL and title), so that a page that never comes fails
// the step in a minute saying where the browser was, rather than eating
// the test's whole BrowserTimeout with "context deadline exceeded" (ui1:
// TestBrowserSessionExpired on CI).
func Do(ctx context.Context, step string, actions ...chromedp.Action[chromedp.Void]) error {
	sctx, cancel := context.WithTimeout(ctx, StepTimeout)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		return fmt.Errorf("%s: %w (%s)", step, err, Where(ctx))
	}
	return nil
}

// Where says which page the tab of ctx is on: "on URL, titled "T"", or
// why that cannot be told. It waits for the browser at most 5 seconds.
func Where(ctx context.Context) string {
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	url, err := chromedp.Run(wctx, chromedp.Location())
	if err != nil {
		return fmt.Sprintf("the page is not known: %v", err)
	}
	title, err := chromedp.Run(wctx, chromedp.Title())
	if err != nil {
		return "on " + url
	}
	return fmt.Sprintf("on %s, titled %q", url, title)
}

// Loaded waits until the page in the tab has loaded whole
// (document.readyState is "complete": its styles and scripts are in and
// its load event has fired). WaitVisible of an element returns as soon
// as the element is drawn, while the page may still be loading; a test
// that then moves the server's clock or its data must wait for Loaded
// first, or a request of the page still on its way is answered at the
// new time (ui1: TestBrowserSessionExpired). It does not survive a
// navigation: wait for an element of the new page first.
func Loaded() chromedp.Action[chromedp.Void] {
	poll := chromedp.Poll[bool](`document.readyState === "complete"`,
		chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(0))
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		if _, err := poll(ctx, t); err != nil {
			return chromedp.Void{}, fmt.Errorf("wait for the page to load: %w", err)
		}
		return chromedp.Void{}, nil
	}
}

// SignIn signs user in with Password through the login form at base and
// waits for the page after it to have loaded (Loaded).
func SignIn(ctx context.Context, base, user string) error {
	return Do(ctx, "sign in as "+user,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible("#username"),
		chromedp.SendKeys("#username", user),
		chromedp.SendKeys("#password", Password),
		chromedp.Click("#signin"),
		chromedp.WaitVisible("header nav"),
		Loaded(),
	)
}

// Navigation runs actions that lead the tab to another page (a click on a
// link or a button, Enter in a form) and waits until that page has
// loaded. Waiting for an element instead is right only when the page
// before had none: the queue's filter submitted by Enter leads to the
// queue again, whose table the old page still shows (ui1:
// TestBrowserFiltersByKeyboard). Actions that lead nowhere fail the step
// at StepTimeout.
func Navigation(actions ...chromedp.Action[chromedp.Void]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, _ *chromedp.Target) (chromedp.Void, error) {
		if _, err := chromedp.RunResponse(ctx, actions...); err != nil {
			return chromedp.Void{}, fmt.Errorf("wait for the page the actions lead to: %w", err)
		}
		return chromedp.Void{}, nil
	}
}

// VietnameseOutsideVi is a script to evaluate in a page
// (chromedp.Evaluate): the page's language, and the texts with a
// Vietnamese letter (one with a mark English has not:
// "Nguyễn", "Hà Nội") whose element is not marked lang="vi" (closest
// [lang], an HTML or an SVG element) — a screen reader reads them with
// the page's voice. It returns {lang, bad}.
const VietnameseOutsideVi = `(() => {
	const vi = /[\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u01B0\u1EA0-\u1EF9]/;
	const bad = [];
	const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	for (let n; (n = w.nextNode());) {
		const t = n.textContent.trim();
		if (!vi.test(t)) continue;
		const el = n.parentElement.closest("[lang]");
		if (!el || el.getAttribute("lang") !== "vi") bad.push(t.slice(0, 60));
	}
	return {lang: document.documentElement.lang, bad: bad};
})()`
