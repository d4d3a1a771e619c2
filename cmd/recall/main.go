// Command recall turns the lists in a person's notes into flashcards,
// schedules them with SM-2 and quizzes them in the terminal.
package main

import (
	"os"

	"github.com/recall-cli/recall/internal/cli"
)

func main() { os.Exit(cli.Main()) }
