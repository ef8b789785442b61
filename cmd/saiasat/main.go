// Command saiasat keeps a privacy policy as structured Markdown in several
// languages: it checks and formats the sources and names their exact text
// by hash. Run "saiasat help" for the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	m := NewMain()
	os.Exit(m.Exit(m.Run(context.Background(), os.Args[1:])))
}

// Main is the program with its outside world injected, so tests run it with
// buffers.
type Main struct {
	Stdout io.Writer
	Stderr io.Writer
	// Debug shows the detail of internal errors (SAIASAT_DEBUG=1).
	Debug bool
}

// NewMain returns a Main wired to the process's standard streams.
func NewMain() *Main {
	return &Main{Stdout: os.Stdout, Stderr: os.Stderr, Debug: os.Getenv("SAIASAT_DEBUG") == "1"}
}

// Exit codes.
const (
	ExitClean    = 0
	ExitFindings = 1
	ExitError    = 2
)

// errFindings ends a command that printed findings: exit 1, nothing more to say.
var errFindings = errors.New("findings")

// usageError is a mistake in the command line: exit 2 with a hint.
type usageError struct {
	msg  string
	hint string
}

func (e *usageError) Error() string { return e.msg }

func usagef(hint, format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...), hint: hint}
}

// errInternal replaces a panic: the user sees one line, never a stack trace.
type errInternal struct {
	cmd string
	val any
}

func (e *errInternal) Error() string {
	return fmt.Sprintf("internal error in %q; please report it with the input that caused it", e.cmd)
}

const usage = `saiasat keeps a privacy policy as structured Markdown, clause by clause, in
several languages, and names its exact text by hash.

Usage:
  saiasat <command> [flags] [arguments]

Commands:
  check     check policy sources: numbering, parity, scripts, text, links, metadata
  fmt       rewrite policy sources into canonical form
  hash      print text, clause and version hashes
  release   freeze the draft as a pending edition
  diff      compare two versions clause by clause (editions, draft, folders)
  approve   record the approval of a frozen edition, bound to its version hash
  log       list the releases of a policy
  import    turn text extracted from a PDF, or a Word document, into the source format
  export    write an edition or the draft as a Word document (.docx)
  publish   build the static site, PDFs and API mirror of approved releases
  serve     serve the site, the version-hash API and the consent API
  preview   serve the working draft as the site will show it, with check's findings
  ledger    verify the consent ledger (ledger verify)
  version   print the version
  help      print this help

Run "saiasat <command> --help" for a command's flags.
Exit status: 0 clean, 1 findings, 2 usage or I/O error.
`

// commands maps each subcommand to its implementation.
var commands = map[string]func(*Main, context.Context, []string) error{
	"check":   (*Main).runCheck,
	"fmt":     (*Main).runFmt,
	"hash":    (*Main).runHash,
	"release": (*Main).runRelease,
	"approve": (*Main).runApprove,
	"log":     (*Main).runLog,
	"diff":    (*Main).runDiff,
	"import":  (*Main).runImport,
	"export":  (*Main).runExport,
	"publish": (*Main).runPublish,
	"serve":   (*Main).runServe,
	"preview": (*Main).runPreview,
	"ledger":  (*Main).runLedger,
}

// Run runs the command named by args[0].
func (m *Main) Run(ctx context.Context, args []string) (err error) {
	cmd := "saiasat"
	if len(args) > 0 {
		cmd = args[0]
	}
	defer func() {
		if r := recover(); r != nil {
			err = &errInternal{cmd: cmd, val: r}
		}
	}()
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usage)
		return usagef("", "no command given")
	}
	if run, ok := commands[args[0]]; ok {
		return run(m, ctx, args[1:])
	}
	switch args[0] {
	case "version", "--version", "-version":
		fmt.Fprintln(m.Stdout, "saiasat", version)
		return nil
	case "help", "--help", "-help", "-h":
		fmt.Fprint(m.Stdout, usage)
		return nil
	}
	return usagef("saiasat help", "unknown command %q", args[0])
}

// Exit prints err, if it has anything to say, and returns the exit code.
func (m *Main) Exit(err error) int {
	var ue *usageError
	var ie *errInternal
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return ExitClean
	case errors.Is(err, errFindings):
		return ExitFindings
	case errors.As(err, &ue):
		fmt.Fprintf(m.Stderr, "saiasat: %s\n", ue.msg)
		if ue.hint != "" {
			fmt.Fprintf(m.Stderr, "Try: %s\n", ue.hint)
		}
	case errors.As(err, &ie):
		fmt.Fprintf(m.Stderr, "saiasat: %s\n", ie)
		if m.Debug {
			fmt.Fprintf(m.Stderr, "detail: %v\n", ie.val)
		}
	default:
		fmt.Fprintf(m.Stderr, "saiasat: %s\n", oneLine(err.Error()))
	}
	return ExitError
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// newFlagSet returns a flag set that reports errors instead of exiting and
// prints usage to stderr.
func (m *Main) newFlagSet(name, args, summary string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(m.Stderr, "Usage: saiasat %s [flags] %s\n\n%s\n\nFlags:\n", name, args, summary)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags that may come before, between or after the positional
// arguments, and returns the positional ones.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usagef("saiasat "+fs.Name()+" --help", "%s", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
