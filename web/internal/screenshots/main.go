package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "screenshots:", err)
		os.Exit(1)
	}
}

func run() error {
	if len(os.Args) != 4 {
		return fmt.Errorf("usage: screenshots URL USER OUTDIR (password on standard input)")
	}
	base, user, out := strings.TrimRight(os.Args[1], "/"), os.Args[2], os.Args[3]
	pw, _ := bufio.NewReader(os.Stdin).ReadString('\n')
	pw = strings.TrimRight(pw, "\r\n")
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		return fmt.Errorf("no chromium (scripts/setup.sh installs it): %w", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.WindowSize(1280, 800))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, time.Minute)
	defer cancel()
	shot := func(name string) error {
		b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(out, name), b, 0o644)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible("#username"),
		chromedp.SendKeys("#username", user), chromedp.SendKeys("#password", pw), chromedp.Click("#signin"),
		chromedp.WaitVisible("#queue")); err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	if err := shot("desk-queue.png"); err != nil {
		return err
	}
	if err := chromedp.Do(ctx, chromedp.Click(`tr.kind-shared_id a.open`), chromedp.WaitVisible("#records")); err != nil {
		return fmt.Errorf("open a shared-ID conflict: %w", err)
	}
	return shot("desk-conflict.png")
}
