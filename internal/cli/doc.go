// Package cli is recall's command line: the cobra command tree, flags,
// output formats, exit codes and the decisions about terminals and colour.
// It is the only package that reads the environment, the clock, os.Args
// and the standard streams; it builds an Env and hands values down.
//
// Nothing imports cli.
package cli
